import type Database from 'better-sqlite3';
import type { ActorRow, ArticleRow, PositionRow, QuoteRow, TopicRow } from './db.js';
import type { ActorKind, Origin, QuoteKind, Stance } from './generated/prisma/enums.js';
import type { CursorKey } from './services/pagination.js';

/**
 * The hot read path: prepared statements on a read-only better-sqlite3 connection. Prisma costs
 * about a millisecond per statement here against microseconds for a prepared statement, and
 * loaders run several statements per request, so they read through this instead; Prisma stays the
 * owner of the schema, the migrations and every write. Rows come back in Prisma's shapes (Dates
 * for DateTime columns), so resolvers cannot tell the difference.
 */
export type SqlReader = Database.Database;

type Raw = Record<string, unknown>;
const date = (value: unknown): Date => new Date(String(value));
const nullableDate = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));
const nullableNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
/** SQLite text columns come back as strings; anything else (null) means absent. */
const nullableString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A DateTime as Prisma's adapter stores it (ISO 8601 with an explicit +00:00), for comparisons in SQL. */
export function storedDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/** SQL on `Article a` for "after this cursor" in the articles' order: newest publication first, undated last. */
export function articlesAfter(after: CursorKey | null): { clause: string; params: unknown[] } {
  if (after === null) return { clause: '1 = 1', params: [] };
  const [publishedAt, id] = after;
  if (publishedAt === null || publishedAt === undefined) return { clause: '(a.publishedAt IS NULL AND a.id < ?)', params: [id] };
  const stored = storedDate(new Date(String(publishedAt)));
  return { clause: '(a.publishedAt < ? OR (a.publishedAt = ? AND a.id < ?) OR a.publishedAt IS NULL)', params: [stored, stored, id] };
}

export const ARTICLE_COLUMNS = 'a.id, a.slug, a.title, a.source, a.url, a.publishedAt, a.inputDigest, a.createdAt, a.updatedAt';
export function toArticle(row: Raw): ArticleRow {
  return {
    id: Number(row.id),
    slug: String(row.slug),
    title: String(row.title),
    source: nullableString(row.source),
    url: nullableString(row.url),
    publishedAt: nullableDate(row.publishedAt),
    inputDigest: nullableString(row.inputDigest),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  };
}

export const ACTOR_COLUMNS = 'c.id, c.name, c.kind, c.description, c.affiliationId';
export function toActor(row: Raw): ActorRow {
  return {
    id: Number(row.id),
    name: String(row.name),
    kind: row.kind as ActorKind,
    description: nullableString(row.description),
    affiliationId: nullableNumber(row.affiliationId),
  };
}

export const QUOTE_COLUMNS =
  'q.id, q.articleId, q.speakerId, q.text, q.kind, q.channel, q.startOffset, q.endOffset, q.origin, q.confidence';
export function toQuote(row: Raw): QuoteRow {
  return {
    id: Number(row.id),
    articleId: Number(row.articleId),
    speakerId: nullableNumber(row.speakerId),
    text: String(row.text),
    kind: row.kind as QuoteKind,
    channel: nullableString(row.channel),
    startOffset: nullableNumber(row.startOffset),
    endOffset: nullableNumber(row.endOffset),
    origin: row.origin as Origin,
    confidence: nullableNumber(row.confidence),
  };
}

export const TOPIC_COLUMNS = 't.id, t.name, t.slug';
export function toTopic(row: Raw): TopicRow {
  return { id: Number(row.id), name: String(row.name), slug: String(row.slug) };
}

export const POSITION_COLUMNS = 'p.id, p.actorId, p.topicId, p.articleId, p.quoteId, p.stance, p.summary, p.origin, p.confidence';
export function toPosition(row: Raw): PositionRow {
  return {
    id: Number(row.id),
    actorId: Number(row.actorId),
    topicId: Number(row.topicId),
    articleId: Number(row.articleId),
    quoteId: nullableNumber(row.quoteId),
    stance: row.stance as Stance,
    summary: String(row.summary),
    origin: row.origin as Origin,
    confidence: nullableNumber(row.confidence),
  };
}

/**
 * Prepared statements keyed by SQL text, one cache per connection: a statement whose keys are a
 * JSON array (`IN (SELECT value FROM json_each(?))`) serves every batch size.
 */
const cache = new WeakMap<SqlReader, Map<string, Database.Statement>>();
export function prepared(sql: SqlReader, text: string): Database.Statement {
  let statements = cache.get(sql);
  if (!statements) cache.set(sql, (statements = new Map<string, Database.Statement>()));
  let statement = statements.get(text);
  if (!statement) statements.set(text, (statement = sql.prepare(text)));
  return statement;
}

/** Runs a prepared read with a list of ids bound as one JSON parameter. */
export function allByIds(sql: SqlReader, text: string, ids: readonly number[], ...rest: unknown[]): Raw[] {
  return prepared(sql, text).all(JSON.stringify(ids), ...rest) as Raw[];
}
