import { beginEvent, type Context } from '../context.js';
import type { LiveFilter as LiveFilterInput, SubscriptionResolvers } from '../generated/graphql.js';
import type { LiveEvent, LiveFilter } from '../live.js';
import { storedActorId, storedTopicId } from '../services/lookups.js';

/** The row ids a subscription's filter names; an actor or topic that does not exist is an error, not silence. */
async function liveFilter(context: Context, kind: LiveEvent['kind'], filter: LiveFilterInput | null | undefined): Promise<LiveFilter> {
  return {
    kind,
    actorId: filter?.actor == null ? null : await storedActorId(context.writer, filter.actor, 'filter.actor'),
    topicId: filter?.topic == null ? null : await storedTopicId(context.writer, filter.topic, 'filter.topic'),
  };
}

function events(context: Context) {
  if (!context.live) throw new Error('a subscription ran where no live updates are served');
  return context.live;
}

export const Subscription: SubscriptionResolvers = {
  articleAdded: {
    subscribe: async (_, { filter }, ctx) => events(ctx).subscribe(await liveFilter(ctx, 'article', filter)),
    resolve: async (event: LiveEvent, _args: unknown, ctx: Context) => {
      if (event.kind !== 'article') throw new Error('articleAdded received a quote event');
      const article = await beginEvent(ctx).articleById.load(event.articleId);
      if (!article) throw new Error(`Article ${event.articleId} was announced but is not stored`);
      return article;
    },
  },
  quoteAdded: {
    subscribe: async (_, { filter }, ctx) => events(ctx).subscribe(await liveFilter(ctx, 'quote', filter)),
    resolve: async (event: LiveEvent, _args: unknown, ctx: Context) => {
      if (event.kind !== 'quote') throw new Error('quoteAdded received an article event');
      const quote = await beginEvent(ctx).quoteById.load(event.quoteId);
      if (!quote) throw new Error(`Quote ${event.quoteId} was announced but is not stored`);
      return quote;
    },
  },
};
