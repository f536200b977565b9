import type { Resolvers } from '../generated/graphql.js';
import type { Connection } from '../read/pagination.js';

// Every connection counts lazily: the count query runs only when totalCount is selected.
const totalCount = <T>(connection: Connection<T>) => connection.totalCount();

export const connections: Resolvers = {
  ArticleConnection: { totalCount },
  ActorConnection: { totalCount },
  QuoteConnection: { totalCount },
  TopicConnection: { totalCount },
  PositionConnection: { totalCount },
};
