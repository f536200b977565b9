import type { MutationResolvers } from '../generated/graphql.js';
import { addArticle } from '../services/articles.js';

export const Mutation: MutationResolvers = {
  addArticle: async (_, { input }, { writer, loaders }) => {
    const article = await addArticle(writer, input);
    loaders.articleById.prime(article.id, article);
    return { article };
  },
};
