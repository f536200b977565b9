import type { PositionGroupResolvers, QuoteGroupResolvers } from '../generated/graphql.js';
import { required } from './required.js';

// The actors and topics of grouped counts come as ids and load through the batched loaders, so a
// page of groups costs one statement per table, whatever its size.

const QuoteGroup: QuoteGroupResolvers = {
  speaker: (group, _, { loaders }) =>
    group.speakerId === null ? null : required(loaders.actorById.get(group.speakerId), 'Actor', group.speakerId),
  topic: (group, _, { loaders }) =>
    group.topicId === null ? null : required(loaders.topicById.get(group.topicId), 'Topic', group.topicId),
};

const PositionGroup: PositionGroupResolvers = {
  actor: (group, _, { loaders }) =>
    group.actorId === null ? null : required(loaders.actorById.get(group.actorId), 'Actor', group.actorId),
  topic: (group, _, { loaders }) =>
    group.topicId === null ? null : required(loaders.topicById.get(group.topicId), 'Topic', group.topicId),
};

export const stats = { QuoteGroup, PositionGroup };
