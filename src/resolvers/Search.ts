import type { Resolvers } from '../generated/graphql.js';
import { asNode, nodeTypeOf } from './Node.js';

export const search: Resolvers = {
  SearchHit: {
    node: async (hit, _, { loaders }) => {
      const loader = { Article: loaders.articleById, Quote: loaders.quoteById, Actor: loaders.actorById }[hit.type];
      const row = asNode(hit.type, await loader.load(hit.id));
      if (!row) throw new Error(`${hit.type} ${hit.id} is in the search index but not in its table`);
      return row;
    },
  },
  SearchResult: {
    __resolveType: (row) => {
      const type = nodeTypeOf(row);
      return type === 'Article' || type === 'Quote' || type === 'Actor' ? type : null;
    },
  },
  SearchConnection: { totalCount: (connection) => connection.totalCount() },
};
