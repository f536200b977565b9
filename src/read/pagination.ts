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
  const nodes = rows.slice(0, page.first);
  const cursorAt = (i: number) => {
    const node = nodes[i];
    return node === undefined ? null : encodeCursor(keyOf(node, i));
  };
  // The edges, and so every cursor, are made only when a query selects them: most select `nodes`.
  let edges: Edge<T>[] | null = null;
  return {
    get edges() {
      return (edges ??= nodes.map((node, i) => ({ cursor: encodeCursor(keyOf(node, i)), node })));
    },
    nodes,
    pageInfo: {
      hasNextPage: rows.length > page.first,
      hasPreviousPage: page.after !== null,
      get startCursor() {
        return cursorAt(0);
      },
      get endCursor() {
        return cursorAt(nodes.length - 1);
      },
    },
    totalCount,
  };
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
