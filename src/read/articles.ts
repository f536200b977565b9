import type { ArticleFilter } from '../generated/graphql.js';
import { parseGlobalId } from '../ids.js';
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
  firstRow,
  inKeyOrder,
  nullableDate,
  nullableString,
  type ReadScope,
  type Row,
} from './sql.js';
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
export async function articleDetailsByIds(scope: ReadScope, ids: readonly number[]): Promise<(ArticleDetails | null)[]> {
  const c = DETAILS.at;
  const found = await allByIds(scope, `SELECT ${DETAILS.list} FROM "Article" a WHERE ${scope.dialect.inIds('a.id')}`, ids);
  const rows = found.map((row) => ({
    id: Number(row[c.id]),
    source: nullableString(row[c.source]),
    url: nullableString(row[c.url]),
    createdAt: date(row[c.createdAt]),
    updatedAt: date(row[c.updatedAt]),
  }));
  return inKeyOrder(rows, ids);
}

/** SQL on `"Article" a` for "after this cursor" in the articles' order: newest publication first, undated last. */
export function articlesAfter(scope: ReadScope, after: CursorKey | null): { clause: string; params: unknown[] } {
  if (after === null) return { clause: '1 = 1', params: [] };
  const [publishedAt, id] = after;
  if (publishedAt === null || publishedAt === undefined) return { clause: '(a."publishedAt" IS NULL AND a.id < ?)', params: [id] };
  const stored = scope.dialect.date(new Date(String(publishedAt)));
  return {
    clause: '(a."publishedAt" < ? OR (a."publishedAt" = ? AND a.id < ?) OR a."publishedAt" IS NULL)',
    params: [stored, stored, id],
  };
}

/** The articles' order: newest publication first, undated last, then by id. */
const NEWEST_FIRST = (scope: ReadScope) => `a."publishedAt" DESC${scope.dialect.descNullsLast}, a.id DESC`;

export const articleCursorKey = (a: ArticleRow): CursorKey => [a.publishedAt?.toISOString() ?? null, a.id];

export async function articlesByIds(scope: ReadScope, ids: readonly number[]): Promise<ArticleRow[]> {
  const rows = await allByIds(scope, `SELECT ${ARTICLE.list} FROM "Article" a WHERE ${scope.dialect.inIds('a.id')}`, ids);
  return rows.map((row) => toArticle(row));
}

/** Bodies in key order ('' for a missing article); read only when a query selects them. */
export async function articleBodies(scope: ReadScope, ids: readonly number[]): Promise<string[]> {
  const rows = await allByIds(scope, `SELECT id, body FROM "Article" WHERE ${scope.dialect.inIds('id')}`, ids);
  const bodies = new Map(rows.map((row) => [Number(row[0]), String(row[1])]));
  return ids.map((id) => bodies.get(id) ?? '');
}

/** The id of the article a client names by global id or slug; null for none. */
export async function articleIdOf(scope: ReadScope, reference: string): Promise<number | null> {
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Article') return globalId.id;
  const row = await firstRow(scope, 'SELECT id FROM "Article" WHERE slug = ?', [reference.trim()]);
  return row ? Number(row[0]) : null;
}

/** The article with this slug; null for none. */
export async function articleBySlug(scope: ReadScope, slug: string): Promise<ArticleRow | null> {
  const row = await firstRow(scope, `SELECT ${ARTICLE.list} FROM "Article" a WHERE a.slug = ?`, [slug]);
  return row ? toArticle(row) : null;
}

export async function listArticles(
  scope: ReadScope,
  args: PageArgs,
  filter: ArticleFilter | null | undefined,
): Promise<Connection<ArticleRow>> {
  const page = pageRequest(args, 2);
  const { dialect } = scope;
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    conditions.push(condition);
    params.push(value);
  };
  if (filter?.search) add(...dialect.matches('Article', 'a', filter.search, 'filter.search'));
  if (filter?.source) add(dialect.equalsIgnoringCase('a.source'), filter.source);
  if (filter?.publishedAfter) add('a."publishedAt" >= ?', dialect.date(filter.publishedAfter));
  if (filter?.publishedBefore) add('a."publishedAt" < ?', dialect.date(filter.publishedBefore));
  if (filter?.actor) add('a.id IN (SELECT "articleId" FROM "Mention" WHERE "actorId" = ?)', (await actorIdOf(scope, filter.actor)) ?? -1);
  if (filter?.topic)
    add('a.id IN (SELECT "articleId" FROM "ArticleTopic" WHERE "topicId" = ?)', (await topicIdOf(scope, filter.topic)) ?? -1);
  const where = conditions.length > 0 ? conditions.join(' AND ') : '1 = 1';
  const seek = articlesAfter(scope, page.after && [cursorNullableString(page.after, 0), cursorNumber(page.after, 1)]);
  const rows = await scope.db.rows(
    `SELECT ${ARTICLE.list} FROM "Article" a WHERE ${where} AND ${seek.clause} ORDER BY ${NEWEST_FIRST(scope)} LIMIT ?`,
    [...params, ...seek.params, page.first + 1],
  );
  return toConnection(
    rows.map((row) => toArticle(row)),
    page,
    articleCursorKey,
    () => countOf(scope, `SELECT count(*) AS total FROM "Article" a WHERE ${where}`, params),
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
async function articlePages(
  scope: ReadScope,
  links: keyof typeof LINKS,
  parentIds: readonly number[],
  page: ChildPage,
): Promise<ChildId[]> {
  const { table, parent } = LINKS[links];
  const condition = articlesAfter(scope, page.after && [...page.after]);
  const text = `SELECT r.parent_id, r.id, ${ARTICLE.list} FROM (
    SELECT l."${parent}" AS parent_id, a.id AS id,
      ROW_NUMBER() OVER (PARTITION BY l."${parent}" ORDER BY ${NEWEST_FIRST(scope)}) AS rank
    FROM "${table}" l JOIN "Article" a ON a.id = l."articleId"
    WHERE ${scope.dialect.inIds(`l."${parent}"`)} AND ${condition.clause}
  ) r JOIN "Article" a ON a.id = r.id WHERE r.rank <= ? ORDER BY r.parent_id, r.rank`;
  const rows = await allByIds(scope, text, parentIds, ...condition.params, page.first + 1);
  return rows.map((row) => {
    scope.known.article(toArticle(row, 2));
    return { parentId: Number(row[0]), id: Number(row[1]) };
  });
}

export const articlePagesByActor = (scope: ReadScope, actorIds: readonly number[], page: ChildPage) =>
  articlePages(scope, 'actor', actorIds, page);
export const articlePagesByTopic = (scope: ReadScope, topicIds: readonly number[], page: ChildPage) =>
  articlePages(scope, 'topic', topicIds, page);

/** How many articles each parent has, in key order. */
async function articleCounts(scope: ReadScope, links: keyof typeof LINKS, parentIds: readonly number[]): Promise<number[]> {
  const { table, parent } = LINKS[links];
  const text = `SELECT "${parent}", count(*) FROM "${table}" WHERE ${scope.dialect.inIds(`"${parent}"`)} GROUP BY "${parent}"`;
  return countsBy(await allByIds(scope, text, parentIds), parentIds);
}

export const articleCountsByActor = (scope: ReadScope, actorIds: readonly number[]) => articleCounts(scope, 'actor', actorIds);
export const articleCountsByTopic = (scope: ReadScope, topicIds: readonly number[]) => articleCounts(scope, 'topic', topicIds);
