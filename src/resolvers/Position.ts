import type { PositionResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import { required } from './required.js';

export const Position: PositionResolvers = {
  id: (position) => toGlobalId('Position', position.id),
  actor: (position, _, { loaders }) => required(loaders.actorById.get(position.actorId), 'Actor', position.actorId),
  topic: (position, _, { loaders }) => required(loaders.topicById.get(position.topicId), 'Topic', position.topicId),
  article: (position, _, { loaders }) => required(loaders.articleById.get(position.articleId), 'Article', position.articleId),
  quote: (position, _, { loaders }) => (position.quoteId === null ? null : loaders.quoteById.get(position.quoteId)),
};
