import type { QuoteResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import { required } from './required.js';

export const Quote: QuoteResolvers = {
  id: (quote) => toGlobalId('Quote', quote.id),
  speaker: (quote, _, { loaders }) => (quote.speakerId === null ? null : loaders.actorById.load(quote.speakerId)),
  article: async (quote, _, { loaders }) => required(await loaders.articleById.load(quote.articleId), 'Article', quote.articleId),
};
