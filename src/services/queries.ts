import type { Db } from '../db.js';
import type { ActorRow, ArticleRow, PositionRow, QuoteRow, TopicRow } from '../read/rows.js';
import type { ActorFilter, ArticleFilter, PositionFilter, QuoteFilter } from '../generated/graphql.js';
import type { Prisma } from '../generated/prisma/client.js';
import { badUserInput } from '../errors.js';
import { parseGlobalId } from '../ids.js';
import { INPUT_LIMITS } from '../input-limits.js';
import type { Loaders } from '../loaders.js';
import { findActorId } from './actors.js';
import { nameKey, slugify } from '../text/names.js';
import { matchExpression } from './search-query.js';
import {
  ARTICLE_COLUMNS,
  articlesAfter,
  prepared,
  preparedRows,
  QUOTE_COLUMNS,
  type Row,
  type SqlReader,
  storedDate,
  toArticle,
  toQuote,
} from '../read-model.js';
import {
  type Connection,
  type CursorKey,
  cursorNullableString,
  cursorNumber,
  cursorString,
  type PageArgs,
  pageRequest,
  type PageRequest,
  toConnection,
} from '../read/pagination.js';

// Each list has one order and a cursor holding that order's key, so paging is a keyset seek
// (an index range), never an OFFSET scan.

export const articleCursorKey = (a: ArticleRow): CursorKey => [a.publishedAt?.toISOString() ?? null, a.id];

const NO_MATCH = { id: -1 };

function topicIdOf(sql: SqlReader, reference: string): number | null {
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Topic') return globalId.id;
  const topic = prepared(sql, 'SELECT id FROM Topic WHERE slug = ?').get(slugify(reference)) as { id: number } | undefined;
  return topic ? Number(topic.id) : null;
}

async function articleIdOf(db: Db, reference: string): Promise<number | null> {
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Article') return globalId.id;
  const article = await db.article.findUnique({ where: { slug: reference.trim() }, select: { id: true } });
  return article?.id ?? null;
}

async function paged<T>(
  page: PageRequest,
  fetch: (take: number) => Promise<T[]>,
  keyOf: (row: T) => CursorKey,
  count: () => Promise<number>,
): Promise<Connection<T>> {
  return toConnection(await fetch(page.first + 1), page, keyOf, count);
}

export async function listArticles(
  sql: SqlReader,
  loaders: Loaders,
  args: PageArgs,
  filter: ArticleFilter | null | undefined,
): Promise<Connection<ArticleRow>> {
  const page = pageRequest(args, 2);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    conditions.push(condition);
    params.push(value);
  };
  if (filter?.search)
    add('a.id IN (SELECT rowid FROM ArticleSearch WHERE ArticleSearch MATCH ?)', matchExpression(filter.search, 'filter.search'));
  if (filter?.source) add('a.source = ? COLLATE NOCASE', filter.source);
  if (filter?.publishedAfter) add('a.publishedAt >= ?', storedDate(filter.publishedAfter));
  if (filter?.publishedBefore) add('a.publishedAt < ?', storedDate(filter.publishedBefore));
  if (filter?.actor) add('a.id IN (SELECT articleId FROM Mention WHERE actorId = ?)', findActorId(sql, filter.actor) ?? -1);
  if (filter?.topic) add('a.id IN (SELECT articleId FROM ArticleTopic WHERE topicId = ?)', topicIdOf(sql, filter.topic) ?? -1);
  const where = conditions.length > 0 ? conditions.join(' AND ') : '1 = 1';
  const seek = articlesAfter(page.after && [cursorNullableString(page.after, 0), cursorNumber(page.after, 1)]);
  const rows = preparedRows(
    sql,
    `SELECT ${ARTICLE_COLUMNS} FROM Article a WHERE ${where} AND ${seek.clause} ORDER BY a.publishedAt DESC, a.id DESC LIMIT ?`,
  ).all(...params, ...seek.params, page.first + 1) as Row[];
  return toConnection(
    rows.map((row) => toArticle(loaders.articleDetails, row)),
    page,
    articleCursorKey,
    async () => {
      const row = prepared(sql, `SELECT count(*) AS total FROM Article a WHERE ${where}`).get(...params) as { total: number };
      return Number(row.total);
    },
  );
}

export async function listActors(db: Db, args: PageArgs, filter: ActorFilter | null | undefined): Promise<Connection<ActorRow>> {
  const page = pageRequest(args, 2);
  const where: Prisma.ActorWhereInput[] = [];
  if (filter?.kind) where.push({ kind: filter.kind });
  if (filter?.search) {
    // LIKE '%key%' runs over every name, so its cost is the key's length times the actors.
    if (filter.search.length > INPUT_LIMITS.nameLength) {
      throw badUserInput('filter.search', `is ${filter.search.length} characters long; the limit is ${INPUT_LIMITS.nameLength}`);
    }
    const key = nameKey(filter.search);
    where.push({ OR: [{ nameKey: { contains: key } }, { aliases: { some: { aliasKey: { contains: key } } } }] });
  }
  const after: Prisma.ActorWhereInput = page.after
    ? {
        OR: [{ name: { gt: cursorString(page.after, 0) } }, { name: cursorString(page.after, 0), id: { gt: cursorNumber(page.after, 1) } }],
      }
    : {};
  return paged(
    page,
    (take) => db.actor.findMany({ where: { AND: [...where, after] }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take }),
    (a) => [a.name, a.id],
    () => db.actor.count({ where: { AND: where } }),
  );
}

export async function listQuotes(
  db: Db,
  sql: SqlReader,
  loaders: Loaders,
  args: PageArgs,
  filter: QuoteFilter | null | undefined,
): Promise<Connection<QuoteRow>> {
  const page = pageRequest(args, 1);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    conditions.push(condition);
    params.push(value);
  };
  if (filter?.kind) add('q.kind = ?', filter.kind);
  // A subquery rather than a list of ids, so that any number of matches fits in one statement.
  if (filter?.search)
    add('q.id IN (SELECT rowid FROM QuoteSearch WHERE QuoteSearch MATCH ?)', matchExpression(filter.search, 'filter.search'));
  if (filter?.speaker) add('q.speakerId = ?', findActorId(sql, filter.speaker) ?? NO_MATCH.id);
  if (filter?.article) add('q.articleId = ?', (await articleIdOf(db, filter.article)) ?? NO_MATCH.id);
  const where = conditions.length > 0 ? conditions.join(' AND ') : '1 = 1';
  const after = page.after ? cursorNumber(page.after, 0) : 0;
  const rows = preparedRows(sql, `SELECT ${QUOTE_COLUMNS} FROM Quote q WHERE ${where} AND q.id > ? ORDER BY q.id LIMIT ?`).all(
    ...params,
    after,
    page.first + 1,
  ) as Row[];
  return toConnection(
    rows.map((row) => toQuote(loaders.quoteDetails, row)),
    page,
    (q) => [q.id],
    async () => {
      const row = prepared(sql, `SELECT count(*) AS total FROM Quote q WHERE ${where}`).get(...params) as { total: number };
      return Number(row.total);
    },
  );
}

export async function listTopics(db: Db, args: PageArgs): Promise<Connection<TopicRow>> {
  const page = pageRequest(args, 2);
  const after: Prisma.TopicWhereInput = page.after
    ? {
        OR: [{ name: { gt: cursorString(page.after, 0) } }, { name: cursorString(page.after, 0), id: { gt: cursorNumber(page.after, 1) } }],
      }
    : {};
  return paged(
    page,
    (take) => db.topic.findMany({ where: after, orderBy: [{ name: 'asc' }, { id: 'asc' }], take }),
    (t) => [t.name, t.id],
    () => db.topic.count(),
  );
}

export async function listPositions(
  db: Db,
  sql: SqlReader,
  args: PageArgs,
  filter: PositionFilter | null | undefined,
): Promise<Connection<PositionRow>> {
  const page = pageRequest(args, 1);
  const where: Prisma.PositionWhereInput[] = [];
  if (filter?.stance) where.push({ stance: filter.stance });
  if (filter?.actor) {
    const actorId = findActorId(sql, filter.actor);
    where.push(actorId === null ? NO_MATCH : { actorId });
  }
  if (filter?.topic) {
    const topicId = topicIdOf(sql, filter.topic);
    where.push(topicId === null ? NO_MATCH : { topicId });
  }
  const after: Prisma.PositionWhereInput = page.after ? { id: { gt: cursorNumber(page.after, 0) } } : {};
  return paged(
    page,
    (take) => db.position.findMany({ where: { AND: [...where, after] }, orderBy: { id: 'asc' }, take }),
    (p) => [p.id],
    () => db.position.count({ where: { AND: where } }),
  );
}

/** A page of an actor's quotes, loaded with every other actor's on the same page in one query. */
export async function actorQuotes(loaders: Loaders, actor: ActorRow, args: PageArgs): Promise<Connection<QuoteRow>> {
  const page = pageRequest(args, 1);
  // Every quote on the page has this actor as its speaker.
  loaders.actorById.add(actor);
  const ids = await loaders.quoteIdsBySpeakerPage.load({
    parentId: actor.id,
    page: { first: page.first, after: page.after && [cursorNumber(page.after, 0)] },
  });
  const rows = await loaders.quoteById.loadMany(ids);
  return toConnection(
    present(rows),
    page,
    (q) => [q.id],
    () => loaders.quoteCountBySpeakerId.load(actor.id),
  );
}

/** A page of the articles mentioning an actor or about a topic, newest first. */
export async function childArticles(
  loaders: Loaders,
  pages: 'articleIdsByActorPage' | 'articleIdsByTopicPage',
  parentId: number,
  args: PageArgs,
  count: () => Promise<number>,
): Promise<Connection<ArticleRow>> {
  const page = pageRequest(args, 2);
  const checked = page.after && [cursorNullableString(page.after, 0), cursorNumber(page.after, 1)];
  const ids = await loaders[pages].load({ parentId, page: { first: page.first, after: checked } });
  const rows = await loaders.articleById.loadMany(ids);
  return toConnection(present(rows), page, articleCursorKey, count);
}

function present<T>(rows: (T | null | Error)[]): T[] {
  return rows.filter((row): row is T => row !== null && !(row instanceof Error));
}
