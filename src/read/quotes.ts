import type { QuoteFilter } from '../generated/graphql.js';
import type { QuoteKind } from '../generated/prisma/enums.js';
import { matchExpression } from './search-query.js';
import { ACTOR, actorIdOf, toActor } from './actors.js';
import { ARTICLE, articleIdOf, toArticle } from './articles.js';
import { type Connection, cursorNumber, type PageArgs, pageRequest, toConnection } from './pagination.js';
import type { QuoteDetails, QuoteRow } from './rows.js';
import {
  allByIds,
  type ChildId,
  type ChildPage,
  columns,
  countOf,
  countsBy,
  Details,
  groupBy,
  IDS,
  nullableNumber,
  nullableString,
  preparedRows,
  type ReadScope,
  type Row,
  type SqlReader,
} from './sqlite.js';

/** Everything the API reads of quotes: rows by id, an article's quotes, a speaker's pages, lists. */

export const QUOTE = columns('q', ['id', 'articleId', 'speakerId', 'text', 'kind']);

export const quoteDetails = (sql: SqlReader) =>
  new Details<QuoteDetails>(sql, 'Quote', 'channel, startOffset, endOffset, origin, confidence', (row) => ({
    channel: nullableString(row[1]),
    startOffset: nullableNumber(row[2]),
    endOffset: nullableNumber(row[3]),
    origin: row[4] as QuoteDetails['origin'],
    confidence: nullableNumber(row[5]),
  }));

class ReadQuote implements QuoteRow {
  constructor(
    readonly id: number,
    readonly articleId: number,
    readonly speakerId: number | null,
    readonly text: string,
    readonly kind: QuoteKind,
    private readonly details: Details<QuoteDetails>,
  ) {
    details.register(id);
  }

  get channel(): string | null {
    return this.details.of(this.id).channel;
  }

  get startOffset(): number | null {
    return this.details.of(this.id).startOffset;
  }

  get endOffset(): number | null {
    return this.details.of(this.id).endOffset;
  }

  get origin(): QuoteDetails['origin'] {
    return this.details.of(this.id).origin;
  }

  get confidence(): number | null {
    return this.details.of(this.id).confidence;
  }
}

export function toQuote(scope: ReadScope, row: Row, at = 0): QuoteRow {
  const c = QUOTE.at;
  return new ReadQuote(
    Number(row[at + c.id]),
    Number(row[at + c.articleId]),
    nullableNumber(row[at + c.speakerId]),
    String(row[at + c.text]),
    row[at + c.kind] as QuoteKind,
    scope.details.quote,
  );
}

export function quotesByIds(scope: ReadScope, ids: readonly number[]): QuoteRow[] {
  return allByIds(scope.sql, `SELECT ${QUOTE.list} FROM Quote q WHERE q.id IN (${IDS})`, ids).map((row) => toQuote(scope, row));
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
      return toQuote(scope, row);
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
    scope.known.quote(toQuote(scope, row, 2));
    scope.known.article(toArticle(scope, row, 2 + QUOTE.width));
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
  const page = pageRequest(args, 1);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    conditions.push(condition);
    params.push(value);
  };
  if (filter?.kind) add('q.kind = ?', filter.kind);
  // A subquery rather than a list of ids, so that any number of matches fits in one statement.
  if (filter?.search)
    add('q.id IN (SELECT rowid FROM QuoteSearch WHERE QuoteSearch MATCH ?)', matchExpression(filter.search, 'filter.search'));
  if (filter?.speaker) add('q.speakerId = ?', actorIdOf(scope, filter.speaker) ?? NO_MATCH);
  if (filter?.article) add('q.articleId = ?', articleIdOf(scope, filter.article) ?? NO_MATCH);
  const where = conditions.length > 0 ? conditions.join(' AND ') : '1 = 1';
  const after = page.after ? cursorNumber(page.after, 0) : 0;
  const rows = preparedRows(scope.sql, `SELECT ${QUOTE.list} FROM Quote q WHERE ${where} AND q.id > ? ORDER BY q.id LIMIT ?`).all(
    ...params,
    after,
    page.first + 1,
  ) as Row[];
  return toConnection(
    rows.map((row) => toQuote(scope, row)),
    page,
    (q) => [q.id],
    async () => countOf(scope.sql, `SELECT count(*) AS total FROM Quote q WHERE ${where}`, params),
  );
}
