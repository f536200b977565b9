import type Database from 'better-sqlite3';
import { matchExpression } from './search-query.js';
import type { Dialect, Row, Statements } from './sql.js';

/**
 * The read store's SQLite plumbing: prepared statements on a read-only better-sqlite3 connection.
 * Prisma costs about a millisecond per statement here against microseconds for a prepared
 * statement, and loaders run several statements per request, so reads go through this instead;
 * Prisma stays the owner of the schema, the migrations and every write. Rows come back in Prisma's
 * shapes (Dates for DateTime columns), so resolvers cannot tell the difference.
 */
export type SqlReader = Database.Database;

/** A DateTime as Prisma's adapter stores it (ISO 8601 with an explicit +00:00), for comparisons in SQL. */
export function storedDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/**
 * FTS5's ranking (see searchHits): BM25 with title 10 : body 1 and name 10 : aliases 5, and the
 * title band a second MATCH on the title column alone.
 */
const RANKED = `SELECT type, id, band + b / (1.0 + b) AS score FROM (
    SELECT 'Article' AS type, rowid AS id, -bm25(ArticleSearch, 10.0, 1.0) AS b,
        CASE WHEN rowid IN (SELECT rowid FROM ArticleSearch WHERE ArticleSearch MATCH ?) THEN 2 ELSE 0 END AS band
      FROM ArticleSearch WHERE ArticleSearch MATCH ?
    UNION ALL
    SELECT 'Quote', rowid, -bm25(QuoteSearch), 1 FROM QuoteSearch WHERE QuoteSearch MATCH ?
    UNION ALL
    SELECT 'Actor', rowid, -bm25(ActorSearch, 10.0, 5.0), 3 FROM ActorSearch WHERE ActorSearch MATCH ?
  ) ORDER BY score DESC, type, id LIMIT ? OFFSET ?`;

const COUNT = `SELECT (SELECT count(*) FROM ArticleSearch WHERE ArticleSearch MATCH ?)
    + (SELECT count(*) FROM QuoteSearch WHERE QuoteSearch MATCH ?)
    + (SELECT count(*) FROM ActorSearch WHERE ActorSearch MATCH ?) AS total`;

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  inIds: (column) => `${column} IN (SELECT value FROM json_each(?))`,
  ids: (ids) => JSON.stringify(ids),
  date: storedDate,
  descNullsLast: '',
  contains: (haystack) => `instr(${haystack}, ?) > 0`,
  equalsIgnoringCase: (column) => `${column} = ? COLLATE NOCASE`,
  // date() reads the stored ISO text with its offset and answers the UTC date; `weekday 1` moves
  // forward to a Monday, so six days back first lands on the Monday that starts the week.
  periodStart: (column, bucket) =>
    ({ DAY: `date(${column})`, WEEK: `date(${column}, '-6 days', 'weekday 1')`, MONTH: `strftime('%Y-%m-01', ${column})` })[bucket],
  byCodePoint: (expression) => expression,
  // A subquery rather than a list of ids, so that any number of matches fits in one statement.
  matches: (table, alias, search, field) => [
    `${alias}.id IN (SELECT rowid FROM "${table}Search" WHERE "${table}Search" MATCH ?)`,
    matchExpression(search, field),
  ],
  search: {
    ranked: RANKED,
    rankedParams: ({ match }) => [`{title} : (${match})`, match, match, match],
    count: COUNT,
    countParams: ({ match }) => [match, match, match],
    key: 'rowid',
  },
};

/**
 * Prepared statements keyed by SQL text, one cache per connection: a statement whose keys are a
 * JSON array (`IN (SELECT value FROM json_each(?))`) serves every batch size.
 */
const cache = new WeakMap<SqlReader, Map<string, Database.Statement>>();
export function prepared(sql: SqlReader, text: string): Database.Statement {
  let statements = cache.get(sql);
  if (!statements) cache.set(sql, (statements = new Map<string, Database.Statement>()));
  let statement = statements.get(text);
  if (!statement) statements.set(text, (statement = sql.prepare(text)));
  return statement;
}

/** The same, returning rows as arrays (see the row mappers). */
function preparedRows(sql: SqlReader, text: string): Database.Statement {
  return prepared(sql, `${text} -- rows`).raw(true);
}

/** Statements on one connection, run synchronously and answered as settled promises. */
export function sqliteStatements(sql: SqlReader): Statements {
  return { rows: async (text, params) => preparedRows(sql, text).all(...params) as Row[] };
}
