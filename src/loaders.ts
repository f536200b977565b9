import DataLoader from 'dataloader';
import type { SqlReader } from './db.js';
import { actorsByArticleIds, actorsByIds, aliasesByActorIds, membersByAffiliationIds } from './read/actors.js';
import {
  articleBodies,
  articleCountsByActor,
  articleCountsByTopic,
  articleDetailsByIds,
  articlePagesByActor,
  articlePagesByTopic,
  articlesByIds,
} from './read/articles.js';
import type { PageRequest } from './read/pagination.js';
import {
  type BoardKey,
  positionBoards,
  positionDetailsByIds,
  positionsByActorIds,
  positionsByArticleIds,
  positionsByIds,
} from './read/positions.js';
import { quoteCountsBySpeaker, quoteDetailsByIds, quotePagesBySpeaker, quotesByArticleIds, quotesByIds } from './read/quotes.js';
import type { ActorRow } from './read/rows.js';
import type { ChildId, ReadScope } from './read/sqlite.js';
import { topicsByArticleIds, topicsByIds } from './read/topics.js';

/** A page of a child list of one parent, e.g. the first 50 quotes of actor 7 after a cursor. */
export interface ChildPageKey {
  parentId: number;
  page: PageRequest;
}

/**
 * Rows by id for one request. A row arrives either in a batch with every other id asked for in the
 * same tick, or along with another statement's rows (a quote page brings its quotes' articles, a
 * quote list its speakers). Once known, a row is answered at once rather than through a promise,
 * which lets compiled execution complete the field inline, and costs no statement.
 */
export class RowsById<T extends { id: number }> {
  readonly #known = new Map<number, T>();
  readonly #batches: DataLoader<number, T | null>;

  constructor(fetch: (ids: readonly number[]) => T[]) {
    this.#batches = new DataLoader<number, T | null>(async (ids) => {
      for (const row of fetch(ids)) this.#known.set(row.id, row);
      return ids.map((id) => this.#known.get(id) ?? null);
    });
  }

  /** Records a row that another statement brought along. */
  add(row: T): void {
    this.#known.set(row.id, row);
  }

  /** The row now when it is known, otherwise a promise of it; null when no row has this id. */
  get(id: number): T | null | Promise<T | null> {
    return this.#known.get(id) ?? this.#batches.load(id);
  }

  load(id: number): Promise<T | null> {
    return Promise.resolve(this.get(id));
  }

  loadMany(ids: readonly number[]): Promise<(T | null)[]> {
    return Promise.all(ids.map((id) => this.load(id)));
  }
}

/** A loader of one value per key from a batch function that answers in key order. */
const byKey = <V>(batch: (keys: readonly number[]) => V[]) => new DataLoader<number, V>(async (keys) => batch(keys));

/**
 * Child pages for many parents in one statement per distinct page shape ("the first 50 quotes of
 * every actor on this page" is one query); each key gets the ids of its up to `first + 1` children.
 */
function childPages(fetch: (parentIds: number[], page: PageRequest) => ChildId[]) {
  const shapeOf = (page: PageRequest) => JSON.stringify([page.first, page.after]);
  return new DataLoader<ChildPageKey, number[], string>(
    async (keys) => {
      const shapes = new Map<string, { page: PageRequest; parentIds: number[] }>();
      for (const key of keys) {
        const shape = shapes.get(shapeOf(key.page)) ?? { page: key.page, parentIds: [] };
        shape.parentIds.push(key.parentId);
        shapes.set(shapeOf(key.page), shape);
      }
      const results = new Map<string, number[]>();
      for (const [shape, { page, parentIds }] of shapes) {
        for (const parentId of parentIds) results.set(`${shape}:${parentId}`, []);
        for (const child of fetch(parentIds, page)) results.get(`${shape}:${child.parentId}`)?.push(child.id);
      }
      return keys.map((key) => results.get(`${shapeOf(key.page)}:${key.parentId}`) ?? []);
    },
    { cacheKeyFn: (key) => JSON.stringify([key.parentId, key.page.first, key.page.after]) },
  );
}

/**
 * How to make each loader of a request from its read scope; the functions behind them live in
 * src/read/, one module per entity.
 */
const LOADERS = {
  articleById: (r: ReadScope) => new RowsById((ids) => articlesByIds(r, ids)),
  actorById: (r: ReadScope) => new RowsById<ActorRow>((ids) => actorsByIds(r, ids)),
  quoteById: (r: ReadScope) => new RowsById((ids) => quotesByIds(r, ids)),
  topicById: (r: ReadScope) => new RowsById((ids) => topicsByIds(r, ids)),
  positionById: (r: ReadScope) => new RowsById((ids) => positionsByIds(r, ids)),

  // The rarely asked columns, read for every row of a list in one statement per table when a
  // field asks for one of them (the rows' own statements leave them out).
  articleDetailsById: (r: ReadScope) => byKey((ids) => articleDetailsByIds(r, ids)),
  quoteDetailsById: (r: ReadScope) => byKey((ids) => quoteDetailsByIds(r, ids)),
  positionDetailsById: (r: ReadScope) => byKey((ids) => positionDetailsByIds(r, ids)),
  articleBodyById: (r: ReadScope) => byKey((ids) => articleBodies(r, ids)),
  aliasesByActorId: (r: ReadScope) => byKey((ids) => aliasesByActorIds(r, ids)),
  membersByAffiliationId: (r: ReadScope) => byKey((ids) => membersByAffiliationIds(r, ids)),
  actorsByArticleId: (r: ReadScope) => byKey((ids) => actorsByArticleIds(r, ids)),
  quotesByArticleId: (r: ReadScope) => byKey((ids) => quotesByArticleIds(r, ids)),
  positionsByArticleId: (r: ReadScope) => byKey((ids) => positionsByArticleIds(r, ids)),
  topicsByArticleId: (r: ReadScope) => byKey((ids) => topicsByArticleIds(r, ids)),
  positionsByActorId: (r: ReadScope) => byKey((ids) => positionsByActorIds(r, ids)),
  positionsByTopicStance: (r: ReadScope) =>
    new DataLoader<BoardKey, ReturnType<typeof positionBoards>[number], string>(async (keys) => positionBoards(r, keys), {
      cacheKeyFn: ({ topicId, stance }) => `${topicId}:${stance}`,
    }),

  quoteIdsBySpeakerPage: (r: ReadScope) => childPages((ids, page) => quotePagesBySpeaker(r, ids, page)),
  articleIdsByActorPage: (r: ReadScope) => childPages((ids, page) => articlePagesByActor(r, ids, page)),
  articleIdsByTopicPage: (r: ReadScope) => childPages((ids, page) => articlePagesByTopic(r, ids, page)),

  quoteCountBySpeakerId: (r: ReadScope) => byKey((ids) => quoteCountsBySpeaker(r, ids)),
  articleCountByActorId: (r: ReadScope) => byKey((ids) => articleCountsByActor(r, ids)),
  articleCountByTopicId: (r: ReadScope) => byKey((ids) => articleCountsByTopic(r, ids)),
};

type LoaderTable = { readonly [Name in keyof typeof LOADERS]: ReturnType<(typeof LOADERS)[Name]> };
export type Loaders = LoaderTable & {
  /** The request's read scope, for the read functions resolvers call directly (lists, lookups). */
  readonly reads: ReadScope;
};

/**
 * Every DataLoader of one request, each made on first use: most queries touch two or three of the
 * twenty, and making them all was a quarter of what a small request allocated. Fresh per request,
 * so no request sees another's cache.
 */
class RequestLoaders {
  readonly made: unknown[] = [];
  readonly reads: ReadScope;

  constructor(sql: SqlReader) {
    const loaders = this as unknown as LoaderTable;
    this.reads = {
      sql,
      known: {
        article: (row) => loaders.articleById.add(row),
        actor: (row) => loaders.actorById.add(row),
        quote: (row) => loaders.quoteById.add(row),
        topic: (row) => loaders.topicById.add(row),
      },
    };
  }
}
Object.entries(LOADERS).forEach(([name, make], index) => {
  Object.defineProperty(RequestLoaders.prototype, name, {
    get(this: RequestLoaders) {
      return (this.made[index] ??= make(this.reads));
    },
  });
});

export function createLoaders(sql: SqlReader): Loaders {
  return new RequestLoaders(sql) as unknown as Loaders;
}
