import DataLoader from 'dataloader';
import type { ActorRow, ArticleRow, PositionRow, QuoteRow, TopicRow } from './read/rows.js';
import type { Stance } from './generated/prisma/enums.js';
import {
  ACTOR_COLUMNS,
  articleDetails,
  positionDetails,
  quoteDetails,
  allByIds,
  ACTOR_WIDTH,
  ARTICLE_COLUMNS,
  articlesAfter,
  POSITION_COLUMNS,
  POSITION_WIDTH,
  QUOTE_COLUMNS,
  QUOTE_WIDTH,
  type Row,
  type SqlReader,
  TOPIC_COLUMNS,
  toActor,
  toArticle,
  toPosition,
  toQuote,
  toTopic,
} from './read-model.js';
import type { PageRequest } from './read/pagination.js';

/** A page of a child list of one parent, e.g. the first 50 quotes of actor 7 after a cursor. */
export interface ChildPageKey {
  parentId: number;
  page: PageRequest;
}

/** The ids of up to `first + 1` children of one parent, in connection order. */
type ChildIds = number[];

function groupBy<T>(rows: T[], keyOf: (row: T) => number, keys: readonly number[]): T[][] {
  const groups = new Map<number, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

function countsBy(rows: { key: number; count: number }[], keys: readonly number[]): number[] {
  const map = new Map(rows.map((row) => [row.key, row.count]));
  return keys.map((key) => map.get(key) ?? 0);
}

function keyedLoader<V>(batch: (keys: readonly number[]) => Promise<V[]>): DataLoader<number, V> {
  return new DataLoader<number, V>(batch);
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

  constructor(fetch: (ids: readonly number[]) => T[]) {
    this.#batches = new DataLoader<number, T | null>(async (ids) => {
      for (const row of fetch(ids)) this.#known.set(row.id, row);
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

const pageCacheKey = (key: ChildPageKey) => JSON.stringify([key.parentId, key.page.first, key.page.after]);

/**
 * Loads child pages for many parents in one statement per distinct page shape: a window function
 * numbers each parent's children, so "the first 50 quotes of every actor on this page" is one query.
 */
function childPageLoader(fetch: (parentIds: number[], page: PageRequest) => Promise<{ parentId: number; id: number }[]>) {
  return new DataLoader<ChildPageKey, ChildIds, string>(
    async (keys) => {
      const shapes = new Map<string, { page: PageRequest; parentIds: number[] }>();
      for (const key of keys) {
        const shape = JSON.stringify([key.page.first, key.page.after]);
        const entry = shapes.get(shape) ?? { page: key.page, parentIds: [] };
        entry.parentIds.push(key.parentId);
        shapes.set(shape, entry);
      }
      const results = new Map<string, ChildIds>();
      for (const [shape, { page, parentIds }] of shapes) {
        const rows = await fetch(parentIds, page);
        const grouped = groupBy(rows, (row) => row.parentId, parentIds);
        parentIds.forEach((parentId, i) =>
          results.set(
            `${shape}:${parentId}`,
            (grouped[i] ?? []).map((row) => row.id),
          ),
        );
      }
      return keys.map((key) => results.get(`${JSON.stringify([key.page.first, key.page.after])}:${key.parentId}`) ?? []);
    },
    { cacheKeyFn: pageCacheKey },
  );
}

const IDS = 'SELECT value FROM json_each(?)';

/** A list per key: one statement whose rows carry the key in column `keyColumn` (0-based). */
function listsBy<T>(sql: SqlReader, text: string, keyColumn: number, map: (row: Row) => T) {
  return keyedLoader<T[]>(async (keys) =>
    groupBy(allByIds(sql, text, keys), (row) => Number(row[keyColumn]), keys).map((rows) => rows.map(map)),
  );
}

function rowsByIds<T extends { id: number }>(sql: SqlReader, text: string, map: (row: Row) => T) {
  return new RowsById<T>((ids) => allByIds(sql, text, ids).map(map));
}

/** Rows are [parentId, id, ...]; `bringAlong` records the rows the statement joined in. */
function childPage(
  sql: SqlReader,
  text: (after: string) => string,
  after: (page: PageRequest) => { clause: string; params: unknown[] },
  bringAlong: (row: Row) => void,
) {
  return childPageLoader(async (parentIds, page) => {
    const condition = after(page);
    return allByIds(sql, text(condition.clause), parentIds, ...condition.params, page.first + 1).map((row) => {
      bringAlong(row);
      return { parentId: Number(row[0]), id: Number(row[1]) };
    });
  });
}

function counts(sql: SqlReader, text: string) {
  return keyedLoader<number>(async (ids) =>
    countsBy(
      allByIds(sql, text, ids).map((row) => ({ key: Number(row[0]), count: Number(row[1]) })),
      ids,
    ),
  );
}

/** The by-id loaders, which other loaders hand the rows they join in, and the request's details readers. */
interface KnownRows {
  articleById: RowsById<ArticleRow>;
  actorById: RowsById<ActorRow>;
  quoteById: RowsById<QuoteRow>;
  topicById: RowsById<TopicRow>;
  articleDetails: ReturnType<typeof articleDetails>;
  quoteDetails: ReturnType<typeof quoteDetails>;
  positionDetails: ReturnType<typeof positionDetails>;
}

// The lists below join in the rows their items point to most often (a quote's speaker, a
// position's topic) and hand them to the by-id loaders: one statement instead of two, and the
// fields under them resolve at once. Column offsets follow each *_COLUMNS list.
function quoteWithSpeaker(known: KnownRows, row: Row): QuoteRow {
  if (row[QUOTE_WIDTH] !== null) known.actorById.add(toActor(row, QUOTE_WIDTH));
  return toQuote(known.quoteDetails, row);
}

function positionWithTopic(known: KnownRows, row: Row): PositionRow {
  known.topicById.add(toTopic(row, POSITION_WIDTH));
  return toPosition(known.positionDetails, row);
}

/** How to make each loader of a request, given the read connection and the request's by-id loaders. */
const LOADERS = {
  articleDetails: (sql: SqlReader) => articleDetails(sql),
  quoteDetails: (sql: SqlReader) => quoteDetails(sql),
  positionDetails: (sql: SqlReader) => positionDetails(sql),

  articleById: (sql: SqlReader, known: KnownRows) =>
    rowsByIds(sql, `SELECT ${ARTICLE_COLUMNS} FROM Article a WHERE a.id IN (${IDS})`, (row) => toArticle(known.articleDetails, row)),
  actorById: (sql: SqlReader) => rowsByIds(sql, `SELECT ${ACTOR_COLUMNS} FROM Actor c WHERE c.id IN (${IDS})`, (row) => toActor(row)),
  quoteById: (sql: SqlReader, known: KnownRows) =>
    rowsByIds(sql, `SELECT ${QUOTE_COLUMNS} FROM Quote q WHERE q.id IN (${IDS})`, (row) => toQuote(known.quoteDetails, row)),
  topicById: (sql: SqlReader) => rowsByIds(sql, `SELECT ${TOPIC_COLUMNS} FROM Topic t WHERE t.id IN (${IDS})`, (row) => toTopic(row)),
  positionById: (sql: SqlReader, known: KnownRows) =>
    rowsByIds(sql, `SELECT ${POSITION_COLUMNS} FROM Position p WHERE p.id IN (${IDS})`, (row) => toPosition(known.positionDetails, row)),

  articleBodyById: (sql: SqlReader) =>
    keyedLoader<string>(async (ids) => {
      const bodies = new Map(
        allByIds(sql, `SELECT id, body FROM Article WHERE id IN (${IDS})`, ids).map((row) => [Number(row[0]), String(row[1])]),
      );
      return ids.map((id) => bodies.get(id) ?? '');
    }),
  aliasesByActorId: (sql: SqlReader) =>
    listsBy(sql, `SELECT actorId, alias FROM ActorAlias WHERE actorId IN (${IDS}) ORDER BY id`, 0, (row) => String(row[1])),
  membersByAffiliationId: (sql: SqlReader) =>
    listsBy(sql, `SELECT ${ACTOR_COLUMNS} FROM Actor c WHERE c.affiliationId IN (${IDS}) ORDER BY c.name, c.id`, 4, (row) => toActor(row)),
  actorsByArticleId: (sql: SqlReader, known: KnownRows) =>
    listsBy(
      sql,
      `SELECT m.articleId AS mentionArticleId, ${ACTOR_COLUMNS} FROM Mention m JOIN Actor c ON c.id = m.actorId
       WHERE m.articleId IN (${IDS}) ORDER BY c.name, c.id`,
      0,
      (row) => {
        const actor = toActor(row, 1);
        known.actorById.add(actor);
        return actor;
      },
    ),
  // Order of appearance in the body; quotes that paraphrase (no offsets) come last.
  quotesByArticleId: (sql: SqlReader, known: KnownRows) =>
    listsBy(
      sql,
      `SELECT ${QUOTE_COLUMNS}, ${ACTOR_COLUMNS} FROM Quote q LEFT JOIN Actor c ON c.id = q.speakerId
       WHERE q.articleId IN (${IDS}) ORDER BY q.startOffset IS NULL, q.startOffset, q.id`,
      1,
      (row) => quoteWithSpeaker(known, row),
    ),
  positionsByArticleId: (sql: SqlReader, known: KnownRows) =>
    listsBy(
      sql,
      `SELECT ${POSITION_COLUMNS}, ${TOPIC_COLUMNS} FROM Position p JOIN Topic t ON t.id = p.topicId WHERE p.articleId IN (${IDS}) ORDER BY p.id`,
      3,
      (row) => positionWithTopic(known, row),
    ),
  topicsByArticleId: (sql: SqlReader) =>
    listsBy(
      sql,
      `SELECT l.articleId AS linkArticleId, ${TOPIC_COLUMNS} FROM ArticleTopic l JOIN Topic t ON t.id = l.topicId
       WHERE l.articleId IN (${IDS}) ORDER BY t.name, t.id`,
      0,
      (row) => toTopic(row, 1),
    ),
  positionsByActorId: (sql: SqlReader, known: KnownRows) =>
    listsBy(
      sql,
      `SELECT ${POSITION_COLUMNS}, ${TOPIC_COLUMNS} FROM Position p JOIN Topic t ON t.id = p.topicId WHERE p.actorId IN (${IDS}) ORDER BY p.id`,
      1,
      (row) => positionWithTopic(known, row),
    ),
  // A topic board asks for one stance of a popular topic: filter in SQL, not after loading them all.
  positionsByTopicStance: (sql: SqlReader, known: KnownRows) =>
    new DataLoader<{ topicId: number; stance: Stance | null }, PositionRow[], string>(
      async (keys) => {
        const byStance = new Map<Stance | null, number[]>();
        for (const { topicId, stance } of keys) byStance.set(stance, [...(byStance.get(stance) ?? []), topicId]);
        const found = new Map<string, PositionRow[]>();
        for (const [stance, topicIds] of byStance) {
          // Two statement texts, so that a stance uses the (topicId, stance) index as an equality. A
          // board shows who took each position and where, so actors and articles come along.
          const board = `SELECT ${POSITION_COLUMNS}, ${ACTOR_COLUMNS}, ${ARTICLE_COLUMNS}
            FROM Position p JOIN Actor c ON c.id = p.actorId JOIN Article a ON a.id = p.articleId
            WHERE p.topicId IN (${IDS}) ${stance === null ? '' : 'AND p.stance = ?'} ORDER BY p.id`;
          const rows = (stance === null ? allByIds(sql, board, topicIds) : allByIds(sql, board, topicIds, stance)).map((row) => {
            known.actorById.add(toActor(row, POSITION_WIDTH));
            known.articleById.add(toArticle(known.articleDetails, row, POSITION_WIDTH + ACTOR_WIDTH));
            return toPosition(known.positionDetails, row);
          });
          groupBy(rows, (row) => row.topicId, topicIds).forEach((positions, i) => found.set(`${topicIds[i]}:${stance}`, positions));
        }
        return keys.map(({ topicId, stance }) => found.get(`${topicId}:${stance}`) ?? []);
      },
      { cacheKeyFn: ({ topicId, stance }) => `${topicId}:${stance}` },
    ),

  // Paged child lists: a window function numbers each parent's children, one statement per page
  // shape, and the rows themselves come along (with each quote's article and speaker).
  quoteIdsBySpeakerPage: (sql: SqlReader, known: KnownRows) =>
    childPage(
      sql,
      // The speaker is the parent, whom the caller already has (see actorQuotes).
      (after) => `SELECT r.parentId, r.id, ${QUOTE_COLUMNS}, ${ARTICLE_COLUMNS} FROM (
        SELECT q.speakerId AS parentId, q.id AS id, ROW_NUMBER() OVER (PARTITION BY q.speakerId ORDER BY q.id) AS rank
        FROM Quote q WHERE q.speakerId IN (${IDS}) AND ${after}
      ) r JOIN Quote q ON q.id = r.id JOIN Article a ON a.id = q.articleId
      WHERE r.rank <= ? ORDER BY r.parentId, r.rank`,
      (page) => ({ clause: 'q.id > ?', params: [page.after === null ? 0 : page.after[0]] }),
      (row) => {
        known.quoteById.add(toQuote(known.quoteDetails, row, 2));
        known.articleById.add(toArticle(known.articleDetails, row, 2 + QUOTE_WIDTH));
      },
    ),
  articleIdsByActorPage: (sql: SqlReader, known: KnownRows) =>
    childPage(
      sql,
      (after) => `SELECT r.parentId, r.id, ${ARTICLE_COLUMNS} FROM (
        SELECT m.actorId AS parentId, a.id AS id,
          ROW_NUMBER() OVER (PARTITION BY m.actorId ORDER BY a.publishedAt DESC, a.id DESC) AS rank
        FROM Mention m JOIN Article a ON a.id = m.articleId
        WHERE m.actorId IN (${IDS}) AND ${after}
      ) r JOIN Article a ON a.id = r.id WHERE r.rank <= ? ORDER BY r.parentId, r.rank`,
      (page) => articlesAfter(page.after),
      (row) => known.articleById.add(toArticle(known.articleDetails, row, 2)),
    ),
  articleIdsByTopicPage: (sql: SqlReader, known: KnownRows) =>
    childPage(
      sql,
      (after) => `SELECT r.parentId, r.id, ${ARTICLE_COLUMNS} FROM (
        SELECT l.topicId AS parentId, a.id AS id,
          ROW_NUMBER() OVER (PARTITION BY l.topicId ORDER BY a.publishedAt DESC, a.id DESC) AS rank
        FROM ArticleTopic l JOIN Article a ON a.id = l.articleId
        WHERE l.topicId IN (${IDS}) AND ${after}
      ) r JOIN Article a ON a.id = r.id WHERE r.rank <= ? ORDER BY r.parentId, r.rank`,
      (page) => articlesAfter(page.after),
      (row) => known.articleById.add(toArticle(known.articleDetails, row, 2)),
    ),

  quoteCountBySpeakerId: (sql: SqlReader) =>
    counts(sql, `SELECT speakerId AS key, count(*) AS count FROM Quote WHERE speakerId IN (${IDS}) GROUP BY speakerId`),
  articleCountByActorId: (sql: SqlReader) =>
    counts(sql, `SELECT actorId AS key, count(*) AS count FROM Mention WHERE actorId IN (${IDS}) GROUP BY actorId`),
  articleCountByTopicId: (sql: SqlReader) =>
    counts(sql, `SELECT topicId AS key, count(*) AS count FROM ArticleTopic WHERE topicId IN (${IDS}) GROUP BY topicId`),
};

export type Loaders = { readonly [Name in keyof typeof LOADERS]: ReturnType<(typeof LOADERS)[Name]> };

/**
 * Every DataLoader of one request, each made on first use: most queries touch two or three of the
 * twenty, and making them all was a quarter of what a small request allocated. Fresh per request,
 * so no request sees another's cache.
 */
class RequestLoaders {
  readonly made: unknown[] = [];
  constructor(readonly sql: SqlReader) {}
}
Object.entries(LOADERS).forEach(([name, make], index) => {
  Object.defineProperty(RequestLoaders.prototype, name, {
    get(this: RequestLoaders) {
      return (this.made[index] ??= make(this.sql, this as unknown as KnownRows));
    },
  });
});

export function createLoaders(sql: SqlReader): Loaders {
  return new RequestLoaders(sql) as unknown as Loaders;
}
