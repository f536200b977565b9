import type {
  ActorFilter,
  ArticleFilter,
  PositionFilter,
  PositionStatsFilter,
  PositionStatsKey,
  QuoteFilter,
  QuoteStatsFilter,
  QuoteStatsKey,
  TimeBucket,
} from '../generated/graphql.js';
import type { Stance } from '../generated/prisma/enums.js';
import type { Connection, PageArgs } from './pagination.js';
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

/** A page of a child list: `first` children after the cursor (the sort key of the last one seen). */
export interface ChildPage {
  first: number;
  after: readonly (string | number | null)[] | null;
}

/** One child of a paged child list: the parent it belongs to and its id. */
export interface ChildId {
  parentId: number;
  id: number;
}

/** One topic board: a topic's positions, optionally of one stance. */
export interface BoardKey {
  topicId: number;
  stance: Stance | null;
}

export interface ArticleReads {
  byIds: Rows<ArticleRow>;
  detailsByIds: Batch<ArticleDetails | null>;
  /** '' for a missing article. */
  bodiesByIds: Batch<string>;
  bySlug: (slug: string) => Promise<ArticleRow | null>;
  list: (args: PageArgs, filter: ArticleFilter | null | undefined) => Promise<Connection<ArticleRow>>;
  /** Up to `page.first + 1` articles of each actor (mentions) or topic, newest first; the rows go to `known`. */
  pagesByActor: (actorIds: readonly number[], page: ChildPage) => Promise<ChildId[]>;
  pagesByTopic: (topicIds: readonly number[], page: ChildPage) => Promise<ChildId[]>;
  countsByActor: Batch<number>;
  countsByTopic: Batch<number>;
}

export interface ActorReads {
  byIds: Rows<ActorRow>;
  /** The id of the actor named by global id, canonical name or alias; a name's actor goes to `known`. */
  idOf: (reference: string) => Promise<number | null>;
  aliasesByIds: Batch<string[]>;
  membersByAffiliationIds: Batch<ActorRow[]>;
  byArticleIds: Batch<ActorRow[]>;
  list: (args: PageArgs, filter: ActorFilter | null | undefined) => Promise<Connection<ActorRow>>;
}

export interface QuoteReads {
  byIds: Rows<QuoteRow>;
  detailsByIds: Batch<QuoteDetails | null>;
  /** In order of appearance in the body; speakers go to `known`. */
  byArticleIds: Batch<QuoteRow[]>;
  /** Up to `page.first + 1` quotes of each speaker; the quotes and their articles go to `known`. */
  pagesBySpeaker: (speakerIds: readonly number[], page: ChildPage) => Promise<ChildId[]>;
  countsBySpeaker: Batch<number>;
  list: (args: PageArgs, filter: QuoteFilter | null | undefined) => Promise<Connection<QuoteRow>>;
}

export interface PositionReads {
  byIds: Rows<PositionRow>;
  detailsByIds: Batch<PositionDetails | null>;
  /** Topics go to `known`. */
  byArticleIds: Batch<PositionRow[]>;
  byActorIds: Batch<PositionRow[]>;
  /** Topic boards in key order; actors and articles go to `known`. */
  boards: (keys: readonly BoardKey[]) => Promise<PositionRow[][]>;
  list: (args: PageArgs, filter: PositionFilter | null | undefined) => Promise<Connection<PositionRow>>;
}

export interface TopicReads {
  byIds: Rows<TopicRow>;
  /** By slug, or by a name turned into its slug. */
  bySlug: (slugOrName: string) => Promise<TopicRow | null>;
  byArticleIds: Batch<TopicRow[]>;
  list: (args: PageArgs) => Promise<Connection<TopicRow>>;
}

export interface SearchReads {
  /** Articles, quotes and actors matching a search query, best first; the hits' rows go to `known`. */
  list: (query: string, args: PageArgs) => Promise<Connection<SearchHitRow>>;
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
