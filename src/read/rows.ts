import type { Actor, Article, Position, Quote, Topic } from '../generated/prisma/client.js';
import type { ActorKind, Origin, QuoteKind, Stance } from '../generated/prisma/enums.js';

// The rows the API reads, as resolvers receive them (codegen's mappers point here). They live
// apart from the connections (db.ts) and the statements that read them, so that storage, reads and
// writes can all name them without importing each other.

/**
 * An article as resolvers receive it: the columns lists and joins read. The body (a few KB, up to
 * 1 MB) loads on its own when a query asks for it; the rarely asked columns (ArticleDetails) load
 * through their loader, which a resolver awaits. Rows from the write path carry more; resolvers
 * read only these.
 */
export type ArticleRow = Pick<Article, 'id' | 'slug' | 'title' | 'publishedAt'> & { body?: string };
/** What the API reads of an actor: hot read paths select only these columns. */
export type ActorRow = Pick<Actor, 'id' | 'name' | 'kind' | 'description' | 'affiliationId'>;
export type QuoteRow = Pick<Quote, 'id' | 'articleId' | 'speakerId' | 'text' | 'kind'>;
export type TopicRow = Pick<Topic, 'id' | 'name' | 'slug'>;
export type PositionRow = Pick<Position, 'id' | 'actorId' | 'topicId' | 'articleId' | 'stance' | 'summary'>;

// The columns lists and joins leave out: each value better-sqlite3 hands over costs about 0.1 µs,
// and a quote page read 20 per quote where most queries use 3 or 4.
export type ArticleDetails = Pick<Article, 'id' | 'source' | 'url' | 'createdAt' | 'updatedAt'>;
export type QuoteDetails = Pick<Quote, 'id' | 'channel' | 'startOffset' | 'endOffset' | 'origin' | 'confidence'>;
export type PositionDetails = Pick<Position, 'id' | 'quoteId' | 'origin' | 'confidence'>;

/** One search hit: what it is, and a passage of it with the query's words marked. */
export interface SearchHitRow {
  type: 'Article' | 'Quote' | 'Actor';
  id: number;
  /** HTML-escaped passage with matches in <mark>. */
  snippet: string;
  /** Relevance in [0, 4), higher is better, comparable across types (see searchHits in search.ts) */
  score: number;
}

/**
 * One group of quoteStats: how many quotes it holds and its value of each key it was grouped by;
 * null for a key it was not grouped by, and for the quotes without a value there.
 */
export interface QuoteGroupRow {
  count: number;
  speakerId: number | null;
  speakerKind: ActorKind | null;
  topicId: number | null;
  source: string | null;
  kind: QuoteKind | null;
  origin: Origin | null;
  /** The start of the day, week or month, at midnight UTC. */
  period: Date | null;
}

/** One group of positionStats, as QuoteGroupRow is of quotes. */
export interface PositionGroupRow {
  count: number;
  actorId: number | null;
  actorKind: ActorKind | null;
  topicId: number | null;
  stance: Stance | null;
  source: string | null;
  origin: Origin | null;
  period: Date | null;
}

/** One period of a stance timeline: its start (midnight UTC) and its positions per stance. */
export interface StanceBucketRow {
  start: Date;
  support: number;
  oppose: number;
  neutral: number;
  mixed: number;
  total: number;
}
