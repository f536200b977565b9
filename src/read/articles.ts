import type { ArticleFilter, ArticleOrder } from '../generated/graphql.js';
import { childCounts, childPageIds, orderedList } from './filtered-page.js';
import { storedActorId, storedTopicId } from './filters.js';
import { orderedPage, type Ordering } from './order.js';
import type { Connection, PageArgs } from './pagination.js';
import type { ArticleDetails, ArticleRow } from './rows.js';
import type { ChildId, ChildPage } from './store.js';
import { allByIds, columns, date, firstRow, inKeyOrder, nullableDate, nullableString, type ReadScope, type Row, Where } from './sql.js';

/** Everything the API reads of articles: lean columns, details, bodies, lists and child pages. */

export const ARTICLE = columns('a', ['id', 'slug', 'title', 'publishedAt']);

export function toArticle(row: Row, at = 0): ArticleRow {
  const c = ARTICLE.at;
  return new StoredArticle(Number(row[at + c.id]), String(row[at + c.slug]), String(row[at + c.title]), row[at + c.publishedAt]);
}

/**
 * An article row whose date is parsed from the stored text when a field reads it: most queries
 * that list articles (a board's, a quote page's) never ask for it, and parsing it for every row
 * was about 13 µs of a 25-row board. No statement runs behind the getter.
 */
class StoredArticle implements ArticleRow {
  constructor(
    readonly id: number,
    readonly slug: string,
    readonly title: string,
    private readonly storedPublishedAt: unknown,
  ) {}

  get publishedAt(): Date | null {
    return nullableDate(this.storedPublishedAt);
  }
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

/** The orders of article lists; undated articles last either way, ties by id. */
export const ARTICLE_ORDERS: Record<ArticleOrder, Ordering> = {
  PUBLISHED_AT_DESC: {
    name: 'PUBLISHED_AT_DESC',
    keys: [
      { sql: 'a."publishedAt"', type: 'date', descending: true, nullable: true },
      { sql: 'a.id', type: 'integer', descending: true },
    ],
  },
  PUBLISHED_AT_ASC: {
    name: 'PUBLISHED_AT_ASC',
    keys: [
      { sql: 'a."publishedAt"', type: 'date', nullable: true },
      { sql: 'a.id', type: 'integer' },
    ],
  },
  TITLE_ASC: {
    name: 'TITLE_ASC',
    keys: [
      { sql: 'a.title', type: 'text' },
      { sql: 'a.id', type: 'integer' },
    ],
  },
  TITLE_DESC: {
    name: 'TITLE_DESC',
    keys: [
      { sql: 'a.title', type: 'text', descending: true },
      { sql: 'a.id', type: 'integer', descending: true },
    ],
  },
};

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

/** The article with this slug; null for none. */
export async function articleBySlug(scope: ReadScope, slug: string): Promise<ArticleRow | null> {
  const row = await firstRow(scope, `SELECT ${ARTICLE.list} FROM "Article" a WHERE a.slug = ?`, [slug]);
  return row ? toArticle(row) : null;
}

export async function listArticles(
  scope: ReadScope,
  args: PageArgs,
  filter: ArticleFilter | null | undefined,
  orderBy: ArticleOrder,
): Promise<Connection<ArticleRow>> {
  const ordering = ARTICLE_ORDERS[orderBy];
  // Checked before the filter's lookups run.
  orderedPage(args, ordering);
  const { dialect } = scope;
  const where = new Where();
  if (filter?.search) where.add(...dialect.matches('Article', 'a', filter.search, 'filter.search'));
  if (filter?.source) where.add(dialect.equalsIgnoringCase('a.source'), filter.source);
  if (filter?.publishedAfter) where.add('a."publishedAt" >= ?', dialect.date(filter.publishedAfter));
  if (filter?.publishedBefore) where.add('a."publishedAt" < ?', dialect.date(filter.publishedBefore));
  if (filter?.actor)
    where.add('a.id IN (SELECT "articleId" FROM "Mention" WHERE "actorId" = ?)', await storedActorId(scope, filter.actor, 'filter.actor'));
  if (filter?.topic)
    where.add(
      'a.id IN (SELECT "articleId" FROM "ArticleTopic" WHERE "topicId" = ?)',
      await storedTopicId(scope, filter.topic, 'filter.topic'),
    );
  return orderedList(scope, { from: '"Article" a', columns: ARTICLE }, where, ordering, args, (row) => toArticle(row));
}

/** The link tables that page articles under a parent: mentions under actors, topic links under topics. */
const LINKS = {
  actor: { table: 'Mention', parent: 'actorId' },
  topic: { table: 'ArticleTopic', parent: 'topicId' },
} as const;

/** A page of articles for each parent, in one statement; the articles come along whole. */
async function articlePages(
  scope: ReadScope,
  links: keyof typeof LINKS,
  parentIds: readonly number[],
  page: ChildPage<ArticleOrder>,
): Promise<ChildId[]> {
  const { table, parent } = LINKS[links];
  return childPageIds(
    scope,
    { from: `"${table}" l JOIN "Article" a ON a.id = l."articleId"`, parent: `l."${parent}"`, id: 'a.id' },
    new Where(),
    ARTICLE_ORDERS[page.orderBy],
    parentIds,
    page,
    { select: ARTICLE.list, row: '"Article" a', joins: [] },
    (row, at) => scope.known.article(toArticle(row, at)),
  );
}

export const articlePagesByActor = (scope: ReadScope, actorIds: readonly number[], page: ChildPage<ArticleOrder>) =>
  articlePages(scope, 'actor', actorIds, page);
export const articlePagesByTopic = (scope: ReadScope, topicIds: readonly number[], page: ChildPage<ArticleOrder>) =>
  articlePages(scope, 'topic', topicIds, page);

/** How many articles each parent has, in key order. */
async function articleCounts(scope: ReadScope, links: keyof typeof LINKS, parentIds: readonly number[]): Promise<number[]> {
  const { table, parent } = LINKS[links];
  return childCounts(scope, { from: `"${table}" l`, parent: `l."${parent}"` }, new Where(), parentIds);
}

export const articleCountsByActor = (scope: ReadScope, actorIds: readonly number[]) => articleCounts(scope, 'actor', actorIds);
export const articleCountsByTopic = (scope: ReadScope, topicIds: readonly number[]) => articleCounts(scope, 'topic', topicIds);
