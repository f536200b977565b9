import type { SearchQuery } from './search-query.js';
import type { KnownRows } from './store.js';

/**
 * What the read store's statements share across databases. Every entity module writes each query
 * once, in SQL both SQLite and PostgreSQL read: identifiers double-quoted (PostgreSQL folds bare
 * mixed-case names to lower case), `?` for parameters (the PostgreSQL runner numbers them; no read
 * statement holds a literal `?`), and a Dialect for the few places the two differ. Rows come back
 * as arrays in the statement's column order (better-sqlite3's raw mode, pg's rowMode 'array'):
 * building one object per row was about half of a statement's time on SQLite.
 */

/** A row as an array of column values, in the statement's column order. */
export type Row = readonly unknown[];

/** What differs between the two databases in the read store's SQL. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgresql';
  /**
   * `column IN` a list of ids bound as one parameter (`ids(list)`), so that one statement text
   * serves every batch size: `json_each` of a JSON array on SQLite, `= ANY` of an array on PostgreSQL.
   */
  inIds(column: string): string;
  ids(ids: readonly number[]): unknown;
  /** A DateTime as a parameter compared with stored ones. */
  date(date: Date): unknown;
  /**
   * Written after `ASC` or `DESC` on a nullable sort key so that NULLs come last, as the cursors
   * expect (src/read/order.ts): SQLite puts them first in ascending order, PostgreSQL in descending.
   * Empty where that is already the database's own order, so an index can still give it.
   */
  nullsLast(descending: boolean): string;
  /** True when text column `haystack` holds the bound literal text (no wildcards). */
  contains(haystack: string): string;
  /** `column` equals the bound text, ignoring ASCII case. */
  equalsIgnoringCase(column: string): string;
  /**
   * The start of the UTC day, ISO week (from Monday) or month holding the DateTime `column`, as text
   * `YYYY-MM-DD` (null for null), so both databases group and order periods alike.
   */
  periodStart(column: string, bucket: 'DAY' | 'WEEK' | 'MONTH'): string;
  /** `expression` (text) as it sorts by code point, as SQLite's BINARY collation sorts, whatever PostgreSQL's locale. */
  byCodePoint(expression: string): string;
  /** The rows of `alias` (an Article or Quote) whose text matches a search, and the parameter it binds. */
  matches(table: 'Article' | 'Quote', alias: string, search: string, field: string): readonly [sql: string, parameter: unknown];
  readonly search: SearchStatements;
}

/**
 * One type of hit a search looks for, and what the hit must also meet (SearchFilter's date range):
 * a condition on the column that holds its id, with the parameters it binds.
 */
export interface SearchPart {
  readonly type: 'Article' | 'Quote' | 'Actor';
  readonly within: ((id: string) => string) | null;
  readonly params: readonly unknown[];
}

/** A statement and the parameters it binds. */
export interface Statement {
  text: string;
  params: unknown[];
}

/** The statements of search (src/read/search.ts) that each database writes its own way. */
export interface SearchStatements {
  /** Rows (type, id, score) of the parts' types, best first; the limit and the offset are bound after `params`. */
  ranked(query: SearchQuery, parts: readonly SearchPart[]): Statement;
  /** One row: how many hits of the parts' types in all. */
  count(query: SearchQuery, parts: readonly SearchPart[]): Statement;
  /** The column of "ActorSearch" that holds the actor's id. */
  readonly key: string;
}

/** Runs one read statement of the store; `?` parameters, rows as arrays. */
export interface Statements {
  rows(text: string, params: readonly unknown[]): Promise<Row[]>;
}

/** One request's reads: where its statements run, their dialect, and where brought-along rows go. */
export interface ReadScope {
  db: Statements;
  dialect: Dialect;
  known: KnownRows;
}

/**
 * A LIMIT bound as a parameter, for every read statement. SQLite's planner reads a bare `LIMIT ?`'s
 * value and marks the statement stale whenever that parameter is bound, so each run prepared the
 * statement again: about 50 µs of a topic board's 150 µs. A cast is an expression the planner does
 * not read, so one prepared statement serves every page size; PostgreSQL reads it as a plain LIMIT.
 */
export const LIMIT = 'LIMIT CAST(? AS INTEGER)';

/** Runs a read with a list of ids bound as its first parameter. */
export function allByIds(scope: ReadScope, text: string, ids: readonly number[], ...rest: unknown[]): Promise<Row[]> {
  return scope.db.rows(text, [scope.dialect.ids(ids), ...rest]);
}

/** The first row of a read, or undefined. */
export async function firstRow(scope: ReadScope, text: string, params: readonly unknown[]): Promise<Row | undefined> {
  return (await scope.db.rows(text, params))[0];
}

/** One `count(*)` over a filter. */
export async function countOf(scope: ReadScope, text: string, params: readonly unknown[]): Promise<number> {
  return Number((await firstRow(scope, text, params))?.[0] ?? 0);
}

export const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
export const nullableDate = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
export const nullableNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
/** Text columns come back as strings; anything else (null) means absent. */
export const nullableString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

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

/** A column name as both databases read it: mixed-case names quoted (PostgreSQL folds bare ones). */
const quoted = (name: string) => (/[A-Z]/.test(name) ? `"${name}"` : name);

export function columns<const Name extends string>(alias: string, names: readonly Name[]): Columns<Name> {
  return {
    list: names.map((name) => `${alias}.${quoted(name)}`).join(', '),
    width: names.length,
    at: Object.fromEntries(names.map((name, i) => [name, i])) as { [N in Name]: number },
  };
}

// Each mapper reads its columns from an offset, so a statement can put a grouping key or another
// table's columns before them.

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

/** A statement's WHERE: conditions that must all hold, and the parameters they bind, in order. */
export class Where {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];
  /** Whether a condition reads the article `a` of a quote or position, which the statement must then join. */
  readsArticle = false;

  add(condition: string, ...params: unknown[]): void {
    this.conditions.push(condition);
    this.params.push(...params);
  }

  get sql(): string {
    return this.conditions.length > 0 ? this.conditions.join(' AND ') : '1 = 1';
  }
}
