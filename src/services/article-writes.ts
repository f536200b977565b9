import type { Db } from '../db.js';
import type { ArticleRow } from '../read/rows.js';
import { badUserInput } from '../errors.js';
import type { UpdateArticleInput } from '../generated/graphql.js';
import type { Prisma } from '../generated/prisma/client.js';
import { rowIdOf } from '../ids.js';
import { parseSlug, parseUrl } from './article-input.js';
import { existingId } from './lookups.js';
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
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Article', globalId, 'id');
    const article = await tx.article.findUniqueOrThrow({ where: { id }, include: { quotes: true } });
    removeIds.forEach((quoteId, i) => {
      if (!article.quotes.some((q) => q.id === quoteId)) {
        throw badUserInput(`input.removeQuotes[${i}]`, `"${input.removeQuotes?.[i]}" is not a quote of this article`);
      }
    });
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
    for (const { quote, startOffset, endOffset } of offsets) {
      if (quote.startOffset !== startOffset || quote.endOffset !== endOffset) {
        await tx.quote.update({ where: { id: quote.id }, data: { startOffset, endOffset }, select: { id: true } });
      }
    }
    return tx.article.update({ where: { id }, data });
  });
}

/** Deletes an article; its quotes, positions and mentions go with it, its actors and topics stay. */
export async function deleteArticle(db: Db, globalId: string): Promise<number> {
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Article', globalId, 'id');
    await tx.article.delete({ where: { id } });
    return id;
  });
}
