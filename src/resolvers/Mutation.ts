import { type Context, resetLoaders } from '../context.js';
import type { MutationResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import { addActorAlias, deleteActor, mergeActors, removeActorAlias, upsertActor } from '../services/actor-writes.js';
import { deleteArticle, updateArticle } from '../services/article-writes.js';
import { addArticles, saveArticle } from '../services/articles.js';
import { addPosition, deletePosition, updatePosition } from '../services/position-writes.js';
import { addQuote, deleteQuote, updateQuote } from '../services/quote-writes.js';
import { deleteTopic, mergeTopics, renameTopic } from '../services/topic-writes.js';

/**
 * After a write, the payload's fields (and any later operation sharing this context in a batched
 * request) must see the new state, not what the loaders cached before it.
 */
function afterWrite<T>(context: Context, result: T): T {
  resetLoaders(context);
  return result;
}

/**
 * A write that stored articles or quotes has committed: subscribers hear of it through the
 * storage's feed (src/live-feed.ts), which this tells to look now. The answer waits for no
 * subscriber.
 */
function announce(context: Context): void {
  context.live?.written();
}

export const Mutation: MutationResolvers = {
  addArticle: async (_, { input }, ctx) => {
    const { article, outcome, actors } = await saveArticle(ctx.writer, input);
    announce(ctx);
    return afterWrite(ctx, { article, created: outcome !== 'unchanged', actors });
  },
  addArticles: async (_, { input }, ctx) => {
    const results = await addArticles(ctx.writer, input);
    announce(ctx);
    return afterWrite(ctx, {
      results: results.map(({ article, outcome, actors }) => ({ article, created: outcome !== 'unchanged', actors })),
    });
  },
  updateArticle: async (_, { id, input }, ctx) => afterWrite(ctx, { article: await updateArticle(ctx.writer, id, input) }),
  deleteArticle: async (_, { id }, ctx) => afterWrite(ctx, { deletedId: toGlobalId('Article', await deleteArticle(ctx.writer, id)) }),

  addQuote: async (_, { input }, ctx) => {
    const quote = await addQuote(ctx.writer, input);
    announce(ctx);
    return afterWrite(ctx, { quote });
  },
  updateQuote: async (_, { id, input }, ctx) => afterWrite(ctx, { quote: await updateQuote(ctx.writer, id, input) }),
  deleteQuote: async (_, { id }, ctx) => {
    const deleted = await deleteQuote(ctx.writer, id);
    afterWrite(ctx, deleted);
    const article = await ctx.loaders.articleById.load(deleted.articleId);
    if (!article) throw new Error(`Article ${deleted.articleId} vanished while deleting one of its quotes`);
    return { deletedId: toGlobalId('Quote', deleted.id), article };
  },

  addPosition: async (_, { input }, ctx) => afterWrite(ctx, { position: await addPosition(ctx.writer, input) }),
  updatePosition: async (_, { id, input }, ctx) => afterWrite(ctx, { position: await updatePosition(ctx.writer, id, input) }),
  deletePosition: async (_, { id }, ctx) => afterWrite(ctx, { deletedId: toGlobalId('Position', await deletePosition(ctx.writer, id)) }),

  upsertActor: async (_, { input }, ctx) => afterWrite(ctx, await upsertActor(ctx.writer, input)),
  addActorAlias: async (_, { input }, ctx) => afterWrite(ctx, { actor: await addActorAlias(ctx.writer, input) }),
  removeActorAlias: async (_, { input }, ctx) => afterWrite(ctx, { actor: await removeActorAlias(ctx.writer, input) }),
  mergeActors: async (_, { sourceId, targetId }, ctx) => {
    const { actor, removedId } = await mergeActors(ctx.writer, sourceId, targetId);
    return afterWrite(ctx, { actor, removedId: toGlobalId('Actor', removedId) });
  },
  deleteActor: async (_, { id, reassignTo }, ctx) => {
    const { deletedId, reassignedTo } = await deleteActor(ctx.writer, id, reassignTo);
    return afterWrite(ctx, { deletedId: toGlobalId('Actor', deletedId), reassignedTo });
  },

  renameTopic: async (_, { id, name }, ctx) => afterWrite(ctx, { topic: await renameTopic(ctx.writer, id, name) }),
  deleteTopic: async (_, { id }, ctx) => afterWrite(ctx, { deletedId: toGlobalId('Topic', await deleteTopic(ctx.writer, id)) }),
  mergeTopics: async (_, { sourceId, targetId }, ctx) => {
    const { topic, removedId } = await mergeTopics(ctx.writer, sourceId, targetId);
    return afterWrite(ctx, { topic, removedId: toGlobalId('Topic', removedId) });
  },
};
