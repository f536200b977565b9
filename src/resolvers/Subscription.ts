import { beginEvent, type Context, resetLoaders } from '../context.js';
import { badUserInput, notFound } from '../errors.js';
import type { LiveFilter as LiveFilterInput, SubscriptionResolvers } from '../generated/graphql.js';
import { parseGlobalId, rowIdOf } from '../ids.js';
import type { LiveEvent, LiveFilter } from '../live.js';
import type { Reads } from '../read/store.js';
import { requiredText } from '../services/text.js';

/** A stored actor named by global id, canonical name or alias, read through the read store. */
async function actorId(reads: Reads, reference: string, field: string): Promise<number> {
  const text = requiredText(field, reference, 'nameLength');
  if (parseGlobalId(text)) {
    const id = rowIdOf('Actor', text, field);
    if ((await reads.actors.byIds([id])).length === 0) throw notFound(`${field} "${text}" names no Actor; it may have been deleted`);
    return id;
  }
  const id = await reads.actors.idOf(text);
  if (id === null) throw badUserInput(field, `"${text}" is not a known actor; add it with upsertActor first`);
  return id;
}

/** A stored topic named by global id, slug or name. */
async function topicId(reads: Reads, reference: string, field: string): Promise<number> {
  const text = requiredText(field, reference, 'topicLength');
  if (parseGlobalId(text)) {
    const id = rowIdOf('Topic', text, field);
    if ((await reads.topics.byIds([id])).length === 0) throw notFound(`${field} "${text}" names no Topic; it may have been deleted`);
    return id;
  }
  const topic = await reads.topics.bySlug(text);
  if (!topic) throw badUserInput(field, `"${text}" is not a known topic`);
  return topic.id;
}

/** The row ids a subscription's filter names; an actor or topic that does not exist is an error, not silence. */
async function liveFilter(context: Context, kind: LiveEvent['kind'], filter: LiveFilterInput | null | undefined): Promise<LiveFilter> {
  const { reads } = context.loaders;
  const found = {
    kind,
    actorId: filter?.actor == null ? null : await actorId(reads, filter.actor, 'filter.actor'),
    topicId: filter?.topic == null ? null : await topicId(reads, filter.topic, 'filter.topic'),
  };
  // The subscription may wait long for its first event: it must not hold this snapshot meanwhile.
  resetLoaders(context);
  return found;
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
