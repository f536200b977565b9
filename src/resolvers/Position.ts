import type { Context } from '../context.js';
import type { PositionResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import type { PositionRow } from '../read/rows.js';
import { required } from './required.js';

const details = (position: PositionRow, { loaders }: Context) =>
  required(loaders.positionDetailsById.load(position.id), 'Position', position.id);

export const Position: PositionResolvers = {
  id: (position) => toGlobalId('Position', position.id),
  actor: (position, _, { loaders }) => required(loaders.actorById.get(position.actorId), 'Actor', position.actorId),
  topic: (position, _, { loaders }) => required(loaders.topicById.get(position.topicId), 'Topic', position.topicId),
  article: (position, _, { loaders }) => required(loaders.articleById.get(position.articleId), 'Article', position.articleId),
  quote: async (position, _, context) => {
    const { quoteId } = await details(position, context);
    return quoteId === null ? null : context.loaders.quoteById.get(quoteId);
  },
  origin: async (position, _, context) => (await details(position, context)).origin,
  confidence: async (position, _, context) => (await details(position, context)).confidence,
};
