import type Database from 'better-sqlite3';
import { matchExpression, type SearchQuery } from './search-query.js';
import { type Dialect, LIMIT, type Row, type SearchPart, type SearchStatements, type Statements } from './sql.js';

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
 * title band a second MATCH on the title column alone. One SELECT per type searched, each with the
 * condition its part adds on the row id.
 */
const RANKED_PARTS: Record<SearchPart['type'], { select: string; matches: (query: SearchQuery) => unknown[] }> = {
  Article: {
    select: `SELECT 'Article' AS type, rowid AS id, -bm25(ArticleSearch, 10.0, 1.0) AS b,
        CASE WHEN rowid IN (SELECT rowid FROM ArticleSearch WHERE ArticleSearch MATCH ?) THEN 2 ELSE 0 END AS band
      FROM ArticleSearch WHERE ArticleSearch MATCH ?`,
    matches: ({ match }) => [`{title} : (${match})`, match],
  },
  Quote: {
    select: `SELECT 'Quote' AS type, rowid AS id, -bm25(QuoteSearch) AS b, 1 AS band FROM QuoteSearch WHERE QuoteSearch MATCH ?`,
    matches: ({ match }) => [match],
  },
  Actor: {
    select: `SELECT 'Actor' AS type, rowid AS id, -bm25(ActorSearch, 10.0, 5.0) AS b, 3 AS band FROM ActorSearch WHERE ActorSearch MATCH ?`,
    matches: ({ match }) => [match],
  },
};

const within = (part: SearchPart) => (part.within ? ` AND ${part.within('rowid')}` : '');

const sqliteSearch: SearchStatements = {
  ranked: (query, parts) => ({
    text: `SELECT type, id, band + b / (1.0 + b) AS score FROM (
    ${parts.map((part) => `${RANKED_PARTS[part.type].select}${within(part)}`).join('\n    UNION ALL\n    ')}
  ) ORDER BY score DESC, type, id ${LIMIT} OFFSET ?`,
    params: parts.flatMap((part) => [...RANKED_PARTS[part.type].matches(query), ...part.params]),
  }),
  count: (query, parts) => ({
    text: `SELECT ${parts.map((part) => `(SELECT count(*) FROM ${part.type}Search WHERE ${part.type}Search MATCH ?${within(part)})`).join('\n    + ')} AS total`,
    params: parts.flatMap((part) => [query.match, ...part.params]),
  }),
  key: 'rowid',
};

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  inIds: (column) => `${column} IN (SELECT value FROM json_each(?))`,
  ids: (ids) => JSON.stringify(ids),
  date: storedDate,
  nullsLast: (descending) => (descending ? '' : ' NULLS LAST'),
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
  search: sqliteSearch,
};

/**
 * Prepared statements keyed by SQL text, one cache per connection, each made by `make` at its
 * first use: a statement whose keys are a JSON array (`IN (SELECT value FROM json_each(?))`)
 * serves every batch size.
 */
function statementCache(make: (sql: SqlReader, text: string) => Database.Statement) {
  const cache = new WeakMap<SqlReader, Map<string, Database.Statement>>();
  return (sql: SqlReader, text: string): Database.Statement => {
    let statements = cache.get(sql);
    if (!statements) cache.set(sql, (statements = new Map<string, Database.Statement>()));
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = make(sql, text)));
    return statement;
  };
}

export const prepared = statementCache((sql, text) => sql.prepare(text));

/**
 * The same, returning rows as arrays (see the row mappers): a cache of their own, as `raw` changes
 * the statement, so that a lookup hashes the statement's text as it is, with nothing appended.
 */
const preparedRows = statementCache((sql, text) => sql.prepare(text).raw(true));

/** Statements on one connection, run synchronously and answered as settled promises. */
export function sqliteStatements(sql: SqlReader): Statements {
  return { rows: async (text, params) => preparedRows(sql, text).all(...params) as Row[] };
}
