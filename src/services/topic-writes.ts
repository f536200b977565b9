import type { Db } from '../db.js';
import { Prisma } from '../generated/prisma/client.js';
import type { TopicRow } from '../read/rows.js';
import { badUserInput } from '../errors.js';
import { existingId } from './lookups.js';
import { slugify } from '../text/names.js';
import { requiredText } from './text.js';
import { inTransaction } from './transaction.js';

/** Renames a topic; its slug follows the name, so it must not collide with another topic's. */
export async function renameTopic(db: Db, globalId: string, newName: string): Promise<TopicRow> {
  const name = requiredText('name', newName, 'topicLength');
  const slug = slugify(name);
  if (slug === '') throw badUserInput('name', `"${name}" needs at least one letter or digit`);
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Topic', globalId, 'id');
    const other = await tx.topic.findFirst({ where: { slug, id: { not: id } } });
    if (other) throw badUserInput('name', `"${name}" is already the topic "${other.name}"`);
    return tx.topic.update({ where: { id }, data: { name, slug } });
  });
}

/**
 * Stores a topic by name unless one with its slug is stored (`{"topic": ...}`, a line of `npm run
 * import` that export writes for a topic no article is about).
 */
export async function saveTopic(db: Db, topicName: string, field: string): Promise<{ created: boolean }> {
  const name = requiredText(field, topicName, 'topicLength');
  const slug = slugify(name);
  if (slug === '') throw badUserInput(field, `"${name}" needs at least one letter or digit`);
  return inTransaction(db, async (tx) => {
    const rows = await tx.$queryRaw<{ id: number }[]>`
      INSERT INTO "Topic" ("name", "slug") VALUES (${name}, ${slug}) ON CONFLICT ("slug") DO NOTHING RETURNING "id"`;
    return { created: rows.length > 0 };
  });
}

/** Deletes a topic and the positions taken on it; the articles stay. */
export async function deleteTopic(db: Db, globalId: string): Promise<number> {
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Topic', globalId, 'id');
    await tx.topic.delete({ where: { id } });
    return id;
  });
}

/**
 * Folds the source topic into the target: positions and article links move, the source is
 * deleted. Two topics for one subject ("Ukraine peace talks", "Peace talks on Ukraine") often hold
 * the same position twice, so a moved position that repeats one of the target's (same actor,
 * article and stance) is dropped, and when the target's copy has no evidencing quote it takes the
 * dropped one's.
 */
export async function mergeTopics(db: Db, sourceGlobalId: string, targetGlobalId: string): Promise<{ topic: TopicRow; removedId: number }> {
  return inTransaction(db, async (tx) => {
    const sourceId = await existingId(tx, 'Topic', sourceGlobalId, 'sourceId');
    const targetId = await existingId(tx, 'Topic', targetGlobalId, 'targetId');
    if (sourceId === targetId) throw badUserInput('targetId', 'is the same topic as sourceId; a topic cannot be merged into itself');
    // The same claim as the Position row being updated or deleted, in the other topic's copy.
    const sameClaim = (other: string) =>
      Prisma.raw(
        `${other}."actorId" = "Position"."actorId" AND ${other}."articleId" = "Position"."articleId" AND ${other}.stance = "Position".stance`,
      );
    await tx.$executeRaw`UPDATE "Position" SET "quoteId" = (
        SELECT s."quoteId" FROM "Position" s WHERE s."topicId" = ${sourceId} AND ${sameClaim('s')} AND s."quoteId" IS NOT NULL ORDER BY s.id LIMIT 1
      ) WHERE "topicId" = ${targetId} AND "quoteId" IS NULL
        AND EXISTS (SELECT 1 FROM "Position" s WHERE s."topicId" = ${sourceId} AND ${sameClaim('s')} AND s."quoteId" IS NOT NULL)`;
    await tx.$executeRaw`DELETE FROM "Position" WHERE "topicId" = ${sourceId}
        AND EXISTS (SELECT 1 FROM "Position" t WHERE t."topicId" = ${targetId} AND ${sameClaim('t')})`;
    await tx.position.updateMany({ where: { topicId: sourceId }, data: { topicId: targetId } });
    // An article about both keeps a single link to the target; the source's links go with it.
    await tx.$executeRaw`INSERT INTO "ArticleTopic" ("articleId", "topicId") SELECT "articleId", CAST(${targetId} AS INTEGER) FROM "ArticleTopic" WHERE "topicId" = ${sourceId} ON CONFLICT DO NOTHING`;
    await tx.topic.delete({ where: { id: sourceId } });
    return { topic: await tx.topic.findUniqueOrThrow({ where: { id: targetId } }), removedId: sourceId };
  });
}
