import DataLoader from 'dataloader';
import type { PageRequest } from './read/pagination.js';
import type { ActorRow, ArticleRow, QuoteRow, TopicRow } from './read/rows.js';
import type { BoardKey, ChildId, KnownRows, Reads, ReadStore } from './read/store.js';

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

  constructor(fetch: (ids: readonly number[]) => Promise<T[]>) {
    this.#batches = new DataLoader<number, T | null>(async (ids) => {
      for (const row of await fetch(ids)) this.#known.set(row.id, row);
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
const byKey = <V>(batch: (keys: readonly number[]) => Promise<V[]>) => new DataLoader<number, V>(batch);

/**
 * Child pages for many parents in one statement per distinct page shape ("the first 50 quotes of
 * every actor on this page" is one query); each key gets the ids of its up to `first + 1` children.
 */
function childPages(fetch: (parentIds: number[], page: PageRequest) => Promise<ChildId[]>) {
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
        for (const child of await fetch(parentIds, page)) results.get(`${shape}:${child.parentId}`)?.push(child.id);
      }
      return keys.map((key) => results.get(`${shapeOf(key.page)}:${key.parentId}`) ?? []);
    },
    { cacheKeyFn: (key) => JSON.stringify([key.parentId, key.page.first, key.page.after]) },
  );
}

/** How to make each loader of a request from its reads (src/read/store.ts). */
const LOADERS = {
  articleById: (r: Reads) => new RowsById(r.articles.byIds),
  actorById: (r: Reads) => new RowsById<ActorRow>(r.actors.byIds),
  quoteById: (r: Reads) => new RowsById(r.quotes.byIds),
  topicById: (r: Reads) => new RowsById(r.topics.byIds),
  positionById: (r: Reads) => new RowsById(r.positions.byIds),

  // The rarely asked columns, read for every row of a list in one statement per table when a
  // field asks for one of them (the rows' own statements leave them out).
  articleDetailsById: (r: Reads) => byKey(r.articles.detailsByIds),
  quoteDetailsById: (r: Reads) => byKey(r.quotes.detailsByIds),
  positionDetailsById: (r: Reads) => byKey(r.positions.detailsByIds),
  articleBodyById: (r: Reads) => byKey(r.articles.bodiesByIds),

  aliasesByActorId: (r: Reads) => byKey(r.actors.aliasesByIds),
  membersByAffiliationId: (r: Reads) => byKey(r.actors.membersByAffiliationIds),
  actorsByArticleId: (r: Reads) => byKey(r.actors.byArticleIds),
  quotesByArticleId: (r: Reads) => byKey(r.quotes.byArticleIds),
  positionsByArticleId: (r: Reads) => byKey(r.positions.byArticleIds),
  topicsByArticleId: (r: Reads) => byKey(r.topics.byArticleIds),
  positionsByActorId: (r: Reads) => byKey(r.positions.byActorIds),
  positionsByTopicStance: (r: Reads) =>
    new DataLoader<BoardKey, Awaited<ReturnType<Reads['positions']['boards']>>[number], string>(r.positions.boards, {
      cacheKeyFn: ({ topicId, stance }) => `${topicId}:${stance}`,
    }),

  quoteIdsBySpeakerPage: (r: Reads) => childPages(r.quotes.pagesBySpeaker),
  articleIdsByActorPage: (r: Reads) => childPages(r.articles.pagesByActor),
  articleIdsByTopicPage: (r: Reads) => childPages(r.articles.pagesByTopic),

  quoteCountBySpeakerId: (r: Reads) => byKey(r.quotes.countsBySpeaker),
  articleCountByActorId: (r: Reads) => byKey(r.articles.countsByActor),
  articleCountByTopicId: (r: Reads) => byKey(r.articles.countsByTopic),
};

type LoaderTable = { readonly [Name in keyof typeof LOADERS]: ReturnType<(typeof LOADERS)[Name]> };
export type Loaders = LoaderTable & {
  /** The request's reads, for what resolvers read directly (lists, lookups); the loaders batch the rest. */
  readonly reads: Reads;
  /** Ends the request's snapshot (Reads.end), if a read began one. */
  end(): void;
};

/**
 * Every DataLoader of one request, each made on first use: most queries touch two or three of the
 * twenty, and making them all was a quarter of what a small request allocated. Fresh per request,
 * so no request sees another's cache.
 */
class RequestLoaders implements KnownRows {
  readonly made: unknown[] = [];
  #reads: Reads | null = null;

  constructor(private readonly store: ReadStore) {}

  /**
   * The request's session, begun by its first read: the loaders that replace a request's own once
   * its response is ready (resetLoaders) are usually never read from, and then cost no session.
   */
  get reads(): Reads {
    return (this.#reads ??= this.store.session(this));
  }

  /** Lets go of the session's snapshot, if a read began one. */
  end(): void {
    this.#reads?.end();
  }

  // The rows a session's statements bring along (KnownRows), kept by the by-id loaders.
  article(row: ArticleRow): void {
    (this as unknown as LoaderTable).articleById.add(row);
  }
  actor(row: ActorRow): void {
    (this as unknown as LoaderTable).actorById.add(row);
  }
  quote(row: QuoteRow): void {
    (this as unknown as LoaderTable).quoteById.add(row);
  }
  topic(row: TopicRow): void {
    (this as unknown as LoaderTable).topicById.add(row);
  }
}
Object.entries(LOADERS).forEach(([name, make], index) => {
  Object.defineProperty(RequestLoaders.prototype, name, {
    get(this: RequestLoaders) {
      return (this.made[index] ??= make(this.reads));
    },
  });
});

export function createLoaders(store: ReadStore): Loaders {
  return new RequestLoaders(store) as unknown as Loaders;
}
