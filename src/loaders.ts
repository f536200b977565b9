import DataLoader from 'dataloader';
import type { ActorRow, ArticleRow, PositionRow, QuoteRow, TopicRow } from './read/rows.js';
import type { ChildId, ChildPage, KnownRows, Reads, ReadStore } from './read/store.js';

/** A page of a child list of one parent, e.g. the first 50 quotes of actor 7 after a cursor, newest first. */
export interface ChildPageKey<Page> {
  parentId: number;
  page: Page;
}

/** A count of the children of one parent that meet a filter. */
export interface ChildCountKey<Filter> {
  parentId: number;
  filter: Filter;
}

/**
 * Rows by id for one request. A row arrives either in a batch with every other id asked for in the
 * same tick, or along with another statement's rows (a quote page brings its quotes' articles, a
 * quote list its speakers). Once known, a row is answered at once rather than through a promise,
 * which lets compiled execution complete the field inline, and costs no statement.
 */
export class RowsById<T extends { id: number }> {
  readonly #known = new Map<number, T>();
  // Made at the first id that is not known: most requests only record rows that came along.
  #batches: DataLoader<number, T | null> | null = null;

  constructor(private readonly fetch: (ids: readonly number[]) => Promise<T[]>) {}

  /** Records a row that another statement brought along. */
  add(row: T): void {
    this.#known.set(row.id, row);
  }

  /** The row now when it is known, otherwise a promise of it; null when no row has this id. */
  get(id: number): T | null | Promise<T | null> {
    return this.#known.get(id) ?? this.#batchesOf().load(id);
  }

  #batchesOf(): DataLoader<number, T | null> {
    return (this.#batches ??= new DataLoader<number, T | null>(async (ids) => {
      for (const row of await this.fetch(ids)) this.#known.set(row.id, row);
      return ids.map((id) => this.#known.get(id) ?? null);
    }));
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

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Keys of many parents grouped by what else they ask (a page's size, cursor, order and filter, or
 * a count's filter), so that each group is one statement whatever the number of parents: "the first
 * 50 quotes of every actor on this page, newest first" is one query. A shape is its JSON, so a
 * filter's dates compare as their ISO text.
 */
function byShape<Shape, V>(fetch: (parentIds: number[], shape: Shape) => Promise<Map<number, V>>, empty: () => V) {
  return async (keys: readonly { parentId: number; shape: Shape }[]): Promise<(V | Error)[]> => {
    // One parent (a topic board, an actor's profile: the usual batch) needs no grouping.
    const [only] = keys;
    if (keys.length === 1 && only) {
      try {
        return [(await fetch([only.parentId], only.shape)).get(only.parentId) ?? empty()];
      } catch (error) {
        return [asError(error)];
      }
    }
    const shapes = new Map<string, { shape: Shape; parentIds: number[] }>();
    const textOf = keys.map((key) => JSON.stringify(key.shape));
    keys.forEach((key, i) => {
      const text = textOf[i] ?? '';
      const entry = shapes.get(text) ?? { shape: key.shape, parentIds: [] };
      entry.parentIds.push(key.parentId);
      shapes.set(text, entry);
    });
    // A shape that fails (a filter naming nothing stored) fails its own keys, not the other shapes'.
    const results = new Map<string, V | Error>();
    for (const [text, { shape, parentIds }] of shapes) {
      try {
        const found = await fetch(parentIds, shape);
        for (const parentId of parentIds) results.set(`${text}:${parentId}`, found.get(parentId) ?? empty());
      } catch (error) {
        for (const parentId of parentIds) results.set(`${text}:${parentId}`, asError(error));
      }
    }
    return keys.map((key, i) => results.get(`${textOf[i] ?? ''}:${key.parentId}`) ?? empty());
  };
}

/**
 * Child pages for many parents in one statement per distinct page shape; each key gets its up to
 * `first + 1` children, with their cursors' keys.
 */
function childPages<Page extends ChildPage<string, unknown>>(fetch: (parentIds: number[], page: Page) => Promise<ChildId[]>) {
  const batch = byShape<Page, ChildId[]>(
    async (parentIds, page) => {
      const children = new Map<number, ChildId[]>();
      for (const child of await fetch(parentIds, page)) {
        const siblings = children.get(child.parentId);
        if (siblings) siblings.push(child);
        else children.set(child.parentId, [child]);
      }
      return children;
    },
    () => [],
  );
  return new DataLoader<ChildPageKey<Page>, ChildId[], string>(
    (keys) => batch(keys.map((key) => ({ parentId: key.parentId, shape: key.page }))),
    { cacheKeyFn: (key) => JSON.stringify([key.parentId, key.page]) },
  );
}

/** Counts of filtered children for many parents in one grouped statement per distinct filter. */
function childCounts<Filter>(fetch: (parentIds: number[], filter: Filter) => Promise<number[]>) {
  const batch = byShape<Filter, number>(
    async (parentIds, filter) => {
      const counts = await fetch(parentIds, filter);
      return new Map(parentIds.map((parentId, i) => [parentId, counts[i] ?? 0]));
    },
    () => 0,
  );
  return new DataLoader<ChildCountKey<Filter>, number, string>(
    (keys) => batch(keys.map((key) => ({ parentId: key.parentId, shape: key.filter }))),
    { cacheKeyFn: (key) => JSON.stringify([key.parentId, key.filter]) },
  );
}

/** How to make each loader of a request from its reads (src/read/store.ts), whose methods are called on their object. */
const LOADERS = {
  articleById: (r: Reads) => new RowsById(r.articles.byIds.bind(r.articles)),
  actorById: (r: Reads) => new RowsById<ActorRow>(r.actors.byIds.bind(r.actors)),
  quoteById: (r: Reads) => new RowsById(r.quotes.byIds.bind(r.quotes)),
  topicById: (r: Reads) => new RowsById(r.topics.byIds.bind(r.topics)),
  positionById: (r: Reads) => new RowsById(r.positions.byIds.bind(r.positions)),

  // The rarely asked columns, read for every row of a list in one statement per table when a
  // field asks for one of them (the rows' own statements leave them out).
  articleDetailsById: (r: Reads) => byKey(r.articles.detailsByIds.bind(r.articles)),
  quoteDetailsById: (r: Reads) => byKey(r.quotes.detailsByIds.bind(r.quotes)),
  positionDetailsById: (r: Reads) => byKey(r.positions.detailsByIds.bind(r.positions)),
  articleBodyById: (r: Reads) => byKey(r.articles.bodiesByIds.bind(r.articles)),

  aliasesByActorId: (r: Reads) => byKey(r.actors.aliasesByIds.bind(r.actors)),
  actorsByArticleId: (r: Reads) => byKey(r.actors.byArticleIds.bind(r.actors)),
  quotesByArticleId: (r: Reads) => byKey(r.quotes.byArticleIds.bind(r.quotes)),
  positionsByArticleId: (r: Reads) => byKey(r.positions.byArticleIds.bind(r.positions)),
  topicsByArticleId: (r: Reads) => byKey(r.topics.byArticleIds.bind(r.topics)),

  quoteIdsBySpeakerPage: (r: Reads) => childPages(r.quotes.pagesBySpeaker.bind(r.quotes)),
  articleIdsByActorPage: (r: Reads) => childPages(r.articles.pagesByActor.bind(r.articles)),
  articleIdsByTopicPage: (r: Reads) => childPages(r.articles.pagesByTopic.bind(r.articles)),
  memberIdsByAffiliationPage: (r: Reads) => childPages(r.actors.memberPagesByAffiliation.bind(r.actors)),
  positionIdsByTopicPage: (r: Reads) => childPages(r.positions.pagesByTopic.bind(r.positions)),
  positionIdsByActorPage: (r: Reads) => childPages(r.positions.pagesByActor.bind(r.positions)),

  quoteCountBySpeaker: (r: Reads) => childCounts(r.quotes.countsBySpeaker.bind(r.quotes)),
  positionCountByTopic: (r: Reads) => childCounts(r.positions.countsByTopic.bind(r.positions)),
  positionCountByActor: (r: Reads) => childCounts(r.positions.countsByActor.bind(r.positions)),
  articleCountByActorId: (r: Reads) => byKey(r.articles.countsByActor.bind(r.articles)),
  articleCountByTopicId: (r: Reads) => byKey(r.articles.countsByTopic.bind(r.articles)),
  memberCountByAffiliationId: (r: Reads) => byKey(r.actors.memberCountsByAffiliation.bind(r.actors)),
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
 * two dozen, and making them all was a quarter of what a small request allocated. Fresh per request,
 * so no request sees another's cache.
 */
class RequestLoaders implements KnownRows {
  readonly made: unknown[] = [];
  #reads: Reads | null = null;

  constructor(
    private readonly store: ReadStore,
    private readonly ended: boolean,
  ) {}

  /**
   * The request's session, begun by its first read. Loaders made ended (for what resolvers read
   * after the response is ready, see finishRequest) end it as soon as it is made, so each of their
   * reads runs on its own outside any snapshot; they are usually never read from, and then cost no
   * session.
   */
  get reads(): Reads {
    if (this.#reads === null) {
      this.#reads = this.store.session(this);
      if (this.ended) this.#reads.end();
    }
    return this.#reads;
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
  position(row: PositionRow): void {
    (this as unknown as LoaderTable).positionById.add(row);
  }
}
Object.entries(LOADERS).forEach(([name, make], index) => {
  Object.defineProperty(RequestLoaders.prototype, name, {
    get(this: RequestLoaders) {
      return (this.made[index] ??= make(this.reads));
    },
  });
});

/** A request's loaders; `ended` for loaders whose reads must not begin a snapshot (see RequestLoaders.reads). */
export function createLoaders(store: ReadStore, ended = false): Loaders {
  return new RequestLoaders(store, ended) as unknown as Loaders;
}
