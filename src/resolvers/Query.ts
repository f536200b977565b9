import { badUserInput } from '../errors.js';
import type { QueryResolvers } from '../generated/graphql.js';
import { parseGlobalId, rowIdOf } from '../ids.js';
import { actorIdOf, listActors } from '../read/actors.js';
import { articleBySlug, listArticles } from '../read/articles.js';
import { listPositions } from '../read/positions.js';
import { listQuotes } from '../read/quotes.js';
import { listTopics, topicBySlug } from '../read/topics.js';
import { proposeAnnotation } from '../services/extraction.js';
import { search } from '../services/search.js';
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
    return id != null ? loaders.articleById.load(rowIdOf('Article', id, 'id')) : articleBySlug(loaders.reads, slug ?? '');
  },
  articles: (_, { filter, ...page }, { loaders }) => listArticles(loaders.reads, page, filter),
  actor: (_, { id, name }, { loaders }) => {
    exactlyOne('actor', id, name, ['id', 'name']);
    // A name lookup hands the actor it finds to actorById, so the second step costs no statement.
    const actorId = id != null ? rowIdOf('Actor', id, 'id') : actorIdOf(loaders.reads, name ?? '');
    return actorId === null ? null : loaders.actorById.get(actorId);
  },
  actors: (_, { filter, ...page }, { loaders }) => listActors(loaders.reads, page, filter),
  quotes: (_, { filter, ...page }, { loaders }) => listQuotes(loaders.reads, page, filter),
  topic: async (_, { id, slug }, { loaders }) => {
    exactlyOne('topic', id, slug, ['id', 'slug']);
    return id != null ? loaders.topicById.load(rowIdOf('Topic', id, 'id')) : topicBySlug(loaders.reads, slug ?? '');
  },
  topics: (_, page, { loaders }) => listTopics(loaders.reads, page),
  search: (_, { query, ...page }, { db }) => search(db, query, page),
  positions: (_, { filter, ...page }, { loaders }) => listPositions(loaders.reads, page, filter),
  extract: (_, { title, body }) => proposeAnnotation(title, body),
};
