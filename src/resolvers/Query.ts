import { badUserInput } from '../errors.js';
import type { QueryResolvers } from '../generated/graphql.js';
import { parseGlobalId, rowIdOf } from '../ids.js';
import { proposeAnnotation } from '../services/extraction.js';
import { asNode } from './Node.js';

/** `article(id, slug)` and friends take exactly one way of naming the object. */
function exactlyOne(field: string, a: unknown, b: unknown, names: [string, string]): void {
  if ((a == null) === (b == null)) throw badUserInput(field, `needs exactly one of ${names[0]} or ${names[1]}`);
}

export const Query: QueryResolvers = {
  node: async (_, { id }, { loaders }) => {
    const globalId = parseGlobalId(id);
    if (!globalId) return null;
    const loader = {
      Article: loaders.articleById,
      Actor: loaders.actorById,
      Quote: loaders.quoteById,
      Topic: loaders.topicById,
      Position: loaders.positionById,
    }[globalId.type];
    return asNode(globalId.type, await loader.load(globalId.id));
  },
  article: async (_, { id, slug }, { loaders }) => {
    exactlyOne('article', id, slug, ['id', 'slug']);
    return id != null ? loaders.articleById.load(rowIdOf('Article', id, 'id')) : loaders.reads.articles.bySlug(slug ?? '');
  },
  articles: (_, { filter, orderBy, ...page }, { loaders }) => loaders.reads.articles.list(page, filter, orderBy ?? 'PUBLISHED_AT_DESC'),
  actor: async (_, { id, name }, { loaders }) => {
    exactlyOne('actor', id, name, ['id', 'name']);
    // A name lookup hands the actor it finds to actorById, so the second step costs no statement.
    const actorId = id != null ? rowIdOf('Actor', id, 'id') : await loaders.reads.actors.idOf(name ?? '');
    return actorId === null ? null : loaders.actorById.get(actorId);
  },
  actors: (_, { filter, orderBy, ...page }, { loaders }) => loaders.reads.actors.list(page, filter, orderBy ?? 'NAME_ASC'),
  quotes: (_, { filter, orderBy, ...page }, { loaders }) => loaders.reads.quotes.list(page, filter, orderBy ?? 'ADDED_ASC'),
  topic: async (_, { id, slug }, { loaders }) => {
    exactlyOne('topic', id, slug, ['id', 'slug']);
    return id != null ? loaders.topicById.load(rowIdOf('Topic', id, 'id')) : loaders.reads.topics.bySlug(slug ?? '');
  },
  topics: (_, { orderBy, ...page }, { loaders }) => loaders.reads.topics.list(page, orderBy ?? 'NAME_ASC'),
  search: (_, { query, filter, ...page }, { loaders }) => loaders.reads.search.list(query, page, filter),
  positions: (_, { filter, orderBy, ...page }, { loaders }) => loaders.reads.positions.list(page, filter, orderBy ?? 'ADDED_ASC'),
  extract: (_, { title, body }) => proposeAnnotation(title, body),
  quoteStats: (_, { filter, groupBy, first }, { loaders }) => loaders.reads.stats.quoteGroups(groupBy, filter, first),
  positionStats: (_, { filter, groupBy, first }, { loaders }) => loaders.reads.stats.positionGroups(groupBy, filter, first),
  stanceTimeline: (_, { topic, bucket, filter }, { loaders }) => loaders.reads.stats.stanceTimeline(topic, bucket, filter),
};
