import type { TopicResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import { childArticles } from './child-pages.js';

export const Topic: TopicResolvers = {
  id: (topic) => toGlobalId('Topic', topic.id),
  positions: (topic, { stance }, { loaders }) => loaders.positionsByTopicStance.load({ topicId: topic.id, stance: stance ?? null }),
  articles: (topic, page, { loaders }) =>
    childArticles(loaders, 'articleIdsByTopicPage', topic.id, page, () => loaders.articleCountByTopicId.load(topic.id)),
};
