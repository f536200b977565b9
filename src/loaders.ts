import DataLoader from 'dataloader';
import type { ActorRow, ArticleRow, Db, PositionRow, QuoteRow, TopicRow } from './db.js';
import { Prisma } from './generated/prisma/client.js';
import type { CursorKey, PageRequest } from './services/pagination.js';

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

/**
 * Dispatch batches on the next macrotask instead of DataLoader's default microtask: resolvers that
 * reach a loader through a different number of awaits (an actor with no quotes skips one) still
 * land in the same batch, so the statement count depends on query depth only.
 */
const batchScheduleFn = (dispatch: () => void) => void setImmediate(dispatch);

function keyedLoader<V>(batch: (keys: readonly number[]) => Promise<V[]>): DataLoader<number, V> {
  return new DataLoader<number, V>(batch, { batchScheduleFn });
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
    { cacheKeyFn: pageCacheKey, batchScheduleFn },
  );
}

/** SQL for "after this article cursor" in the articles' order: newest publication first, undated last. */
function articlesAfter(after: CursorKey | null): Prisma.Sql {
  if (after === null) return Prisma.sql`1 = 1`;
  const [publishedAt, id] = after;
  if (publishedAt === null || publishedAt === undefined) return Prisma.sql`(a.publishedAt IS NULL AND a.id < ${id})`;
  const date = new Date(String(publishedAt));
  return Prisma.sql`(a.publishedAt < ${date} OR (a.publishedAt = ${date} AND a.id < ${id}) OR a.publishedAt IS NULL)`;
}

/** Every DataLoader of one request. Built fresh per request, so no request sees another's cache. */
export function createLoaders(db: Db) {
  return {
    articleById: keyedLoader<ArticleRow | null>(async (ids) => byId(await db.article.findMany({ where: { id: { in: [...ids] } } }), ids)),
    actorById: keyedLoader<ActorRow | null>(async (ids) => byId(await db.actor.findMany({ where: { id: { in: [...ids] } } }), ids)),
    quoteById: keyedLoader<QuoteRow | null>(async (ids) => byId(await db.quote.findMany({ where: { id: { in: [...ids] } } }), ids)),
    topicById: keyedLoader<TopicRow | null>(async (ids) => byId(await db.topic.findMany({ where: { id: { in: [...ids] } } }), ids)),
    positionById: keyedLoader<PositionRow | null>(async (ids) =>
      byId(await db.position.findMany({ where: { id: { in: [...ids] } } }), ids),
    ),

    aliasesByActorId: keyedLoader<string[]>(async (actorIds) => {
      const rows = await db.actorAlias.findMany({ where: { actorId: { in: [...actorIds] } }, orderBy: { id: 'asc' } });
      return groupBy(rows, (row) => row.actorId, actorIds).map((aliases) => aliases.map((a) => a.alias));
    }),
    membersByAffiliationId: keyedLoader<ActorRow[]>(async (actorIds) => {
      const rows = await db.actor.findMany({ where: { affiliationId: { in: [...actorIds] } }, orderBy: { name: 'asc' } });
      return groupBy(rows, (row) => row.affiliationId ?? 0, actorIds);
    }),
    actorsByArticleId: keyedLoader<ActorRow[]>(async (articleIds) => {
      const rows = await db.mention.findMany({
        where: { articleId: { in: [...articleIds] } },
        include: { actor: true },
        orderBy: { actor: { name: 'asc' } },
      });
      return groupBy(rows, (row) => row.articleId, articleIds).map((mentions) => mentions.map((m) => m.actor));
    }),
    quotesByArticleId: keyedLoader<QuoteRow[]>(async (articleIds) => {
      const rows = await db.quote.findMany({ where: { articleId: { in: [...articleIds] } } });
      // Order of appearance in the body; quotes that paraphrase (no offsets) come last.
      rows.sort((a, b) => (a.startOffset ?? Infinity) - (b.startOffset ?? Infinity) || a.id - b.id);
      return groupBy(rows, (row) => row.articleId, articleIds);
    }),
    positionsByArticleId: keyedLoader<PositionRow[]>(async (articleIds) => {
      const rows = await db.position.findMany({ where: { articleId: { in: [...articleIds] } }, orderBy: { id: 'asc' } });
      return groupBy(rows, (row) => row.articleId, articleIds);
    }),
    topicsByArticleId: keyedLoader<TopicRow[]>(async (articleIds) => {
      const rows = await db.articleTopic.findMany({
        where: { articleId: { in: [...articleIds] } },
        include: { topic: true },
        orderBy: { topic: { name: 'asc' } },
      });
      return groupBy(rows, (row) => row.articleId, articleIds).map((links) => links.map((l) => l.topic));
    }),
    positionsByActorId: keyedLoader<PositionRow[]>(async (actorIds) => {
      const rows = await db.position.findMany({ where: { actorId: { in: [...actorIds] } }, orderBy: { id: 'asc' } });
      return groupBy(rows, (row) => row.actorId, actorIds);
    }),
    positionsByTopicId: keyedLoader<PositionRow[]>(async (topicIds) => {
      const rows = await db.position.findMany({ where: { topicId: { in: [...topicIds] } }, orderBy: { id: 'asc' } });
      return groupBy(rows, (row) => row.topicId, topicIds);
    }),

    quoteIdsBySpeakerPage: childPageLoader(
      (speakerIds, { first, after }) => db.$queryRaw`
      SELECT parentId, id FROM (
        SELECT q.speakerId AS parentId, q.id AS id, ROW_NUMBER() OVER (PARTITION BY q.speakerId ORDER BY q.id) AS rank
        FROM Quote q
        WHERE q.speakerId IN (${Prisma.join(speakerIds)}) AND q.id > ${after === null ? 0 : after[0]}
      ) WHERE rank <= ${first + 1} ORDER BY parentId, rank`,
    ),
    articleIdsByActorPage: childPageLoader(
      (actorIds, { first, after }) => db.$queryRaw`
      SELECT parentId, id FROM (
        SELECT m.actorId AS parentId, a.id AS id,
          ROW_NUMBER() OVER (PARTITION BY m.actorId ORDER BY a.publishedAt DESC, a.id DESC) AS rank
        FROM Mention m JOIN Article a ON a.id = m.articleId
        WHERE m.actorId IN (${Prisma.join(actorIds)}) AND ${articlesAfter(after)}
      ) WHERE rank <= ${first + 1} ORDER BY parentId, rank`,
    ),
    articleIdsByTopicPage: childPageLoader(
      (topicIds, { first, after }) => db.$queryRaw`
      SELECT parentId, id FROM (
        SELECT t.topicId AS parentId, a.id AS id,
          ROW_NUMBER() OVER (PARTITION BY t.topicId ORDER BY a.publishedAt DESC, a.id DESC) AS rank
        FROM ArticleTopic t JOIN Article a ON a.id = t.articleId
        WHERE t.topicId IN (${Prisma.join(topicIds)}) AND ${articlesAfter(after)}
      ) WHERE rank <= ${first + 1} ORDER BY parentId, rank`,
    ),

    quoteCountBySpeakerId: keyedLoader<number>(async (speakerIds) => {
      const rows = await db.quote.groupBy({ by: ['speakerId'], where: { speakerId: { in: [...speakerIds] } }, _count: { _all: true } });
      return countsBy(
        rows.map((r) => ({ key: r.speakerId ?? 0, count: r._count._all })),
        speakerIds,
      );
    }),
    articleCountByActorId: keyedLoader<number>(async (actorIds) => {
      const rows = await db.mention.groupBy({ by: ['actorId'], where: { actorId: { in: [...actorIds] } }, _count: { _all: true } });
      return countsBy(
        rows.map((r) => ({ key: r.actorId, count: r._count._all })),
        actorIds,
      );
    }),
    articleCountByTopicId: keyedLoader<number>(async (topicIds) => {
      const rows = await db.articleTopic.groupBy({ by: ['topicId'], where: { topicId: { in: [...topicIds] } }, _count: { _all: true } });
      return countsBy(
        rows.map((r) => ({ key: r.topicId, count: r._count._all })),
        topicIds,
      );
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
