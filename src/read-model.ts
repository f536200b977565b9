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

/** A row as an array of column values, in the statement's column order. */
export type Row = readonly unknown[];
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

// Rows come back as arrays (better-sqlite3's raw mode): building one object per row was about half
// of a statement's time. Each mapper reads its columns in the order of its COLUMNS list, from an
// offset, so a statement can put a grouping key before them.
export const ARTICLE_COLUMNS = 'a.id, a.slug, a.title, a.source, a.url, a.publishedAt, a.createdAt, a.updatedAt';
/**
 * An article read for the API. Its dates are parsed when a resolver reads them, not when the row is
 * read: lists and joins bring along many articles whose dates no query field asks for.
 */
class ReadArticle implements ArticleRow {
  constructor(
    readonly id: number,
    readonly slug: string,
    readonly title: string,
    readonly source: string | null,
    readonly url: string | null,
    private readonly storedPublishedAt: unknown,
    private readonly storedCreatedAt: unknown,
    private readonly storedUpdatedAt: unknown,
  ) {}

  get publishedAt(): Date | null {
    return nullableDate(this.storedPublishedAt);
  }

  get createdAt(): Date {
    return date(this.storedCreatedAt);
  }

  get updatedAt(): Date {
    return date(this.storedUpdatedAt);
  }
}

export function toArticle(row: Row, at = 0): ArticleRow {
  return new ReadArticle(
    Number(row[at]),
    String(row[at + 1]),
    String(row[at + 2]),
    nullableString(row[at + 3]),
    nullableString(row[at + 4]),
    row[at + 5],
    row[at + 6],
    row[at + 7],
  );
}

export const ACTOR_COLUMNS = 'c.id, c.name, c.kind, c.description, c.affiliationId';
export const ACTOR_WIDTH = ACTOR_COLUMNS.split(',').length;
export function toActor(row: Row, at = 0): ActorRow {
  return {
    id: Number(row[at]),
    name: String(row[at + 1]),
    kind: row[at + 2] as ActorKind,
    description: nullableString(row[at + 3]),
    affiliationId: nullableNumber(row[at + 4]),
  };
}

export const QUOTE_COLUMNS =
  'q.id, q.articleId, q.speakerId, q.text, q.kind, q.channel, q.startOffset, q.endOffset, q.origin, q.confidence';
export const QUOTE_WIDTH = QUOTE_COLUMNS.split(',').length;
export function toQuote(row: Row, at = 0): QuoteRow {
  return {
    id: Number(row[at]),
    articleId: Number(row[at + 1]),
    speakerId: nullableNumber(row[at + 2]),
    text: String(row[at + 3]),
    kind: row[at + 4] as QuoteKind,
    channel: nullableString(row[at + 5]),
    startOffset: nullableNumber(row[at + 6]),
    endOffset: nullableNumber(row[at + 7]),
    origin: row[at + 8] as Origin,
    confidence: nullableNumber(row[at + 9]),
  };
}

export const TOPIC_COLUMNS = 't.id, t.name, t.slug';
export function toTopic(row: Row, at = 0): TopicRow {
  return { id: Number(row[at]), name: String(row[at + 1]), slug: String(row[at + 2]) };
}

export const POSITION_COLUMNS = 'p.id, p.actorId, p.topicId, p.articleId, p.quoteId, p.stance, p.summary, p.origin, p.confidence';
export const POSITION_WIDTH = POSITION_COLUMNS.split(',').length;
export function toPosition(row: Row, at = 0): PositionRow {
  return {
    id: Number(row[at]),
    actorId: Number(row[at + 1]),
    topicId: Number(row[at + 2]),
    articleId: Number(row[at + 3]),
    quoteId: nullableNumber(row[at + 4]),
    stance: row[at + 5] as Stance,
    summary: String(row[at + 6]),
    origin: row[at + 7] as Origin,
    confidence: nullableNumber(row[at + 8]),
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

/** The same, returning rows as arrays (see the row mappers above). */
export function preparedRows(sql: SqlReader, text: string): Database.Statement {
  return prepared(sql, `${text} -- rows`).raw(true);
}

/** Runs a prepared read with a list of ids bound as one JSON parameter; rows as arrays. */
export function allByIds(sql: SqlReader, text: string, ids: readonly number[], ...rest: unknown[]): Row[] {
  return preparedRows(sql, text).all(JSON.stringify(ids), ...rest) as Row[];
}
