import { badUserInput } from '../errors.js';
import { type CursorKey, decodeCursor, type PageArgs, pageSize } from './pagination.js';
import { date, type Dialect, type Row } from './sql.js';

/**
 * The orders lists are read in (the `orderBy` enums of schema.graphql), and the keyset paging that
 * stays exact under each. An order is a list of sort keys ending in a unique one (an id), so no two
 * rows tie; a cursor holds the order's name and the last row's value of every key, and the next page
 * is the rows that sort after those values. NULLs (an undated article, an actor never quoted) sort
 * last in either direction, on both databases, and the keyset condition says so explicitly: `x > ?`
 * alone would drop them.
 */

/** How a key's values compare and travel in a cursor: numbers, text by code point, or DateTimes as ISO text. */
export type SortType = 'integer' | 'text' | 'date';

export interface SortKey {
  /** The value in SQL, over the statement's aliases (a column, or a correlated subquery). */
  readonly sql: string;
  readonly type: SortType;
  readonly descending?: boolean;
  /** The value may be NULL; such rows come after every other, whichever the direction. */
  readonly nullable?: boolean;
}

export interface Ordering {
  /** The enum value, e.g. `PUBLISHED_AT_DESC`: the first part of each cursor, so one order's cursor is refused by another. */
  readonly name: string;
  /** In sort order; the last is unique. */
  readonly keys: readonly SortKey[];
  /** The keys read the article `a` of a quote or position, which the statement must then join. */
  readonly readsArticle?: boolean;
}

/** The orders of a list of things said in articles (quotes, positions), as QuoteOrder and PositionOrder name them. */
export type ArticleChildOrder = 'ADDED_ASC' | 'ADDED_DESC' | 'PUBLISHED_AT_DESC' | 'PUBLISHED_AT_ASC';

/**
 * The orders of quotes or positions, over the statement's alias for their table (`q`, `p`): in the
 * order added, or by the article's date, where one article's rows stay together in the order added.
 * The article is `a`, which a statement reading these orders must join.
 */
export function articleChildOrders(alias: string): Record<ArticleChildOrder, Ordering> {
  const byId: SortKey = { sql: `${alias}.id`, type: 'integer' };
  const byArticle: SortKey = { sql: `${alias}."articleId"`, type: 'integer' };
  const byDate: SortKey = { sql: 'a."publishedAt"', type: 'date', nullable: true };
  return {
    ADDED_ASC: { name: 'ADDED_ASC', keys: [byId] },
    ADDED_DESC: { name: 'ADDED_DESC', keys: [{ ...byId, descending: true }] },
    PUBLISHED_AT_DESC: {
      name: 'PUBLISHED_AT_DESC',
      readsArticle: true,
      keys: [{ ...byDate, descending: true }, { ...byArticle, descending: true }, byId],
    },
    PUBLISHED_AT_ASC: { name: 'PUBLISHED_AT_ASC', readsArticle: true, keys: [byDate, byArticle, byId] },
  };
}

/** `first` and the last row's key values (without the order's name), checked before any statement. */
export interface OrderedPage {
  first: number;
  after: CursorKey | null;
}

/** A key's SQL as it compares: text by code point, as SQLite's BINARY collation compares, on both databases. */
const valueOf = (dialect: Dialect, key: SortKey) => (key.type === 'text' ? dialect.byCodePoint(key.sql) : key.sql);

/** The ORDER BY list of an order. */
export function orderSql(dialect: Dialect, ordering: Ordering): string {
  return ordering.keys
    .map(
      (key) =>
        `${valueOf(dialect, key)} ${key.descending ? 'DESC' : 'ASC'}${key.nullable ? dialect.nullsLast(key.descending === true) : ''}`,
    )
    .join(', ');
}

/** The keys' values as trailing columns of a SELECT, for the cursors of the rows it returns. */
export const sortColumns = (ordering: Ordering) => ordering.keys.map((key) => key.sql).join(', ');

/** The values of the keys in `row`, from column `at` on, as a cursor holds them. */
export function sortValuesOf(ordering: Ordering, row: Row, at: number): CursorKey {
  return ordering.keys.map((key, i) => {
    const value = row[at + i];
    if (value === null || value === undefined) return null;
    if (key.type === 'integer') return Number(value);
    if (key.type === 'date') return date(value).toISOString();
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** A key's cursor value as a statement parameter. */
function parameterOf(dialect: Dialect, key: SortKey, value: string | number): unknown {
  return key.type === 'date' ? dialect.date(new Date(value)) : value;
}

/**
 * The rows after `after` in this order, as SQL and its parameters: for some key, equal on every key
 * before it and beyond the cursor on it. Beyond a value includes NULL (NULLs come last); beyond NULL
 * is nothing on that key, only the later keys decide.
 */
export function afterSql(dialect: Dialect, ordering: Ordering, after: CursorKey | null): { sql: string; params: unknown[] } {
  if (after === null) return { sql: '1 = 1', params: [] };
  const alternatives: string[] = [];
  const params: unknown[] = [];
  const equal: string[] = [];
  const equalParams: unknown[] = [];
  ordering.keys.forEach((key, i) => {
    const value = after[i] ?? null;
    const column = valueOf(dialect, key);
    if (value !== null) {
      const beyond = `${column} ${key.descending ? '<' : '>'} ?`;
      alternatives.push([...equal, key.nullable ? `(${beyond} OR ${column} IS NULL)` : beyond].join(' AND '));
      params.push(...equalParams, parameterOf(dialect, key, value));
      equal.push(`${column} = ?`);
      equalParams.push(parameterOf(dialect, key, value));
    } else equal.push(`${column} IS NULL`);
  });
  if (alternatives.length === 0) return { sql: '1 = 0', params: [] };
  return { sql: `(${alternatives.map((alternative) => `(${alternative})`).join(' OR ')})`, params };
}

/**
 * `first` and `after` for a list in `ordering`, checked before any statement runs: the cursor must
 * come from a list in the same order, and hold a value of the right type for each key.
 */
export function orderedPage(args: PageArgs, ordering: Ordering): OrderedPage {
  const first = pageSize(args.first);
  if (args.after == null) return { first, after: null };
  const cursor = args.after;
  const [name, ...values] = decodeCursor(cursor, null);
  if (name !== ordering.name && typeof name === 'string' && /^[A-Z_]{1,40}$/.test(name)) {
    throw badUserInput(
      'after',
      `is a cursor of orderBy ${name}, and this list is ordered by ${ordering.name}: pass the same orderBy, or start again without after`,
    );
  }
  if (name !== ordering.name || values.length !== ordering.keys.length)
    throw badUserInput('after', `"${cursor}" is not a cursor from this connection`);
  ordering.keys.forEach((sortKey, i) => {
    const value = values[i] ?? null;
    const fits =
      value === null
        ? sortKey.nullable === true
        : sortKey.type === 'integer'
          ? typeof value === 'number' && Number.isSafeInteger(value)
          : typeof value === 'string' && (sortKey.type === 'text' || !Number.isNaN(Date.parse(value)));
    if (!fits) throw badUserInput('after', `"${cursor}" is not a cursor from this connection`);
  });
  return { first, after: values };
}

/** The cursor of a row: the order's name, then its key values. */
export const cursorKeyOf = (ordering: Ordering, values: CursorKey): CursorKey => [ordering.name, ...values];
