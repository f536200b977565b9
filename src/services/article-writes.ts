import type { Db } from '../db.js';
import type { ArticleRow } from '../read/rows.js';
import { badUserInput } from '../errors.js';
import type { UpdateArticleInput } from '../generated/graphql.js';
import type { Prisma } from '../generated/prisma/client.js';
import { rowIdOf } from '../ids.js';
import { parseSlug, parseUrl } from './article-input.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { existingId, storedActorId } from './lookups.js';
import { QuoteLocator } from './quote-offsets.js';
import { optionalText, requiredBody, requiredText } from './text.js';
import { inTransaction } from './transaction.js';

/** Rejects an explicit null for a field that cannot be cleared. */
function notNull<T>(field: string, value: T | null | undefined): T | undefined {
  if (value === null) throw badUserInput(field, 'cannot be null; omit it to keep the current value');
  return value;
}

/** Checks an update without the database: which fields change, and to what. */
function draftArticleUpdate(input: UpdateArticleInput): Prisma.ArticleUpdateInput {
  const data: Prisma.ArticleUpdateInput = {};
  const title = notNull('input.title', input.title);
  if (title !== undefined) data.title = requiredText('input.title', title, 'titleLength');
  const body = notNull('input.body', input.body);
  if (body !== undefined) {
    data.body = requiredBody('input.body', body);
  }
  const slug = notNull('input.slug', input.slug);
  if (slug !== undefined) {
    const parsed = parseSlug('input.slug', slug);
    if (parsed === null) throw badUserInput('input.slug', 'must not be empty');
    data.slug = parsed;
  }
  if (input.source !== undefined) data.source = optionalText('input.source', input.source, 'sourceLength');
  if (input.url !== undefined) data.url = parseUrl('input.url', input.url);
  if (input.publishedAt !== undefined) {
    if (input.publishedAt !== null && Number.isNaN(input.publishedAt.getTime()))
      throw badUserInput('input.publishedAt', 'is not a valid date-time');
    data.publishedAt = input.publishedAt;
  }
  return data;
}

/**
 * Changes an article. A new body must still contain every DIRECT and PARTIAL quote that stays,
 * and every quote's offsets are recomputed against it.
 */
export async function updateArticle(db: Db, globalId: string, input: UpdateArticleInput): Promise<ArticleRow> {
  const data = draftArticleUpdate(input);
  const removeIds = (input.removeQuotes ?? []).map((id, i) => rowIdOf('Quote', id, `input.removeQuotes[${i}]`));
  const addActors = notNull('input.addActors', input.addActors) ?? [];
  const removeActors = notNull('input.removeActors', input.removeActors) ?? [];
  for (const [field, list] of [
    ['input.addActors', addActors],
    ['input.removeActors', removeActors],
  ] as const) {
    if (list.length > INPUT_LIMITS.actorsPerArticle)
      throw badUserInput(field, `lists ${list.length} actors; the limit is ${INPUT_LIMITS.actorsPerArticle}`);
  }
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Article', globalId, 'id');
    const article = await tx.article.findUniqueOrThrow({ where: { id }, include: { quotes: true } });
    removeIds.forEach((quoteId, i) => {
      if (!article.quotes.some((q) => q.id === quoteId)) {
        throw badUserInput(`input.removeQuotes[${i}]`, `"${input.removeQuotes?.[i]}" is not a quote of this article`);
      }
    });
    const mentions = await planMentions(
      tx,
      id,
      addActors,
      removeActors,
      article.quotes.filter((q) => !removeIds.includes(q.id)),
    );
    for (const field of ['slug', 'url'] as const) {
      const value = data[field];
      if (typeof value !== 'string') continue;
      const other = await tx.article.findFirst({ where: { [field]: value, id: { not: id } }, select: { id: true } });
      if (other) throw badUserInput(`input.${field}`, `"${value}" is already used by another article`);
    }

    const body = typeof data.body === 'string' ? data.body : article.body;
    const kept = article.quotes
      .filter((q) => !removeIds.includes(q.id))
      .sort((a, b) => (a.startOffset ?? Infinity) - (b.startOffset ?? Infinity) || a.id - b.id);
    const locator = new QuoteLocator(body);
    const offsets = kept.map((quote) => {
      const span = locator.locate(quote.text, quote.kind);
      if (span === null && quote.kind !== 'INDIRECT') {
        throw badUserInput(
          'input.body',
          `no longer contains the ${quote.kind} quote "${quote.text}"; remove it in the same call with input.removeQuotes`,
        );
      }
      return { quote, startOffset: span?.startOffset ?? null, endOffset: span?.endOffset ?? null };
    });

    if (removeIds.length > 0) await tx.quote.deleteMany({ where: { id: { in: removeIds } } });
    if (mentions.add.length > 0) await tx.mention.createMany({ data: mentions.add.map((actorId) => ({ articleId: id, actorId })) });
    if (mentions.remove.length > 0) await tx.mention.deleteMany({ where: { articleId: id, actorId: { in: mentions.remove } } });
    for (const { quote, startOffset, endOffset } of offsets) {
      if (quote.startOffset !== startOffset || quote.endOffset !== endOffset) {
        await tx.quote.update({ where: { id: quote.id }, data: { startOffset, endOffset }, select: { id: true } });
      }
    }
    // Prisma stamps updatedAt only when a column of the article changes; its annotation changed too.
    if (removeIds.length > 0 || mentions.add.length > 0 || mentions.remove.length > 0) data.updatedAt = new Date();
    return tx.article.update({ where: { id }, data });
  });
}

/**
 * Which mentions an update adds and removes. An actor added is a stored one; one removed must be
 * mentioned, and must neither speak in a quote that stays nor take a position in the article, or
 * the article would list fewer actors than it quotes.
 */
async function planMentions(
  tx: Prisma.TransactionClient,
  articleId: number,
  addActors: readonly string[],
  removeActors: readonly string[],
  keptQuotes: readonly { speakerId: number | null; text: string }[],
): Promise<{ add: number[]; remove: number[] }> {
  if (addActors.length === 0 && removeActors.length === 0) return { add: [], remove: [] };
  const mentioned = new Set((await tx.mention.findMany({ where: { articleId }, select: { actorId: true } })).map((m) => m.actorId));
  const added = new Set<number>();
  for (const [i, reference] of addActors.entries()) added.add(await storedActorId(tx, reference, `input.addActors[${i}]`));
  const add = [...added].filter((actorId) => !mentioned.has(actorId));
  const remove: number[] = [];
  for (const [i, reference] of removeActors.entries()) {
    const field = `input.removeActors[${i}]`;
    const actorId = await storedActorId(tx, reference, field);
    if (added.has(actorId)) throw badUserInput(field, `"${reference}" is also in input.addActors`);
    if (!mentioned.has(actorId)) throw badUserInput(field, `"${reference}" is not mentioned by this article`);
    const quote = keptQuotes.find((q) => q.speakerId === actorId);
    if (quote) {
      throw badUserInput(
        field,
        `"${reference}" speaks in this article ("${quote.text.slice(0, 80)}"); remove the quote with input.removeQuotes or change its speaker first`,
      );
    }
    const position = await tx.position.findFirst({ where: { articleId, actorId }, select: { topic: { select: { name: true } } } });
    if (position)
      throw badUserInput(field, `"${reference}" takes a position on "${position.topic.name}" in this article; delete the position first`);
    remove.push(actorId);
  }
  const total = mentioned.size + add.length - new Set(remove).size;
  if (total > INPUT_LIMITS.actorsPerArticle) {
    throw badUserInput('input.addActors', `would make the article mention ${total} actors; the limit is ${INPUT_LIMITS.actorsPerArticle}`);
  }
  return { add, remove };
}

/** Deletes an article; its quotes, positions and mentions go with it, its actors and topics stay. */
export async function deleteArticle(db: Db, globalId: string): Promise<number> {
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Article', globalId, 'id');
    await tx.article.delete({ where: { id } });
    return id;
  });
}
