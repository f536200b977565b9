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

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  inIds: (column) => `${column} IN (SELECT value FROM json_each(?))`,
  ids: (ids) => JSON.stringify(ids),
  date: storedDate,
  descNullsLast: '',
  contains: (haystack) => `instr(${haystack}, ?) > 0`,
  equalsIgnoringCase: (column) => `${column} = ? COLLATE NOCASE`,
  // A subquery rather than a list of ids, so that any number of matches fits in one statement.
  matches: (table, alias, search, field) => [
    `${alias}.id IN (SELECT rowid FROM "${table}Search" WHERE "${table}Search" MATCH ?)`,
    matchExpression(search, field),
  ],
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
