import type { QuoteFilter } from '../generated/graphql.js';
import type { Origin, QuoteKind } from '../generated/prisma/enums.js';
import { matchExpression } from './search-query.js';
import { ACTOR, actorIdOf, toActor } from './actors.js';
import { ARTICLE, articleIdOf, toArticle } from './articles.js';
import { type Conditions, filteredIdPage } from './filtered-page.js';
import { type Connection, type PageArgs } from './pagination.js';
import type { QuoteDetails, QuoteRow } from './rows.js';
import type { ChildId, ChildPage } from './store.js';
import {
  allByIds,
  columns,
  countsBy,
  groupBy,
  IDS,
  inKeyOrder,
  nullableNumber,
  nullableString,
  type ReadScope,
  type Row,
} from './sqlite.js';

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
export function quoteDetailsByIds(scope: ReadScope, ids: readonly number[]): (QuoteDetails | null)[] {
  const c = DETAILS.at;
  const rows = allByIds(scope.sql, `SELECT ${DETAILS.list} FROM Quote q WHERE q.id IN (${IDS})`, ids).map((row) => ({
    id: Number(row[c.id]),
    channel: nullableString(row[c.channel]),
    startOffset: nullableNumber(row[c.startOffset]),
    endOffset: nullableNumber(row[c.endOffset]),
    origin: row[c.origin] as Origin,
    confidence: nullableNumber(row[c.confidence]),
  }));
  return inKeyOrder(rows, ids);
}

export function quotesByIds(scope: ReadScope, ids: readonly number[]): QuoteRow[] {
  return allByIds(scope.sql, `SELECT ${QUOTE.list} FROM Quote q WHERE q.id IN (${IDS})`, ids).map((row) => toQuote(row));
}

/**
 * Each article's quotes in order of appearance in the body (paraphrases, without offsets, last),
 * with their speakers, which nearly every query of quotes asks for.
 */
export function quotesByArticleIds(scope: ReadScope, articleIds: readonly number[]): QuoteRow[][] {
  const rows = allByIds(
    scope.sql,
    `SELECT ${QUOTE.list}, ${ACTOR.list} FROM Quote q LEFT JOIN Actor c ON c.id = q.speakerId
     WHERE q.articleId IN (${IDS}) ORDER BY q.startOffset IS NULL, q.startOffset, q.id`,
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
export function quotePagesBySpeaker(scope: ReadScope, speakerIds: readonly number[], page: ChildPage): ChildId[] {
  const text = `SELECT r.parentId, r.id, ${QUOTE.list}, ${ARTICLE.list} FROM (
      SELECT q.speakerId AS parentId, q.id AS id, ROW_NUMBER() OVER (PARTITION BY q.speakerId ORDER BY q.id) AS rank
      FROM Quote q WHERE q.speakerId IN (${IDS}) AND q.id > ?
    ) r JOIN Quote q ON q.id = r.id JOIN Article a ON a.id = q.articleId
    WHERE r.rank <= ? ORDER BY r.parentId, r.rank`;
  const after = page.after === null ? 0 : page.after[0];
  return allByIds(scope.sql, text, speakerIds, after, page.first + 1).map((row) => {
    scope.known.quote(toQuote(row, 2));
    scope.known.article(toArticle(row, 2 + QUOTE.width));
    return { parentId: Number(row[0]), id: Number(row[1]) };
  });
}

export const quoteCountsBySpeaker = (scope: ReadScope, speakerIds: readonly number[]) =>
  countsBy(
    allByIds(scope.sql, `SELECT speakerId, count(*) FROM Quote WHERE speakerId IN (${IDS}) GROUP BY speakerId`, speakerIds),
    speakerIds,
  );

const NO_MATCH = -1;

export function listQuotes(scope: ReadScope, args: PageArgs, filter: QuoteFilter | null | undefined): Connection<QuoteRow> {
  const conditions: Conditions = [];
  if (filter?.kind) conditions.push(['q.kind = ?', filter.kind]);
  // A subquery rather than a list of ids, so that any number of matches fits in one statement.
  if (filter?.search)
    conditions.push(['q.id IN (SELECT rowid FROM QuoteSearch WHERE QuoteSearch MATCH ?)', matchExpression(filter.search, 'filter.search')]);
  if (filter?.speaker) conditions.push(['q.speakerId = ?', actorIdOf(scope, filter.speaker) ?? NO_MATCH]);
  if (filter?.article) conditions.push(['q.articleId = ?', articleIdOf(scope, filter.article) ?? NO_MATCH]);
  return filteredIdPage(scope, { from: 'Quote', alias: 'q', list: QUOTE.list }, conditions, args, (row) => toQuote(row));
}
