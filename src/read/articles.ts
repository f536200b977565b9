import type { ArticleFilter } from '../generated/graphql.js';
import { parseGlobalId } from '../ids.js';
import { matchExpression } from './search-query.js';
import { actorIdOf } from './actors.js';
import {
  type Connection,
  type CursorKey,
  cursorNullableString,
  cursorNumber,
  type PageArgs,
  pageRequest,
  toConnection,
} from './pagination.js';
import type { ArticleDetails, ArticleRow } from './rows.js';
import type { ChildId, ChildPage } from './store.js';
import {
  allByIds,
  columns,
  countOf,
  countsBy,
  date,
  IDS,
  inKeyOrder,
  nullableDate,
  nullableString,
  prepared,
  preparedRows,
  type ReadScope,
  type Row,
  storedDate,
} from './sqlite.js';
import { topicIdOf } from './topics.js';

/** Everything the API reads of articles: lean columns, details, bodies, lists and child pages. */

export const ARTICLE = columns('a', ['id', 'slug', 'title', 'publishedAt']);

export function toArticle(row: Row, at = 0): ArticleRow {
  const c = ARTICLE.at;
  return {
    id: Number(row[at + c.id]),
    slug: String(row[at + c.slug]),
    title: String(row[at + c.title]),
    publishedAt: nullableDate(row[at + c.publishedAt]),
  };
}

const DETAILS = columns('a', ['id', 'source', 'url', 'createdAt', 'updatedAt']);

/** The rarely asked columns of each article, in key order (null for a missing article). */
export function articleDetailsByIds(scope: ReadScope, ids: readonly number[]): (ArticleDetails | null)[] {
  const c = DETAILS.at;
  const rows = allByIds(scope.sql, `SELECT ${DETAILS.list} FROM Article a WHERE a.id IN (${IDS})`, ids).map((row) => ({
    id: Number(row[c.id]),
    source: nullableString(row[c.source]),
    url: nullableString(row[c.url]),
    createdAt: date(row[c.createdAt]),
    updatedAt: date(row[c.updatedAt]),
  }));
  return inKeyOrder(rows, ids);
}

/** SQL on `Article a` for "after this cursor" in the articles' order: newest publication first, undated last. */
export function articlesAfter(after: CursorKey | null): { clause: string; params: unknown[] } {
  if (after === null) return { clause: '1 = 1', params: [] };
  const [publishedAt, id] = after;
  if (publishedAt === null || publishedAt === undefined) return { clause: '(a.publishedAt IS NULL AND a.id < ?)', params: [id] };
  const stored = storedDate(new Date(String(publishedAt)));
  return { clause: '(a.publishedAt < ? OR (a.publishedAt = ? AND a.id < ?) OR a.publishedAt IS NULL)', params: [stored, stored, id] };
}

export const articleCursorKey = (a: ArticleRow): CursorKey => [a.publishedAt?.toISOString() ?? null, a.id];

export function articlesByIds(scope: ReadScope, ids: readonly number[]): ArticleRow[] {
  return allByIds(scope.sql, `SELECT ${ARTICLE.list} FROM Article a WHERE a.id IN (${IDS})`, ids).map((row) => toArticle(row));
}

/** Bodies in key order ('' for a missing article); read only when a query selects them. */
export function articleBodies(scope: ReadScope, ids: readonly number[]): string[] {
  const bodies = new Map(
    allByIds(scope.sql, `SELECT id, body FROM Article WHERE id IN (${IDS})`, ids).map((row) => [Number(row[0]), String(row[1])]),
  );
  return ids.map((id) => bodies.get(id) ?? '');
}

/** The id of the article a client names by global id or slug; null for none. */
export function articleIdOf(scope: ReadScope, reference: string): number | null {
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Article') return globalId.id;
  const row = prepared(scope.sql, 'SELECT id FROM Article WHERE slug = ?').get(reference.trim()) as { id: number } | undefined;
  return row ? Number(row.id) : null;
}

/** The article with this slug; null for none. */
export function articleBySlug(scope: ReadScope, slug: string): ArticleRow | null {
  const row = preparedRows(scope.sql, `SELECT ${ARTICLE.list} FROM Article a WHERE a.slug = ?`).get(slug) as Row | undefined;
  return row ? toArticle(row) : null;
}

export function listArticles(scope: ReadScope, args: PageArgs, filter: ArticleFilter | null | undefined): Connection<ArticleRow> {
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
  if (filter?.actor) add('a.id IN (SELECT articleId FROM Mention WHERE actorId = ?)', actorIdOf(scope, filter.actor) ?? -1);
  if (filter?.topic) add('a.id IN (SELECT articleId FROM ArticleTopic WHERE topicId = ?)', topicIdOf(scope, filter.topic) ?? -1);
  const where = conditions.length > 0 ? conditions.join(' AND ') : '1 = 1';
  const seek = articlesAfter(page.after && [cursorNullableString(page.after, 0), cursorNumber(page.after, 1)]);
  const rows = preparedRows(
    scope.sql,
    `SELECT ${ARTICLE.list} FROM Article a WHERE ${where} AND ${seek.clause} ORDER BY a.publishedAt DESC, a.id DESC LIMIT ?`,
  ).all(...params, ...seek.params, page.first + 1) as Row[];
  return toConnection(
    rows.map((row) => toArticle(row)),
    page,
    articleCursorKey,
    async () => countOf(scope.sql, `SELECT count(*) AS total FROM Article a WHERE ${where}`, params),
  );
}

/** The link tables that page articles under a parent: mentions under actors, topic links under topics. */
const LINKS = {
  actor: { table: 'Mention', parent: 'actorId' },
  topic: { table: 'ArticleTopic', parent: 'topicId' },
} as const;

/**
 * A page of articles for each parent, newest first, in one statement: a window function numbers
 * each parent's articles. The articles come along whole.
 */
function articlePages(scope: ReadScope, links: keyof typeof LINKS, parentIds: readonly number[], page: ChildPage): ChildId[] {
  const { table, parent } = LINKS[links];
  const condition = articlesAfter(page.after && [...page.after]);
  const text = `SELECT r.parentId, r.id, ${ARTICLE.list} FROM (
    SELECT l.${parent} AS parentId, a.id AS id,
      ROW_NUMBER() OVER (PARTITION BY l.${parent} ORDER BY a.publishedAt DESC, a.id DESC) AS rank
    FROM ${table} l JOIN Article a ON a.id = l.articleId
    WHERE l.${parent} IN (${IDS}) AND ${condition.clause}
  ) r JOIN Article a ON a.id = r.id WHERE r.rank <= ? ORDER BY r.parentId, r.rank`;
  return allByIds(scope.sql, text, parentIds, ...condition.params, page.first + 1).map((row) => {
    scope.known.article(toArticle(row, 2));
    return { parentId: Number(row[0]), id: Number(row[1]) };
  });
}

export const articlePagesByActor = (scope: ReadScope, actorIds: readonly number[], page: ChildPage) =>
  articlePages(scope, 'actor', actorIds, page);
export const articlePagesByTopic = (scope: ReadScope, topicIds: readonly number[], page: ChildPage) =>
  articlePages(scope, 'topic', topicIds, page);

export const articleCountsByActor = (scope: ReadScope, actorIds: readonly number[]) =>
  countsBy(allByIds(scope.sql, `SELECT actorId, count(*) FROM Mention WHERE actorId IN (${IDS}) GROUP BY actorId`, actorIds), actorIds);
export const articleCountsByTopic = (scope: ReadScope, topicIds: readonly number[]) =>
  countsBy(
    allByIds(scope.sql, `SELECT topicId, count(*) FROM ArticleTopic WHERE topicId IN (${IDS}) GROUP BY topicId`, topicIds),
    topicIds,
  );
