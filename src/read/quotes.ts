import type { QuoteFilter } from '../generated/graphql.js';
import type { Origin, QuoteKind } from '../generated/prisma/enums.js';
import { ACTOR, actorIdOf, toActor } from './actors.js';
import { ARTICLE, articleIdOf, toArticle } from './articles.js';
import { type Conditions, filteredIdPage } from './filtered-page.js';
import { type Connection, type PageArgs } from './pagination.js';
import type { QuoteDetails, QuoteRow } from './rows.js';
import type { ChildId, ChildPage } from './store.js';
import { allByIds, columns, countsBy, groupBy, inKeyOrder, nullableNumber, nullableString, type ReadScope, type Row } from './sql.js';

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
 * A page of quotes for each speaker, in one statement (a window function numbers each speaker's
 * quotes); the quotes come along with their articles. The speaker is the parent, whom the caller
 * already has.
 */
export async function quotePagesBySpeaker(scope: ReadScope, speakerIds: readonly number[], page: ChildPage): Promise<ChildId[]> {
  const text = `SELECT r.parent_id, r.id, ${QUOTE.list}, ${ARTICLE.list} FROM (
      SELECT q."speakerId" AS parent_id, q.id AS id, ROW_NUMBER() OVER (PARTITION BY q."speakerId" ORDER BY q.id) AS rank
      FROM "Quote" q WHERE ${scope.dialect.inIds('q."speakerId"')} AND q.id > ?
    ) r JOIN "Quote" q ON q.id = r.id JOIN "Article" a ON a.id = q."articleId"
    WHERE r.rank <= ? ORDER BY r.parent_id, r.rank`;
  const after = page.after === null ? 0 : page.after[0];
  return (await allByIds(scope, text, speakerIds, after, page.first + 1)).map((row) => {
    scope.known.quote(toQuote(row, 2));
    scope.known.article(toArticle(row, 2 + QUOTE.width));
    return { parentId: Number(row[0]), id: Number(row[1]) };
  });
}

export const quoteCountsBySpeaker = async (scope: ReadScope, speakerIds: readonly number[]) =>
  countsBy(
    await allByIds(
      scope,
      `SELECT "speakerId", count(*) FROM "Quote" WHERE ${scope.dialect.inIds('"speakerId"')} GROUP BY "speakerId"`,
      speakerIds,
    ),
    speakerIds,
  );

const NO_MATCH = -1;

export async function listQuotes(scope: ReadScope, args: PageArgs, filter: QuoteFilter | null | undefined): Promise<Connection<QuoteRow>> {
  const conditions: Conditions = [];
  if (filter?.kind) conditions.push(['q.kind = ?', filter.kind]);
  if (filter?.search) conditions.push(scope.dialect.matches('Quote', 'q', filter.search, 'filter.search'));
  if (filter?.speaker) conditions.push(['q."speakerId" = ?', (await actorIdOf(scope, filter.speaker)) ?? NO_MATCH]);
  if (filter?.article) conditions.push(['q."articleId" = ?', (await articleIdOf(scope, filter.article)) ?? NO_MATCH]);
  return filteredIdPage(scope, { from: 'Quote', alias: 'q', list: QUOTE.list }, conditions, args, (row) => toQuote(row));
}
