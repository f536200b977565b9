import type Database from 'better-sqlite3';
import type { KnownRows } from './store.js';

/**
 * The read store's SQLite plumbing: prepared statements on a read-only better-sqlite3 connection.
 * Prisma costs about a millisecond per statement here against microseconds for a prepared
 * statement, and loaders run several statements per request, so reads go through this instead;
 * Prisma stays the owner of the schema, the migrations and every write. Rows come back in Prisma's
 * shapes (Dates for DateTime columns), so resolvers cannot tell the difference.
 */
export type SqlReader = Database.Database;

/** A row as an array of column values, in the statement's column order. */
export type Row = readonly unknown[];

/** The keys of a batch, bound as one JSON parameter, so one statement text serves every batch size. */
export const IDS = 'SELECT value FROM json_each(?)';

export const date = (value: unknown): Date => new Date(String(value));
export const nullableDate = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
export const nullableNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
/** SQLite text columns come back as strings; anything else (null) means absent. */
export const nullableString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A DateTime as Prisma's adapter stores it (ISO 8601 with an explicit +00:00), for comparisons in SQL. */
export function storedDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/**
 * The columns a statement reads of one table, written once: the SELECT list, its width (where the
 * next table's columns start in a joined row) and each column's position, which the row mapper
 * reads by name, so reordering or adding a column cannot shift what a mapper reads.
 */
export interface Columns<Name extends string> {
  readonly list: string;
  readonly width: number;
  readonly at: { readonly [N in Name]: number };
}

export function columns<const Name extends string>(alias: string, names: readonly Name[]): Columns<Name> {
  return {
    list: names.map((name) => `${alias}.${name}`).join(', '),
    width: names.length,
    at: Object.fromEntries(names.map((name, i) => [name, i])) as { [N in Name]: number },
  };
}

// Rows come back as arrays (better-sqlite3's raw mode): building one object per row was about half
// of a statement's time. Each mapper reads its columns from an offset, so a statement can put a
// grouping key or another table's columns before them.

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
export function preparedRows(sql: SqlReader, text: string): Database.Statement {
  return prepared(sql, `${text} -- rows`).raw(true);
}

/** Runs a prepared read with a list of ids bound as one JSON parameter; rows as arrays. */
export function allByIds(sql: SqlReader, text: string, ids: readonly number[], ...rest: unknown[]): Row[] {
  return preparedRows(sql, text).all(JSON.stringify(ids), ...rest) as Row[];
}

/** One `count(*)` over a filter. */
export function countOf(sql: SqlReader, text: string, params: readonly unknown[]): number {
  const row = prepared(sql, text).get(...params) as { total: number };
  return Number(row.total);
}

/** Rows grouped under the keys they belong to, in key order ([] for a key with none). */
export function groupBy<T>(rows: readonly T[], keyOf: (row: T) => number, keys: readonly number[]): T[][] {
  const groups = new Map<number, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/** Rows by id in key order, null for a key with no row. */
export function inKeyOrder<T extends { id: number }>(rows: readonly T[], ids: readonly number[]): (T | null)[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** `[key, count]` rows as counts in key order (0 for a key with none). */
export function countsBy(rows: readonly Row[], keys: readonly number[]): number[] {
  const map = new Map(rows.map((row) => [Number(row[0]), Number(row[1])]));
  return keys.map((key) => map.get(key) ?? 0);
}

/** One request's reads on the SQLite store: its connection and where brought-along rows go. */
export interface ReadScope {
  sql: SqlReader;
  known: KnownRows;
}
