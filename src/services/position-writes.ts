import type { Db } from '../db.js';
import type { PositionRow } from '../read/rows.js';
import { badUserInput } from '../errors.js';
import type { AddPositionInput, UpdatePositionInput } from '../generated/graphql.js';
import type { Prisma } from '../generated/prisma/client.js';
import { articleQuoteId, ensureArticleTopic, ensureMention, existingId, storedActorId, topicIdFor } from './lookups.js';
import { requiredText } from './text.js';
import { inTransaction } from './transaction.js';

export async function addPosition(db: Db, input: AddPositionInput): Promise<PositionRow> {
  const summary = requiredText('input.summary', input.summary, 'summaryLength');
  return inTransaction(db, async (tx) => {
    const articleId = await existingId(tx, 'Article', input.article, 'input.article');
    const actorId = await storedActorId(tx, input.actor, 'input.actor');
    const quoteId = input.quote == null ? null : await articleQuoteId(tx, articleId, input.quote, 'input.quote');
    const topicId = await topicIdFor(tx, input.topic, 'input.topic');
    await ensureMention(tx, articleId, actorId);
    await ensureArticleTopic(tx, articleId, topicId);
    return tx.position.create({ data: { articleId, actorId, topicId, quoteId, stance: input.stance, summary } });
  });
}

export async function updatePosition(db: Db, globalId: string, input: UpdatePositionInput): Promise<PositionRow> {
  for (const field of ['actor', 'topic', 'stance', 'summary'] as const) {
    if (input[field] === null) throw badUserInput(`input.${field}`, 'cannot be null; omit it to keep the current value');
  }
  const summary = input.summary == null ? undefined : requiredText('input.summary', input.summary, 'summaryLength');
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Position', globalId, 'id');
    const position = await tx.position.findUniqueOrThrow({ where: { id } });
    // A person has now checked the position, whoever proposed it; the extractor's confidence in
    // what it proposed stays, so corrected proposals can still be told from hand-made ones.
    const data: Prisma.PositionUncheckedUpdateInput = { origin: 'ANNOTATED' };
    if (input.actor != null) {
      data.actorId = await storedActorId(tx, input.actor, 'input.actor');
      await ensureMention(tx, position.articleId, data.actorId);
    }
    if (input.quote !== undefined)
      data.quoteId = input.quote === null ? null : await articleQuoteId(tx, position.articleId, input.quote, 'input.quote');
    if (input.topic != null) {
      data.topicId = await topicIdFor(tx, input.topic, 'input.topic');
      await ensureArticleTopic(tx, position.articleId, data.topicId);
    }
    if (input.stance != null) data.stance = input.stance;
    if (summary !== undefined) data.summary = summary;
    return tx.position.update({ where: { id }, data });
  });
}

export async function deletePosition(db: Db, globalId: string): Promise<number> {
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Position', globalId, 'id');
    await tx.position.delete({ where: { id } });
    return id;
  });
}
