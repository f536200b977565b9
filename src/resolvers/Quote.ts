import type { QuoteResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import { required } from './required.js';

export const Quote: QuoteResolvers = {
  id: (quote) => toGlobalId('Quote', quote.id),
  speaker: (quote, _, { loaders }) => (quote.speakerId === null ? null : loaders.actorById.get(quote.speakerId)),
  article: (quote, _, { loaders }) => required(loaders.articleById.get(quote.articleId), 'Article', quote.articleId),
};
