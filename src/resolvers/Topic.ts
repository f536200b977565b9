import type { TopicResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import { childArticles } from '../services/queries.js';

export const Topic: TopicResolvers = {
  id: (topic) => toGlobalId('Topic', topic.id),
  positions: async (topic, { stance }, { loaders }) => {
    const positions = await loaders.positionsByTopicId.load(topic.id);
    return stance ? positions.filter((p) => p.stance === stance) : positions;
  },
  articles: (topic, page, { loaders }) =>
    childArticles(loaders, 'articleIdsByTopicPage', topic.id, page, () => loaders.articleCountByTopicId.load(topic.id)),
};
