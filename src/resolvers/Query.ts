import { slugify } from '../text/names.js';
import { badUserInput } from '../errors.js';
import type { QueryResolvers } from '../generated/graphql.js';
import { parseGlobalId, rowIdOf } from '../ids.js';
import { findActor } from '../services/actors.js';
import { listActors, listArticles, listPositions, listQuotes, listTopics } from '../services/queries.js';
import { proposeAnnotation } from '../services/extraction.js';
import { search } from '../services/search.js';
import { preparedRows, type Row, TOPIC_COLUMNS, toTopic } from '../read-model.js';
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
  article: async (_, { id, slug }, { db, loaders }) => {
    exactlyOne('article', id, slug, ['id', 'slug']);
    if (id != null) return loaders.articleById.load(rowIdOf('Article', id, 'id'));
    return db.article.findUnique({ where: { slug: slug ?? '' } });
  },
  articles: (_, { filter, ...page }, { sql, loaders }) => listArticles(sql, loaders, page, filter),
  actor: (_, { id, name }, { sql, loaders }) => {
    exactlyOne('actor', id, name, ['id', 'name']);
    return id != null ? loaders.actorById.get(rowIdOf('Actor', id, 'id')) : findActor(sql, loaders, name ?? '');
  },
  actors: (_, { filter, ...page }, { db }) => listActors(db, page, filter),
  quotes: (_, { filter, ...page }, { db, sql, loaders }) => listQuotes(db, sql, loaders, page, filter),
  topic: async (_, { id, slug }, { sql, loaders }) => {
    exactlyOne('topic', id, slug, ['id', 'slug']);
    if (id != null) return loaders.topicById.load(rowIdOf('Topic', id, 'id'));
    // A name is turned into its slug, as the filters that take a topic do.
    const row = preparedRows(sql, `SELECT ${TOPIC_COLUMNS} FROM Topic t WHERE t.slug = ?`).get(slugify(slug ?? '')) as Row | undefined;
    return row ? toTopic(row) : null;
  },
  topics: (_, page, { db }) => listTopics(db, page),
  search: (_, { query, ...page }, { db }) => search(db, query, page),
  positions: (_, { filter, ...page }, { db, sql }) => listPositions(db, sql, page, filter),
  extract: (_, { title, body }) => proposeAnnotation(title, body),
};
