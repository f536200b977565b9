import type { QuoteFilter, QuoteOrder } from '../generated/graphql.js';
import type { Origin, QuoteKind } from '../generated/prisma/enums.js';
import { ACTOR, toActor } from './actors.js';
import { ARTICLE, toArticle } from './articles.js';
import { childCounts, childPageIds, orderedList } from './filtered-page.js';
import { addArticleConditions, checkLengths, storedActorId, storedArticleId, storedTopicId } from './filters.js';
import { articleChildOrders, orderedPage, type Ordering } from './order.js';
import type { Connection, PageArgs } from './pagination.js';
import type { QuoteDetails, QuoteRow } from './rows.js';
import type { ChildId, ChildPage } from './store.js';
import { allByIds, columns, groupBy, inKeyOrder, nullableNumber, nullableString, type ReadScope, type Row, Where } from './sql.js';

/** Everything the API reads of quotes: rows by id, an article's quotes, a speaker's pages, lists. */

export const QUOTE = columns('q', ['id', 'articleId', 'speakerId', 'text', 'kind']);

export function toQuote(row: Row, at = 0): QuoteRow {
  const c = QUOTE.at;
  return {
    id: Number(row[at + c.id]),
    articleId: Number(row[at + c.articleId]),
    speakerId: nullableNumber(row[at + c.speakerId]),
    text: String(row[at + c.text]),
    kind: row[at + c.kind] as QuoteKind,
  };
}

const DETAILS = columns('q', ['id', 'channel', 'startOffset', 'endOffset', 'origin', 'confidence']);

/** The rarely asked columns of each quote, in key order (null for a missing quote). */
export async function quoteDetailsByIds(scope: ReadScope, ids: readonly number[]): Promise<(QuoteDetails | null)[]> {
  const c = DETAILS.at;
  const found = await allByIds(scope, `SELECT ${DETAILS.list} FROM "Quote" q WHERE ${scope.dialect.inIds('q.id')}`, ids);
  const rows = found.map((row) => ({
    id: Number(row[c.id]),
    channel: nullableString(row[c.channel]),
    startOffset: nullableNumber(row[c.startOffset]),
    endOffset: nullableNumber(row[c.endOffset]),
    origin: row[c.origin] as Origin,
    confidence: nullableNumber(row[c.confidence]),
  }));
  return inKeyOrder(rows, ids);
}

export async function quotesByIds(scope: ReadScope, ids: readonly number[]): Promise<QuoteRow[]> {
  const rows = await allByIds(scope, `SELECT ${QUOTE.list} FROM "Quote" q WHERE ${scope.dialect.inIds('q.id')}`, ids);
  return rows.map((row) => toQuote(row));
}

/**
 * Each article's quotes in order of appearance in the body (paraphrases, without offsets, last),
 * with their speakers, which nearly every query of quotes asks for.
 */
export async function quotesByArticleIds(scope: ReadScope, articleIds: readonly number[]): Promise<QuoteRow[][]> {
  const rows = await allByIds(
    scope,
    `SELECT ${QUOTE.list}, ${ACTOR.list} FROM "Quote" q LEFT JOIN "Actor" c ON c.id = q."speakerId"
     WHERE ${scope.dialect.inIds('q."articleId"')} ORDER BY q."startOffset" IS NULL, q."startOffset", q.id`,
    articleIds,
  );
  return groupBy(rows, (row) => Number(row[QUOTE.at.articleId]), articleIds).map((group) =>
    group.map((row) => {
      if (row[QUOTE.width] !== null) scope.known.actor(toActor(row, QUOTE.width));
      return toQuote(row);
    }),
  );
}

/**
 * The conditions of a quote filter on `"Quote" q` (and its article `a`, which Where.readsArticle
 * says to join), for lists and counts alike (quoteStats' filter is a QuoteFilter without `article`);
 * names are looked up, and refused when they name nothing.
 */
export async function quoteWhere(scope: ReadScope, filter: QuoteFilter | null | undefined): Promise<Where> {
  const where = new Where();
  if (!filter) return where;
  checkLengths([
    ['filter.speaker', filter.speaker, 'nameLength'],
    ['filter.topic', filter.topic, 'topicLength'],
    ['filter.source', filter.source, 'sourceLength'],
    ['filter.article', filter.article, 'slugLength'],
  ]);
  if (filter.kind != null) where.add('q.kind = ?', filter.kind);
  if (filter.origin != null) where.add('q.origin = ?', filter.origin);
  if (filter.speakerKind != null) where.add('q."speakerId" IN (SELECT id FROM "Actor" WHERE kind = ?)', filter.speakerKind);
  addArticleConditions(scope, where, filter);
  if (filter.search != null) where.add(...scope.dialect.matches('Quote', 'q', filter.search, 'filter.search'));
  if (filter.speaker != null) where.add('q."speakerId" = ?', await storedActorId(scope, filter.speaker, 'filter.speaker'));
  if (filter.article != null) where.add('q."articleId" = ?', await storedArticleId(scope, filter.article, 'filter.article'));
  if (filter.topic != null) {
    const topicId = await storedTopicId(scope, filter.topic, 'filter.topic');
    // SQLite keeps no statistics here, so the form of the condition picks the plan. With a date
    // range, the articles of the range drive (a month of a large archive, whatever its size) and each
    // is checked for the topic; without one, the topic's articles drive.
    const dated = filter.publishedAfter != null || filter.publishedBefore != null;
    where.add(
      dated
        ? 'EXISTS (SELECT 1 FROM "ArticleTopic" t WHERE t."articleId" = q."articleId" AND t."topicId" = ?)'
        : 'q."articleId" IN (SELECT "articleId" FROM "ArticleTopic" WHERE "topicId" = ?)',
      topicId,
    );
  }
  return where;
}

export const QUOTE_ORDERS: Record<QuoteOrder, Ordering> = articleChildOrders('q');

const ARTICLE_OF_QUOTE = 'JOIN "Article" a ON a.id = q."articleId"';
const BY_SPEAKER = { from: '"Quote" q', parent: 'q."speakerId"', id: 'q.id', articleJoin: ARTICLE_OF_QUOTE };

/**
 * A page of quotes for each speaker, in one statement; the quotes come along with their articles.
 * The speaker is the parent, whom the caller already has.
 */
export async function quotePagesBySpeaker(
  scope: ReadScope,
  speakerIds: readonly number[],
  page: ChildPage<QuoteOrder, QuoteFilter | null>,
): Promise<ChildId[]> {
  const where = await quoteWhere(scope, page.filter);
  return childPageIds(
    scope,
    BY_SPEAKER,
    where,
    QUOTE_ORDERS[page.orderBy],
    speakerIds,
    page,
    { select: `${QUOTE.list}, ${ARTICLE.list}`, row: '"Quote" q', joins: [ARTICLE_OF_QUOTE] },
    (row, at) => {
      scope.known.quote(toQuote(row, at));
      scope.known.article(toArticle(row, at + QUOTE.width));
    },
  );
}

/** How many of each speaker's quotes meet the filter, in key order. */
export async function quoteCountsBySpeaker(scope: ReadScope, speakerIds: readonly number[], filter: QuoteFilter | null): Promise<number[]> {
  return childCounts(scope, BY_SPEAKER, await quoteWhere(scope, filter), speakerIds);
}

export async function listQuotes(
  scope: ReadScope,
  args: PageArgs,
  filter: QuoteFilter | null | undefined,
  orderBy: QuoteOrder,
): Promise<Connection<QuoteRow>> {
  const ordering = QUOTE_ORDERS[orderBy];
  // Checked before the filter's lookups run.
  orderedPage(args, ordering);
  const where = await quoteWhere(scope, filter);
  const table = { from: '"Quote" q', columns: QUOTE, articleJoin: ARTICLE_OF_QUOTE };
  return orderedList(scope, table, where, ordering, args, (row) => toQuote(row));
}
