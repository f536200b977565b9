// The InMemoryCache type policies that fit newsgraph's schema, as the README recommends them. The
// web app's client uses them, and test/apollo-client.test.ts exercises them against the real
// server, so the documented policies are the tested ones. The server does not depend on Apollo Client.
import type { FieldPolicy, Reference, TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

type KeyArgs = FieldPolicy['keyArgs'];

/** One page of a connection's `nodes`, with the cursors it was fetched after and ends at. */
interface NodePage {
  after: string | null;
  endCursor: string | null;
  nodes: readonly unknown[];
}

/** A connection as this policy keeps it: relayStylePagination's edges, plus `nodes` page by page. */
interface StoredConnection {
  edges: unknown[];
  pageInfo: { endCursor?: string | null } & Record<string, unknown>;
  nodePages?: NodePage[];
  [extra: string]: unknown;
}

/**
 * relayStylePagination merges pages of `edges` but treats every other field of a connection, `nodes`
 * among them, as a value the latest page replaces: a query that selected only `nodes` read page 2
 * in place of pages 1 and 2 after fetchMore. This policy keeps relayStylePagination for edges and
 * pageInfo and merges `nodes` as it merges edges: a page fetched with `after` continues the list from
 * the page that ended at that cursor (replacing what came after it), one without `after` starts
 * the list again.
 */
export function connectionPagination(keyArgs: KeyArgs = false): FieldPolicy<StoredConnection | null> {
  const relay = relayStylePagination(keyArgs) as unknown as {
    read: (existing: StoredConnection | undefined, options: unknown) => StoredConnection | undefined;
    merge: (existing: StoredConnection | undefined, incoming: StoredConnection, options: unknown) => StoredConnection;
  };
  return {
    keyArgs,
    read(existing, options) {
      const read = relay.read(existing ?? undefined, options);
      if (!read) return read;
      const { nodePages, ...connection } = read;
      return nodePages ? { ...connection, nodes: nodePages.flatMap((page) => page.nodes) } : connection;
    },
    merge(existing, incoming, options) {
      const { nodes, ...rest } = incoming as StoredConnection & { nodes?: readonly Reference[] };
      const merged = relay.merge(existing ?? undefined, rest, options);
      if (!nodes) return merged;
      const after = typeof options.args?.after === 'string' ? options.args.after : null;
      const earlier = existing?.nodePages ?? [];
      const continues = after === null ? -1 : earlier.findIndex((page) => page.endCursor === after);
      // An `after` no stored page ends at is appended, as relayStylePagination appends its edges.
      const kept = after === null ? [] : continues >= 0 ? earlier.slice(0, continues + 1) : earlier;
      const page: NodePage = { after, endCursor: rest.pageInfo?.endCursor ?? null, nodes };
      return { ...merged, nodePages: [...kept, page] };
    },
  };
}

export const newsgraphTypePolicies: TypePolicies = {
  Query: {
    fields: {
      // Each filter and order (or search query) is its own list; pages of the same list merge.
      articles: connectionPagination(['filter', 'orderBy']),
      actors: connectionPagination(['filter', 'orderBy']),
      quotes: connectionPagination(['filter', 'orderBy']),
      positions: connectionPagination(['filter', 'orderBy']),
      topics: connectionPagination(['orderBy']),
      search: connectionPagination(['query', 'filter']),
    },
  },
  Actor: {
    fields: {
      quotes: connectionPagination(['filter', 'orderBy']),
      positions: connectionPagination(['topic', 'filter', 'orderBy']),
      members: connectionPagination(['orderBy']),
      articles: connectionPagination(['orderBy']),
    },
  },
  Topic: {
    fields: {
      positions: connectionPagination(['stance', 'filter', 'orderBy']),
      articles: connectionPagination(['orderBy']),
    },
  },
};
