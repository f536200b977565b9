import type Database from 'better-sqlite3';
import type { SqlReader } from './db.js';
import type { ActorRow, ArticleRow, PositionRow, QuoteRow, TopicRow } from './read/rows.js';
import type { ActorKind, Origin, QuoteKind, Stance } from './generated/prisma/enums.js';
import type { CursorKey } from './read/pagination.js';

/**
 * The hot read path: prepared statements on a read-only better-sqlite3 connection. Prisma costs
 * about a millisecond per statement here against microseconds for a prepared statement, and
 * loaders run several statements per request, so they read through this instead; Prisma stays the
 * owner of the schema, the migrations and every write. Rows come back in Prisma's shapes (Dates
 * for DateTime columns), so resolvers cannot tell the difference.
 */
export type { SqlReader };

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
//
// Lists and joins read the lean columns most queries ask for. Each value better-sqlite3 hands over
// costs about 0.1 µs, and a quote page read 20 per quote where most queries use 3 or 4; the rest
// (an article's source, url and timestamps, a quote's offsets, channel, origin and confidence, a
// position's quote, origin and confidence) are read through `Details` when a field asks for them.

/**
 * The rarely asked columns of one table, for one request. Lean rows register here as they are
 * read; the first row asked for a detail reads the details of every registered row not yet read,
 * in one statement, so a list never turns into a statement per row.
 */
export class Details<D> {
  readonly #read = new Map<number, D>();
  #waiting: number[] = [];

  constructor(
    private readonly sql: SqlReader,
    private readonly table: string,
    private readonly columns: string,
    private readonly map: (row: Row) => D,
  ) {}

  register(id: number): void {
    this.#waiting.push(id);
  }

  of(id: number): D {
    let details = this.#read.get(id);
    if (details === undefined) {
      const ids = [...this.#waiting, id];
      this.#waiting = [];
      const text = `SELECT id, ${this.columns} FROM ${this.table} WHERE id IN (SELECT value FROM json_each(?))`;
      for (const row of allByIds(this.sql, text, ids)) this.#read.set(Number(row[0]), this.map(row));
      details = this.#read.get(id);
      // Deleted between the two statements of this request: an error, as for any vanished row.
      if (details === undefined) throw new Error(`${this.table} ${id} disappeared while the request was running`);
    }
    return details;
  }
}

interface ArticleDetails {
  source: string | null;
  url: string | null;
  createdAt: unknown;
  updatedAt: unknown;
}
export const articleDetails = (sql: SqlReader) =>
  new Details<ArticleDetails>(sql, 'Article', 'source, url, createdAt, updatedAt', (row) => ({
    source: nullableString(row[1]),
    url: nullableString(row[2]),
    createdAt: row[3],
    updatedAt: row[4],
  }));

export const ARTICLE_COLUMNS = 'a.id, a.slug, a.title, a.publishedAt';
/** An article read for the API; its dates are parsed when a field reads them. */
class ReadArticle implements ArticleRow {
  constructor(
    readonly id: number,
    readonly slug: string,
    readonly title: string,
    private readonly storedPublishedAt: unknown,
    private readonly details: Details<ArticleDetails>,
  ) {
    details.register(id);
  }

  get publishedAt(): Date | null {
    return nullableDate(this.storedPublishedAt);
  }

  get source(): string | null {
    return this.details.of(this.id).source;
  }

  get url(): string | null {
    return this.details.of(this.id).url;
  }

  get createdAt(): Date {
    return date(this.details.of(this.id).createdAt);
  }

  get updatedAt(): Date {
    return date(this.details.of(this.id).updatedAt);
  }
}

export function toArticle(details: Details<ArticleDetails>, row: Row, at = 0): ArticleRow {
  return new ReadArticle(Number(row[at]), String(row[at + 1]), String(row[at + 2]), row[at + 3], details);
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

interface QuoteDetails {
  channel: string | null;
  startOffset: number | null;
  endOffset: number | null;
  origin: Origin;
  confidence: number | null;
}
export const quoteDetails = (sql: SqlReader) =>
  new Details<QuoteDetails>(sql, 'Quote', 'channel, startOffset, endOffset, origin, confidence', (row) => ({
    channel: nullableString(row[1]),
    startOffset: nullableNumber(row[2]),
    endOffset: nullableNumber(row[3]),
    origin: row[4] as Origin,
    confidence: nullableNumber(row[5]),
  }));

export const QUOTE_COLUMNS = 'q.id, q.articleId, q.speakerId, q.text, q.kind';
export const QUOTE_WIDTH = QUOTE_COLUMNS.split(',').length;
class ReadQuote implements QuoteRow {
  constructor(
    readonly id: number,
    readonly articleId: number,
    readonly speakerId: number | null,
    readonly text: string,
    readonly kind: QuoteKind,
    private readonly details: Details<QuoteDetails>,
  ) {
    details.register(id);
  }

  get channel(): string | null {
    return this.details.of(this.id).channel;
  }

  get startOffset(): number | null {
    return this.details.of(this.id).startOffset;
  }

  get endOffset(): number | null {
    return this.details.of(this.id).endOffset;
  }

  get origin(): Origin {
    return this.details.of(this.id).origin;
  }

  get confidence(): number | null {
    return this.details.of(this.id).confidence;
  }
}

export function toQuote(details: Details<QuoteDetails>, row: Row, at = 0): QuoteRow {
  return new ReadQuote(
    Number(row[at]),
    Number(row[at + 1]),
    nullableNumber(row[at + 2]),
    String(row[at + 3]),
    row[at + 4] as QuoteKind,
    details,
  );
}

export const TOPIC_COLUMNS = 't.id, t.name, t.slug';
export function toTopic(row: Row, at = 0): TopicRow {
  return { id: Number(row[at]), name: String(row[at + 1]), slug: String(row[at + 2]) };
}

interface PositionDetails {
  quoteId: number | null;
  origin: Origin;
  confidence: number | null;
}
export const positionDetails = (sql: SqlReader) =>
  new Details<PositionDetails>(sql, 'Position', 'quoteId, origin, confidence', (row) => ({
    quoteId: nullableNumber(row[1]),
    origin: row[2] as Origin,
    confidence: nullableNumber(row[3]),
  }));

export const POSITION_COLUMNS = 'p.id, p.actorId, p.topicId, p.articleId, p.stance, p.summary';
export const POSITION_WIDTH = POSITION_COLUMNS.split(',').length;
class ReadPosition implements PositionRow {
  constructor(
    readonly id: number,
    readonly actorId: number,
    readonly topicId: number,
    readonly articleId: number,
    readonly stance: Stance,
    readonly summary: string,
    private readonly details: Details<PositionDetails>,
  ) {
    details.register(id);
  }

  get quoteId(): number | null {
    return this.details.of(this.id).quoteId;
  }

  get origin(): Origin {
    return this.details.of(this.id).origin;
  }

  get confidence(): number | null {
    return this.details.of(this.id).confidence;
  }
}

export function toPosition(details: Details<PositionDetails>, row: Row, at = 0): PositionRow {
  return new ReadPosition(
    Number(row[at]),
    Number(row[at + 1]),
    Number(row[at + 2]),
    Number(row[at + 3]),
    row[at + 4] as Stance,
    String(row[at + 5]),
    details,
  );
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
