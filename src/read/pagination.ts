import { badUserInput } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A Relay connection; `totalCount` is a function so the count query runs only when asked for. */
export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: () => Promise<number>;
}

/** The values of an item's sort key, in sort order; a cursor encodes them. */
export type CursorKey = (string | number | null)[];

export interface PageRequest {
  /** How many items the page holds. */
  first: number;
  /** The sort key of the item the page starts after, or null for the first page. */
  after: CursorKey | null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** `first`, checked: DEFAULT_PAGE_SIZE when not given, at most MAX_PAGE_SIZE. */
export function pageSize(requested: number | null | undefined): number {
  const first = requested ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput('first', `must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`);
  }
  return first;
}

/** Validates `first` and `after` before any query runs. */
export function pageRequest(args: PageArgs, keyLength: number): PageRequest {
  const first = pageSize(args.first);
  return { first, after: args.after == null ? null : decodeCursor(args.after, keyLength) };
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** A cursor's key, which must have `keyLength` parts (any number, for null). */
export function decodeCursor(cursor: string, keyLength: number | null): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    Array.isArray(key) &&
    (keyLength === null || key.length === keyLength) &&
    key.every((part) => part === null || typeof part === 'string' || typeof part === 'number');
  if (!valid) throw badUserInput('after', `"${cursor}" is not a cursor from this connection`);
  return key as CursorKey;
}

/**
 * Builds a connection from up to `first + 1` rows fetched after the cursor: the extra row only
 * tells whether there is a next page.
 */
export function toConnection<T>(
  rows: T[],
  page: PageRequest,
  keyOf: (row: T, index: number) => CursorKey,
  totalCount: () => Promise<number>,
): Connection<T> {
  return new PageOf(rows, page, keyOf, totalCount);
}

// A connection and its pageInfo are class instances, not object literals. V8 watches how often the
// objects of each literal outlive a young-generation collection, and once most do it allocates that
// literal's objects in the old generation from the start; a connection lives for its whole request,
// so that happened. An old connection that is no longer used still counts as alive at every young
// collection until the next full one, and kept its rows (and, through its count, the request's
// loaders) alive with it: on a topic board the bytes surviving each young collection went from 0.67
// to 1.48 MB. V8 does not pretenure objects made by `new` this way, and with classes it is 0.67 MB again.

/** The edges, and so every cursor, are made only when a query selects them: most select `nodes`. */
class PageOf<T> implements Connection<T> {
  readonly nodes: T[];
  readonly pageInfo: PageInfo;
  #edges: Edge<T>[] | null = null;

  constructor(
    rows: T[],
    page: PageRequest,
    private readonly keyOf: (row: T, index: number) => CursorKey,
    readonly totalCount: () => Promise<number>,
  ) {
    this.nodes = rows.slice(0, page.first);
    this.pageInfo = new PageInfoOf(this, rows.length > page.first, page.after !== null);
  }

  get edges(): Edge<T>[] {
    return (this.#edges ??= this.nodes.map((node, i) => ({ cursor: encodeCursor(this.keyOf(node, i)), node })));
  }

  cursorAt(i: number): string | null {
    const node = this.nodes[i];
    return node === undefined ? null : encodeCursor(this.keyOf(node, i));
  }
}

class PageInfoOf<T> implements PageInfo {
  constructor(
    private readonly page: PageOf<T>,
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.page.cursorAt(0);
  }

  get endCursor(): string | null {
    return this.page.cursorAt(this.page.nodes.length - 1);
  }
}

/** Reads one part of a decoded cursor with the type the connection stored there. */
export function cursorNumber(key: CursorKey, index: number): number {
  const value = key[index];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw badUserInput('after', 'is not a cursor from this connection');
  return value;
}

export function cursorString(key: CursorKey, index: number): string {
  const value = key[index];
  if (typeof value !== 'string') throw badUserInput('after', 'is not a cursor from this connection');
  return value;
}

export function cursorNullableString(key: CursorKey, index: number): string | null {
  const value = key[index];
  if (value !== null && typeof value !== 'string') throw badUserInput('after', 'is not a cursor from this connection');
  return value;
}
