import type { ArticleResolvers } from '../generated/graphql.js';
import { type Context, spendResponseBytes } from '../context.js';
import { toGlobalId } from '../ids.js';
import type { ArticleRow } from '../read/rows.js';
import { required } from './required.js';

const details = (article: ArticleRow, { loaders }: Context) => required(loaders.articleDetailsById.load(article.id), 'Article', article.id);

export const Article: ArticleResolvers = {
  id: (article) => toGlobalId('Article', article.id),
  body: (article, _, context) =>
    article.body != null
      ? spendResponseBytes(context, article.body)
      : context.loaders.articleBodyById.load(article.id).then((body) => spendResponseBytes(context, body)),
  source: async (article, _, context) => (await details(article, context)).source,
  url: async (article, _, context) => (await details(article, context)).url,
  createdAt: async (article, _, context) => (await details(article, context)).createdAt,
  updatedAt: async (article, _, context) => (await details(article, context)).updatedAt,
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
