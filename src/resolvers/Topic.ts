import type { TopicResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import { childArticles, topicPositions } from './child-pages.js';

export const Topic: TopicResolvers = {
  id: (topic) => toGlobalId('Topic', topic.id),
  positions: (topic, args, { loaders }) => topicPositions(loaders, topic.id, args),
  articles: (topic, args, { loaders }) =>
    childArticles(loaders, 'articleIdsByTopicPage', topic.id, args, () => loaders.articleCountByTopicId.load(topic.id)),
};
