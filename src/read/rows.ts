import type { Actor, Article, Position, Quote, Topic } from '../generated/prisma/client.js';
import type { Origin } from '../generated/prisma/enums.js';

// The rows the API reads, as resolvers receive them (codegen's mappers point here). They live
// apart from the connections (db.ts) and the statements that read them, so that storage, reads and
// writes can all name them without importing each other.

/**
 * An article as resolvers receive it. The body (a few KB, up to 1 MB) is left out by the list and
 * loader queries, which rarely need it, and loaded on its own when a query asks for it; the digest
 * of its last input matters only to the write path, so reads leave it out too.
 */
export type ArticleRow = Omit<Article, 'body' | 'inputDigest'> & { body?: string; inputDigest?: string | null };
/** What the API reads of an actor: hot read paths select only these columns. */
export type ActorRow = Pick<Actor, 'id' | 'name' | 'kind' | 'description' | 'affiliationId'>;
export type QuoteRow = Quote;
export type TopicRow = Topic;
export type PositionRow = Position;

// The columns lists and joins leave out (see Details in sqlite.ts): each value better-sqlite3
// hands over costs about 0.1 µs, and a quote page read 20 per quote where most queries use 3 or 4.
export interface ArticleDetails {
  source: string | null;
  url: string | null;
  createdAt: unknown;
  updatedAt: unknown;
}
export interface QuoteDetails {
  channel: string | null;
  startOffset: number | null;
  endOffset: number | null;
  origin: Origin;
  confidence: number | null;
}
export interface PositionDetails {
  quoteId: number | null;
  origin: Origin;
  confidence: number | null;
}
