import { type Context, resetLoaders } from '../context.js';
import type { MutationResolvers } from '../generated/graphql.js';
import { toGlobalId } from '../ids.js';
import { addActorAlias, deleteActor, mergeActors, removeActorAlias, upsertActor } from '../services/actor-writes.js';
import { deleteArticle, updateArticle } from '../services/article-writes.js';
import { addArticles, saveArticle, type SaveArticleResult } from '../services/articles.js';
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

/** Tells subscribers about newly stored articles (an unchanged resubmission is not news). */
function announceArticles(context: Context, results: Pick<SaveArticleResult, 'article' | 'outcome'>[]): void {
  const added = results.filter((r) => r.outcome === 'created').map((r) => r.article.id);
  announce(context, context.live?.articlesAdded(added));
}

/**
 * The write has committed and its answer must not wait for subscribers, nor fail with them: an
 * announcement that fails is logged, never thrown.
 */
function announce(context: Context, announcement: Promise<void> | undefined): void {
  announcement?.catch((error: unknown) => context.live?.onError(error, context.requestId));
}

export const Mutation: MutationResolvers = {
  addArticle: async (_, { input }, ctx) => {
    const { article, outcome, actors } = await saveArticle(ctx.writer, input);
    announceArticles(ctx, [{ article, outcome }]);
    return afterWrite(ctx, { article, created: outcome !== 'unchanged', actors });
  },
  addArticles: async (_, { input }, ctx) => {
    const results = await addArticles(ctx.writer, input);
    announceArticles(ctx, results);
    return afterWrite(ctx, {
      results: results.map(({ article, outcome, actors }) => ({ article, created: outcome !== 'unchanged', actors })),
    });
  },
  updateArticle: async (_, { id, input }, ctx) => afterWrite(ctx, { article: await updateArticle(ctx.writer, id, input) }),
  deleteArticle: async (_, { id }, ctx) => afterWrite(ctx, { deletedId: toGlobalId('Article', await deleteArticle(ctx.writer, id)) }),

  addQuote: async (_, { input }, ctx) => {
    const quote = await addQuote(ctx.writer, input);
    announce(ctx, ctx.live?.quoteAdded(quote.id, quote.speakerId, quote.articleId));
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
