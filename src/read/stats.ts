import { badUserInput } from '../errors.js';
import type { PositionStatsFilter, PositionStatsKey, QuoteStatsFilter, QuoteStatsKey, TimeBucket } from '../generated/graphql.js';
import type { ActorKind, Origin, QuoteKind, Stance } from '../generated/prisma/enums.js';
import { checkLengths, storedTopicId } from './filters.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';
import { positionWhere } from './positions.js';
import { quoteWhere } from './quotes.js';
import type { PositionGroupRow, QuoteGroupRow, StanceBucketRow } from './rows.js';
import { LIMIT, nullableNumber, nullableString, type ReadScope, type Row, type Where } from './sql.js';

/**
 * Counts of quotes and positions grouped by keys (quoteStats, positionStats) and stance timelines.
 * Each is one grouped statement over the matching rows that returns only the groups; the actors and
 * topics among the keys come back as ids, for the resolvers to load through the batched loaders.
 */

/** Periods a timeline, or a date range grouped by period, may span. */
export const MAX_PERIODS = 1_000;

// --- Periods ------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/** Midnight UTC of a calendar date; setUTCFullYear, unlike Date.UTC, keeps the years 0 to 99 as they are. */
function utcDate(year: number, month: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date;
}

/** The start of the UTC day, ISO week (Monday) or month that holds `date`. */
export function periodStart(date: Date, bucket: TimeBucket): Date {
  const day = utcDate(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (bucket === 'DAY') return day;
  if (bucket === 'WEEK') return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  return utcDate(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function nextPeriod(start: Date, bucket: TimeBucket): Date {
  if (bucket === 'MONTH') return utcDate(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
  return new Date(start.getTime() + (bucket === 'WEEK' ? 7 : 1) * DAY_MS);
}

/** How many periods run from the one starting at `first` to the one starting at `last`, both included. */
function periodsFromTo(first: Date, last: Date, bucket: TimeBucket): number {
  if (last < first) return 0;
  if (bucket === 'MONTH') return (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth() + 1;
  return Math.round((last.getTime() - first.getTime()) / ((bucket === 'WEEK' ? 7 : 1) * DAY_MS)) + 1;
}

/** A period as the statements give it (`YYYY-MM-DD`, see Dialect.periodStart), or null. */
const periodOf = (value: unknown): Date | null => (typeof value === 'string' ? new Date(`${value}T00:00:00.000Z`) : null);

/** The first and last period of a filter's date range; null on a side the filter leaves open. */
interface PeriodRange {
  first: Date | null;
  last: Date | null;
  /** The periods from first to last, when both are known (0 for a range that holds no time). */
  count: number | null;
}

function rangeOf(
  filter: { publishedAfter?: Date | null; publishedBefore?: Date | null } | null | undefined,
  bucket: TimeBucket,
): PeriodRange {
  const after = filter?.publishedAfter ?? null;
  const before = filter?.publishedBefore ?? null;
  const first = after === null ? null : periodStart(after, bucket);
  // publishedBefore is exclusive: the last period is the one holding the instant before it.
  const last = before === null ? null : periodStart(new Date(before.getTime() - 1), bucket);
  if (after !== null && before !== null && before <= after) return { first, last, count: 0 };
  return { first, last, count: first !== null && last !== null ? periodsFromTo(first, last, bucket) : null };
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function tooManyPeriods(field: string, bucket: TimeBucket, count: number | null, first: Date, last: Date): never {
  const span =
    count === null
      ? `more than ${MAX_PERIODS} ${bucket.toLowerCase()} periods from ${day(first)}`
      : `${count} ${bucket.toLowerCase()} periods (${day(first)} to ${day(last)})`;
  throw badUserInput(
    field,
    `would give ${span}; at most ${MAX_PERIODS}: narrow filter.publishedAfter and filter.publishedBefore, or take a longer period`,
  );
}

// --- Grouped counts -----------------------------------------------------------------------------------

/** One key a statement can group by: its SQL, a join it needs, and the field of the group it fills. */
interface Key<G> {
  sql: (scope: ReadScope) => string;
  join?: string;
  /** Text ordered by code point on both databases (ties go by key). */
  text?: boolean;
  period?: TimeBucket;
  fill: (group: G, value: unknown) => void;
}

/** A period key over the article's publication date. */
function periodKey<G extends { period: Date | null }>(bucket: TimeBucket): Key<G> {
  return {
    sql: (scope) => scope.dialect.periodStart('a."publishedAt"', bucket),
    text: true,
    period: bucket,
    fill: (group, value) => (group.period = periodOf(value)),
  };
}

// Enums are compared as text: PostgreSQL orders an enum by its declaration, SQLite its text alphabetically.
const QUOTE_KEYS: Record<QuoteStatsKey, Key<QuoteGroupRow>> = {
  SPEAKER: { sql: () => 'q."speakerId"', fill: (group, value) => (group.speakerId = nullableNumber(value)) },
  SPEAKER_KIND: {
    sql: () => 'CAST(c.kind AS TEXT)',
    join: 'LEFT JOIN "Actor" c ON c.id = q."speakerId"',
    fill: (group, value) => (group.speakerKind = nullableString(value) as ActorKind | null),
  },
  TOPIC: {
    sql: () => 'l."topicId"',
    join: 'LEFT JOIN "ArticleTopic" l ON l."articleId" = q."articleId"',
    fill: (group, value) => (group.topicId = nullableNumber(value)),
  },
  SOURCE: { sql: () => 'a.source', text: true, fill: (group, value) => (group.source = nullableString(value)) },
  KIND: { sql: () => 'CAST(q.kind AS TEXT)', fill: (group, value) => (group.kind = nullableString(value) as QuoteKind | null) },
  ORIGIN: { sql: () => 'CAST(q.origin AS TEXT)', fill: (group, value) => (group.origin = nullableString(value) as Origin | null) },
  DAY: periodKey('DAY'),
  WEEK: periodKey('WEEK'),
  MONTH: periodKey('MONTH'),
};

const POSITION_KEYS: Record<PositionStatsKey, Key<PositionGroupRow>> = {
  ACTOR: { sql: () => 'p."actorId"', fill: (group, value) => (group.actorId = nullableNumber(value)) },
  ACTOR_KIND: {
    sql: () => 'CAST(c.kind AS TEXT)',
    join: 'JOIN "Actor" c ON c.id = p."actorId"',
    fill: (group, value) => (group.actorKind = nullableString(value) as ActorKind | null),
  },
  TOPIC: { sql: () => 'p."topicId"', fill: (group, value) => (group.topicId = nullableNumber(value)) },
  STANCE: { sql: () => 'CAST(p.stance AS TEXT)', fill: (group, value) => (group.stance = nullableString(value) as Stance | null) },
  SOURCE: { sql: () => 'a.source', text: true, fill: (group, value) => (group.source = nullableString(value)) },
  ORIGIN: { sql: () => 'CAST(p.origin AS TEXT)', fill: (group, value) => (group.origin = nullableString(value) as Origin | null) },
  DAY: periodKey('DAY'),
  WEEK: periodKey('WEEK'),
  MONTH: periodKey('MONTH'),
};

/** `first` for a list of groups, checked as connections check it. */
function groupLimit(first: number | null | undefined): number {
  const limit = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE)
    throw badUserInput('first', `must be between 0 and ${MAX_PAGE_SIZE}, got ${limit}`);
  return limit;
}

/**
 * The keys of `groupBy`, checked: at least one, each once, at most one period, and a date range
 * grouped by period that spans at most MAX_PERIODS.
 */
function groupKeys<K extends string, G>(
  groupBy: readonly K[],
  table: Record<K, Key<G>>,
  filter: { publishedAfter?: Date | null; publishedBefore?: Date | null } | null | undefined,
): Key<G>[] {
  if (groupBy.length === 0) throw badUserInput('groupBy', 'needs at least one key');
  const seen = new Set<K>();
  for (const key of groupBy) {
    if (seen.has(key)) throw badUserInput('groupBy', `lists ${key} twice`);
    seen.add(key);
  }
  const keys = groupBy.map((key) => table[key]);
  const periods = keys.flatMap((key) => (key.period ? [key.period] : []));
  if (periods.length > 1) throw badUserInput('groupBy', `may hold only one of DAY, WEEK and MONTH, got ${periods.join(' and ')}`);
  const [bucket] = periods;
  if (bucket) {
    const range = rangeOf(filter, bucket);
    if (range.count !== null && range.count > MAX_PERIODS && range.first && range.last)
      tooManyPeriods('groupBy', bucket, range.count, range.first, range.last);
  }
  return keys;
}

/**
 * One grouped statement: the groups of the rows of `from` that meet `where`, biggest first, ties by
 * the keys in order (null last), at most `first` of them.
 */
async function groupedCounts<G extends { count: number }>(
  scope: ReadScope,
  from: string,
  keys: readonly Key<G>[],
  where: Where,
  first: number,
  empty: () => G,
): Promise<G[]> {
  if (first === 0) return [];
  const expressions = keys.map((key) => key.sql(scope));
  const joins = [...new Set(keys.flatMap((key) => (key.join ? [key.join] : [])))].join(' ');
  const order = keys.map((key, i) => `g.k${i} IS NULL, ${key.text ? scope.dialect.byCodePoint(`g.k${i}`) : `g.k${i}`}`).join(', ');
  const text = `SELECT ${keys.map((_, i) => `g.k${i}`).join(', ')}, g.n FROM (
      SELECT ${expressions.map((sql, i) => `${sql} AS k${i}`).join(', ')}, count(*) AS n
      FROM ${from} ${joins} WHERE ${where.sql} GROUP BY ${expressions.join(', ')}
    ) g ORDER BY g.n DESC, ${order} ${LIMIT}`;
  const rows = await scope.db.rows(text, [...where.params, first]);
  return rows.map((row: Row) => {
    const group = empty();
    keys.forEach((key, i) => key.fill(group, row[i]));
    group.count = Number(row[keys.length]);
    return group;
  });
}

export async function quoteGroups(
  scope: ReadScope,
  groupBy: readonly QuoteStatsKey[],
  filter: QuoteStatsFilter | null | undefined,
  first: number | null | undefined,
): Promise<QuoteGroupRow[]> {
  const limit = groupLimit(first);
  const keys = groupKeys(groupBy, QUOTE_KEYS, filter);
  const where = await quoteWhere(scope, filter);
  const empty = (): QuoteGroupRow => ({
    count: 0,
    speakerId: null,
    speakerKind: null,
    topicId: null,
    source: null,
    kind: null,
    origin: null,
    period: null,
  });
  return groupedCounts(scope, '"Quote" q JOIN "Article" a ON a.id = q."articleId"', keys, where, limit, empty);
}

export async function positionGroups(
  scope: ReadScope,
  groupBy: readonly PositionStatsKey[],
  filter: PositionStatsFilter | null | undefined,
  first: number | null | undefined,
): Promise<PositionGroupRow[]> {
  const limit = groupLimit(first);
  const keys = groupKeys(groupBy, POSITION_KEYS, filter);
  const where = await positionWhere(scope, filter);
  const empty = (): PositionGroupRow => ({
    count: 0,
    actorId: null,
    actorKind: null,
    topicId: null,
    stance: null,
    source: null,
    origin: null,
    period: null,
  });
  return groupedCounts(scope, '"Position" p JOIN "Article" a ON a.id = p."articleId"', keys, where, limit, empty);
}

// --- Stance timelines ---------------------------------------------------------------------------------

/** The stances in the order StanceBucket lists them; each is a column of the timeline's statement. */
const STANCES = ['SUPPORT', 'OPPOSE', 'NEUTRAL', 'MIXED'] as const satisfies readonly Stance[];

/**
 * A topic's positions per period of publication, each period with its count per stance, earliest
 * first and without gaps: one statement groups by period (one row per period that has positions,
 * at most MAX_PERIODS + 1 of them, so a range too long to answer is known without reading it all),
 * and the empty periods between are filled here.
 */
export async function stanceTimeline(
  scope: ReadScope,
  topic: string,
  bucket: TimeBucket,
  filter: PositionStatsFilter | null | undefined,
): Promise<StanceBucketRow[]> {
  checkLengths([['topic', topic, 'topicLength']]);
  if (filter?.topic != null)
    throw badUserInput('filter.topic', "is given by stanceTimeline's own `topic` argument; leave it out of the filter");
  const range = rangeOf(filter, bucket);
  if (range.count !== null && range.count > MAX_PERIODS && range.first && range.last)
    tooManyPeriods('bucket', bucket, range.count, range.first, range.last);
  const topicId = await storedTopicId(scope, topic, 'topic');
  const where = await positionWhere(scope, filter);
  where.add('p."topicId" = ?', topicId);
  where.add('a."publishedAt" IS NOT NULL');
  if (range.count === 0) return [];

  const period = scope.dialect.periodStart('a."publishedAt"', bucket);
  const perStance = STANCES.map((stance) => `sum(CASE WHEN p.stance = '${stance}' THEN 1 ELSE 0 END) AS ${stance.toLowerCase()}`);
  const text = `SELECT g.period_start, ${STANCES.map((stance) => `g.${stance.toLowerCase()}`).join(', ')}, g.total FROM (
      SELECT ${period} AS period_start, ${perStance.join(', ')}, count(*) AS total
      FROM "Position" p JOIN "Article" a ON a.id = p."articleId" WHERE ${where.sql} GROUP BY ${period}
    ) g ORDER BY ${scope.dialect.byCodePoint('g.period_start')} ${LIMIT}`;
  const rows = await scope.db.rows(text, [...where.params, MAX_PERIODS + 1]);

  const found = new Map<number, StanceBucketRow>();
  for (const row of rows) {
    const start = periodOf(row[0]);
    if (start === null) continue;
    const [support, oppose, neutral, mixed, total] = row.slice(1).map(Number);
    found.set(start.getTime(), {
      start,
      support: support ?? 0,
      oppose: oppose ?? 0,
      neutral: neutral ?? 0,
      mixed: mixed ?? 0,
      total: total ?? 0,
    });
  }
  const starts = [...found.values()].map((b) => b.start);
  const first = range.first ?? starts[0] ?? null;
  const last = range.last ?? starts.at(-1) ?? null;
  if (first === null || last === null) return [];
  const count = rows.length > MAX_PERIODS ? null : periodsFromTo(first, last, bucket);
  if (count === null || count > MAX_PERIODS) tooManyPeriods('bucket', bucket, count, first, last);

  const timeline: StanceBucketRow[] = [];
  for (let start = first; timeline.length < count; start = nextPeriod(start, bucket)) {
    timeline.push(found.get(start.getTime()) ?? { start, support: 0, oppose: 0, neutral: 0, mixed: 0, total: 0 });
  }
  return timeline;
}
