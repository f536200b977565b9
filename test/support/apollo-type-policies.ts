// The InMemoryCache type policies that fit newsgraph's schema, as the README recommends them.
// Kept in the project (and exercised by test/apollo-client.test.ts) so the documented policies are
// the tested ones. The server itself does not depend on Apollo Client.
import type { TypePolicies } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

export const newsgraphTypePolicies: TypePolicies = {
  Query: {
    fields: {
      // Each filter (or search query) is its own list; pages of the same list merge.
      articles: relayStylePagination(['filter']),
      actors: relayStylePagination(['filter']),
      quotes: relayStylePagination(['filter']),
      positions: relayStylePagination(['filter']),
      topics: relayStylePagination(),
      search: relayStylePagination(['query']),
    },
  },
  Actor: { fields: { quotes: relayStylePagination(), articles: relayStylePagination() } },
  Topic: { fields: { articles: relayStylePagination() } },
};
