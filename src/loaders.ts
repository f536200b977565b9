import DataLoader from 'dataloader';
import type { PositionRow } from './db.js';
import type { Stance } from './generated/prisma/enums.js';
import {
  ACTOR_COLUMNS,
  allByIds,
  ARTICLE_COLUMNS,
  articlesAfter,
  POSITION_COLUMNS,
  prepared,
  QUOTE_COLUMNS,
  type Row,
  type SqlReader,
  TOPIC_COLUMNS,
  toActor,
  toArticle,
  toPosition,
  toQuote,
  toTopic,
} from './read-model.js';
import type { PageRequest } from './services/pagination.js';

/** A page of a child list of one parent, e.g. the first 50 quotes of actor 7 after a cursor. */
export interface ChildPageKey {
  parentId: number;
  page: PageRequest;
}

/** The ids of up to `first + 1` children of one parent, in connection order. */
type ChildIds = number[];

function byId<T extends { id: number }>(rows: T[], ids: readonly number[]): (T | null)[] {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id) ?? null);
}

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

/** Every DataLoader of one request. Built fresh per request, so no request sees another's cache. */
export function createLoaders(sql: SqlReader) {
  /** A list per key: one statement whose rows carry the key in column `keyColumn` (0-based). */
  const listsBy = <T>(text: string, keyColumn: number, map: (row: Row) => T) =>
    keyedLoader<T[]>(async (keys) =>
      groupBy(allByIds(sql, text, keys), (row) => Number(row[keyColumn]), keys).map((rows) => rows.map(map)),
    );
  const rowsByIds = <T extends { id: number }>(text: string, map: (row: Row) => T) =>
    keyedLoader<T | null>(async (ids) => byId(allByIds(sql, text, ids).map(map), ids));
  const childPage = (text: (after: string) => string, after: (page: PageRequest) => { clause: string; params: unknown[] }) =>
    childPageLoader(async (parentIds, page) => {
      const condition = after(page);
      return prepared(sql, text(condition.clause))
        .all(JSON.stringify(parentIds), ...condition.params, page.first + 1)
        .map((row) => {
          const { parentId, id } = row as { parentId: number; id: number };
          return { parentId: Number(parentId), id: Number(id) };
        });
    });
  const counts = (text: string) =>
    keyedLoader<number>(async (ids) =>
      countsBy(
        allByIds(sql, text, ids).map((row) => ({ key: Number(row[0]), count: Number(row[1]) })),
        ids,
      ),
    );

  return {
    articleById: rowsByIds(`SELECT ${ARTICLE_COLUMNS} FROM Article a WHERE a.id IN (${IDS})`, (row) => toArticle(row)),
    actorById: rowsByIds(`SELECT ${ACTOR_COLUMNS} FROM Actor c WHERE c.id IN (${IDS})`, (row) => toActor(row)),
    quoteById: rowsByIds(`SELECT ${QUOTE_COLUMNS} FROM Quote q WHERE q.id IN (${IDS})`, (row) => toQuote(row)),
    topicById: rowsByIds(`SELECT ${TOPIC_COLUMNS} FROM Topic t WHERE t.id IN (${IDS})`, (row) => toTopic(row)),
    positionById: rowsByIds(`SELECT ${POSITION_COLUMNS} FROM Position p WHERE p.id IN (${IDS})`, (row) => toPosition(row)),

    articleBodyById: keyedLoader<string>(async (ids) => {
      const bodies = new Map(
        allByIds(sql, `SELECT id, body FROM Article WHERE id IN (${IDS})`, ids).map((row) => [Number(row[0]), String(row[1])]),
      );
      return ids.map((id) => bodies.get(id) ?? '');
    }),
    aliasesByActorId: listsBy(`SELECT actorId, alias FROM ActorAlias WHERE actorId IN (${IDS}) ORDER BY id`, 0, (row) => String(row[1])),
    membersByAffiliationId: listsBy(
      `SELECT ${ACTOR_COLUMNS} FROM Actor c WHERE c.affiliationId IN (${IDS}) ORDER BY c.name, c.id`,
      4,
      (row) => toActor(row),
    ),
    actorsByArticleId: listsBy(
      `SELECT m.articleId AS mentionArticleId, ${ACTOR_COLUMNS} FROM Mention m JOIN Actor c ON c.id = m.actorId
       WHERE m.articleId IN (${IDS}) ORDER BY c.name, c.id`,
      0,
      (row) => toActor(row, 1),
    ),
    // Order of appearance in the body; quotes that paraphrase (no offsets) come last.
    quotesByArticleId: listsBy(
      `SELECT ${QUOTE_COLUMNS} FROM Quote q WHERE q.articleId IN (${IDS}) ORDER BY q.startOffset IS NULL, q.startOffset, q.id`,
      1,
      (row) => toQuote(row),
    ),
    positionsByArticleId: listsBy(`SELECT ${POSITION_COLUMNS} FROM Position p WHERE p.articleId IN (${IDS}) ORDER BY p.id`, 3, (row) =>
      toPosition(row),
    ),
    topicsByArticleId: listsBy(
      `SELECT l.articleId AS linkArticleId, ${TOPIC_COLUMNS} FROM ArticleTopic l JOIN Topic t ON t.id = l.topicId
       WHERE l.articleId IN (${IDS}) ORDER BY t.name, t.id`,
      0,
      (row) => toTopic(row, 1),
    ),
    positionsByActorId: listsBy(`SELECT ${POSITION_COLUMNS} FROM Position p WHERE p.actorId IN (${IDS}) ORDER BY p.id`, 1, (row) =>
      toPosition(row),
    ),
    // A topic board asks for one stance of a popular topic: filter in SQL, not after loading them all.
    positionsByTopicStance: new DataLoader<{ topicId: number; stance: Stance | null }, PositionRow[], string>(
      async (keys) => {
        const byStance = new Map<Stance | null, number[]>();
        for (const { topicId, stance } of keys) byStance.set(stance, [...(byStance.get(stance) ?? []), topicId]);
        const found = new Map<string, PositionRow[]>();
        for (const [stance, topicIds] of byStance) {
          // Two statement texts, so that a stance uses the (topicId, stance) index as an equality.
          const rows = (
            stance === null
              ? allByIds(sql, `SELECT ${POSITION_COLUMNS} FROM Position p WHERE p.topicId IN (${IDS}) ORDER BY p.id`, topicIds)
              : allByIds(
                  sql,
                  `SELECT ${POSITION_COLUMNS} FROM Position p WHERE p.topicId IN (${IDS}) AND p.stance = ? ORDER BY p.id`,
                  topicIds,
                  stance,
                )
          ).map((row) => toPosition(row));
          groupBy(rows, (row) => row.topicId, topicIds).forEach((positions, i) => found.set(`${topicIds[i]}:${stance}`, positions));
        }
        return keys.map(({ topicId, stance }) => found.get(`${topicId}:${stance}`) ?? []);
      },
      { cacheKeyFn: ({ topicId, stance }) => `${topicId}:${stance}` },
    ),

    // Paged child lists: a window function numbers each parent's children, one statement per page shape.
    quoteIdsBySpeakerPage: childPage(
      (after) => `SELECT parentId, id FROM (
        SELECT q.speakerId AS parentId, q.id AS id, ROW_NUMBER() OVER (PARTITION BY q.speakerId ORDER BY q.id) AS rank
        FROM Quote q WHERE q.speakerId IN (${IDS}) AND ${after}
      ) WHERE rank <= ? ORDER BY parentId, rank`,
      (page) => ({ clause: 'q.id > ?', params: [page.after === null ? 0 : page.after[0]] }),
    ),
    articleIdsByActorPage: childPage(
      (after) => `SELECT parentId, id FROM (
        SELECT m.actorId AS parentId, a.id AS id,
          ROW_NUMBER() OVER (PARTITION BY m.actorId ORDER BY a.publishedAt DESC, a.id DESC) AS rank
        FROM Mention m JOIN Article a ON a.id = m.articleId
        WHERE m.actorId IN (${IDS}) AND ${after}
      ) WHERE rank <= ? ORDER BY parentId, rank`,
      (page) => articlesAfter(page.after),
    ),
    articleIdsByTopicPage: childPage(
      (after) => `SELECT parentId, id FROM (
        SELECT l.topicId AS parentId, a.id AS id,
          ROW_NUMBER() OVER (PARTITION BY l.topicId ORDER BY a.publishedAt DESC, a.id DESC) AS rank
        FROM ArticleTopic l JOIN Article a ON a.id = l.articleId
        WHERE l.topicId IN (${IDS}) AND ${after}
      ) WHERE rank <= ? ORDER BY parentId, rank`,
      (page) => articlesAfter(page.after),
    ),

    quoteCountBySpeakerId: counts(`SELECT speakerId AS key, count(*) AS count FROM Quote WHERE speakerId IN (${IDS}) GROUP BY speakerId`),
    articleCountByActorId: counts(`SELECT actorId AS key, count(*) AS count FROM Mention WHERE actorId IN (${IDS}) GROUP BY actorId`),
    articleCountByTopicId: counts(`SELECT topicId AS key, count(*) AS count FROM ArticleTopic WHERE topicId IN (${IDS}) GROUP BY topicId`),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
