import type {
  ActorFilter,
  ActorOrder,
  ArticleFilter,
  ArticleOrder,
  PositionFilter,
  PositionOrder,
  PositionStatsFilter,
  PositionStatsKey,
  QuoteFilter,
  QuoteOrder,
  QuoteStatsFilter,
  QuoteStatsKey,
  SearchFilter,
  TimeBucket,
  TopicOrder,
} from '../generated/graphql.js';
import type { Connection, CursorKey, PageArgs } from './pagination.js';
import type { PositionPageFilter } from './positions.js';
import type {
  ActorRow,
  ArticleDetails,
  ArticleRow,
  PositionDetails,
  PositionGroupRow,
  PositionRow,
  QuoteDetails,
  QuoteGroupRow,
  QuoteRow,
  SearchHitRow,
  StanceBucketRow,
  TopicRow,
} from './rows.js';

/**
 * The read store: everything the API reads, as an asynchronous interface, so that a second database
 * (PostgreSQL) adds an implementation instead of changing the loaders and resolvers that call it.
 * The SQLite implementation (sqliteReadStore in sqlite-store.ts, over the entity modules beside this
 * file) answers synchronously inside. Batch functions answer in key order: a row or null, a list or
 * [], a count or 0 for each key.
 */
export interface ReadStore {
  /**
   * The reads of one request, all from one consistent snapshot of the data until `end`; rows that
   * statements bring along are handed to `known`.
   */
  session(known: KnownRows): Reads;
}

/**
 * Where a request's reads hand the rows their statements bring along (a quote list its speakers, a
 * board its actors and articles), so the fields under them resolve without a statement of their own.
 */
export interface KnownRows {
  article(row: ArticleRow): void;
  actor(row: ActorRow): void;
  quote(row: QuoteRow): void;
  topic(row: TopicRow): void;
  position(row: PositionRow): void;
}

export interface Reads {
  /** Lets go of the request's snapshot; a read after this sees the latest data. */
  end: () => void;
  articles: ArticleReads;
  actors: ActorReads;
  quotes: QuoteReads;
  positions: PositionReads;
  topics: TopicReads;
  search: SearchReads;
  stats: StatsReads;
}

/** One value per key, in key order. */
type Batch<V> = (ids: readonly number[]) => Promise<V[]>;
/** The rows that exist among these ids, in any order. */
type Rows<T> = (ids: readonly number[]) => Promise<T[]>;

/**
 * A page of a child list: `first` children in the order `orderBy` after the cursor (the sort key
 * values of the last one seen, without the order's name), of those that meet `filter`.
 */
export interface ChildPage<Order extends string, Filter = null> {
  first: number;
  after: CursorKey | null;
  orderBy: Order;
  filter: Filter;
}

/** One child of a paged child list: the parent it belongs to, its id and its cursor's key. */
export interface ChildId {
  parentId: number;
  id: number;
  key: CursorKey;
}

export interface ArticleReads {
  byIds: Rows<ArticleRow>;
  detailsByIds: Batch<ArticleDetails | null>;
  /** '' for a missing article. */
  bodiesByIds: Batch<string>;
  bySlug: (slug: string) => Promise<ArticleRow | null>;
  list: (args: PageArgs, filter: ArticleFilter | null | undefined, orderBy: ArticleOrder) => Promise<Connection<ArticleRow>>;
  /** Up to `page.first + 1` articles of each actor (mentions) or topic; the rows go to `known`. */
  pagesByActor: (actorIds: readonly number[], page: ChildPage<ArticleOrder>) => Promise<ChildId[]>;
  pagesByTopic: (topicIds: readonly number[], page: ChildPage<ArticleOrder>) => Promise<ChildId[]>;
  countsByActor: Batch<number>;
  countsByTopic: Batch<number>;
}

export interface ActorReads {
  byIds: Rows<ActorRow>;
  /** The id of the actor named by global id, canonical name or alias; a name's actor goes to `known`. */
  idOf: (reference: string) => Promise<number | null>;
  aliasesByIds: Batch<string[]>;
  /** Up to `page.first + 1` members of each affiliation; the rows go to `known`. */
  memberPagesByAffiliation: (affiliationIds: readonly number[], page: ChildPage<ActorOrder>) => Promise<ChildId[]>;
  memberCountsByAffiliation: Batch<number>;
  byArticleIds: Batch<ActorRow[]>;
  list: (args: PageArgs, filter: ActorFilter | null | undefined, orderBy: ActorOrder) => Promise<Connection<ActorRow>>;
}

export interface QuoteReads {
  byIds: Rows<QuoteRow>;
  detailsByIds: Batch<QuoteDetails | null>;
  /** In order of appearance in the body; speakers go to `known`. */
  byArticleIds: Batch<QuoteRow[]>;
  /** Up to `page.first + 1` quotes of each speaker that meet the filter; the quotes and their articles go to `known`. */
  pagesBySpeaker: (speakerIds: readonly number[], page: ChildPage<QuoteOrder, QuoteFilter | null>) => Promise<ChildId[]>;
  countsBySpeaker: (speakerIds: readonly number[], filter: QuoteFilter | null) => Promise<number[]>;
  list: (args: PageArgs, filter: QuoteFilter | null | undefined, orderBy: QuoteOrder) => Promise<Connection<QuoteRow>>;
}

export interface PositionReads {
  byIds: Rows<PositionRow>;
  detailsByIds: Batch<PositionDetails | null>;
  /** Topics go to `known`. */
  byArticleIds: Batch<PositionRow[]>;
  /** Up to `page.first + 1` positions of each topic (a board); they, their actors and articles go to `known`. */
  pagesByTopic: (topicIds: readonly number[], page: ChildPage<PositionOrder, PositionPageFilter>) => Promise<ChildId[]>;
  /** Up to `page.first + 1` positions of each actor; they, their topics and articles go to `known`. */
  pagesByActor: (actorIds: readonly number[], page: ChildPage<PositionOrder, PositionPageFilter>) => Promise<ChildId[]>;
  countsByTopic: (topicIds: readonly number[], filter: PositionPageFilter) => Promise<number[]>;
  countsByActor: (actorIds: readonly number[], filter: PositionPageFilter) => Promise<number[]>;
  list: (args: PageArgs, filter: PositionFilter | null | undefined, orderBy: PositionOrder) => Promise<Connection<PositionRow>>;
}

export interface TopicReads {
  byIds: Rows<TopicRow>;
  /** By slug, or by a name turned into its slug. */
  bySlug: (slugOrName: string) => Promise<TopicRow | null>;
  byArticleIds: Batch<TopicRow[]>;
  list: (args: PageArgs, orderBy: TopicOrder) => Promise<Connection<TopicRow>>;
}

export interface SearchReads {
  /** Articles, quotes and actors matching a search query, best first; the hits' rows go to `known`. */
  list: (query: string, args: PageArgs, filter?: SearchFilter | null) => Promise<Connection<SearchHitRow>>;
}

/** Grouped counts (src/read/stats.ts): one grouped statement each; actors and topics of the keys come back as ids. */
export interface StatsReads {
  /** Quote counts per combination of the keys, biggest first, at most `first` groups. */
  quoteGroups: (
    groupBy: readonly QuoteStatsKey[],
    filter: QuoteStatsFilter | null | undefined,
    first: number | null | undefined,
  ) => Promise<QuoteGroupRow[]>;
  /** Position counts per combination of the keys, biggest first, at most `first` groups. */
  positionGroups: (
    groupBy: readonly PositionStatsKey[],
    filter: PositionStatsFilter | null | undefined,
    first: number | null | undefined,
  ) => Promise<PositionGroupRow[]>;
  /** A topic's positions per period and stance, earliest first, every period of the range. */
  stanceTimeline: (topic: string, bucket: TimeBucket, filter: PositionStatsFilter | null | undefined) => Promise<StanceBucketRow[]>;
}
