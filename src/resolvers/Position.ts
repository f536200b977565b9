import type { PositionResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import { required } from './required.js';

export const Position: PositionResolvers = {
  id: (position) => toGlobalId('Position', position.id),
  actor: async (position, _, { loaders }) => required(await loaders.actorById.load(position.actorId), 'Actor', position.actorId),
  topic: async (position, _, { loaders }) => required(await loaders.topicById.load(position.topicId), 'Topic', position.topicId),
  article: async (position, _, { loaders }) => required(await loaders.articleById.load(position.articleId), 'Article', position.articleId),
  quote: (position, _, { loaders }) => (position.quoteId === null ? null : loaders.quoteById.load(position.quoteId)),
};
