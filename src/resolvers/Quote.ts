import type { Context } from '../context.js';
import type { QuoteResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import type { QuoteRow } from '../read/rows.js';
import { required } from './required.js';

const details = (quote: QuoteRow, { loaders }: Context) => required(loaders.quoteDetailsById.load(quote.id), 'Quote', quote.id);

export const Quote: QuoteResolvers = {
  id: (quote) => toGlobalId('Quote', quote.id),
  speaker: (quote, _, { loaders }) => (quote.speakerId === null ? null : loaders.actorById.get(quote.speakerId)),
  article: (quote, _, { loaders }) => required(loaders.articleById.get(quote.articleId), 'Article', quote.articleId),
  channel: async (quote, _, context) => (await details(quote, context)).channel,
  startOffset: async (quote, _, context) => (await details(quote, context)).startOffset,
  endOffset: async (quote, _, context) => (await details(quote, context)).endOffset,
  origin: async (quote, _, context) => (await details(quote, context)).origin,
  confidence: async (quote, _, context) => (await details(quote, context)).confidence,
};
