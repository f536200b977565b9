import type { ArticleResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';

export const Article: ArticleResolvers = {
  id: (article) => toGlobalId('Article', article.id),
  body: (article, _, { loaders }) => article.body ?? loaders.articleBodyById.load(article.id),
  actors: async (article, { kind }, { loaders }) => {
    const actors = await loaders.actorsByArticleId.load(article.id);
    return kind ? actors.filter((a) => a.kind === kind) : actors;
  },
  quotes: async (article, { kind }, { loaders }) => {
    const quotes = await loaders.quotesByArticleId.load(article.id);
    return kind ? quotes.filter((q) => q.kind === kind) : quotes;
  },
  positions: (article, _, { loaders }) => loaders.positionsByArticleId.load(article.id),
  topics: (article, _, { loaders }) => loaders.topicsByArticleId.load(article.id),
};
