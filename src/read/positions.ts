import type { PositionFilter, PositionOrder } from '../generated/graphql.js';
import type { Origin, Stance } from '../generated/prisma/enums.js';
import { ACTOR, toActor } from './actors.js';
import { ARTICLE, toArticle } from './articles.js';
import { childCounts, childPageIds, orderedList } from './filtered-page.js';
import { addArticleConditions, checkLengths, storedActorId, storedTopicId } from './filters.js';
import { articleChildOrders, orderedPage, type Ordering } from './order.js';
import type { Connection, PageArgs } from './pagination.js';
import type { PositionDetails, PositionRow } from './rows.js';
import type { ChildId, ChildPage } from './store.js';
import { allByIds, columns, groupBy, inKeyOrder, nullableNumber, type ReadScope, type Row, Where } from './sql.js';
import { TOPIC, toTopic } from './topics.js';

/** Everything the API reads of positions: rows by id, by article, pages under topics (boards) and actors, lists. */

export const POSITION = columns('p', ['id', 'actorId', 'topicId', 'articleId', 'stance', 'summary']);

export function toPosition(row: Row, at = 0): PositionRow {
  const c = POSITION.at;
  return {
    id: Number(row[at + c.id]),
    actorId: Number(row[at + c.actorId]),
    topicId: Number(row[at + c.topicId]),
    articleId: Number(row[at + c.articleId]),
    stance: row[at + c.stance] as Stance,
    summary: String(row[at + c.summary]),
  };
}

const DETAILS = columns('p', ['id', 'quoteId', 'origin', 'confidence']);

/** The rarely asked columns of each position, in key order (null for a missing position). */
export async function positionDetailsByIds(scope: ReadScope, ids: readonly number[]): Promise<(PositionDetails | null)[]> {
  const c = DETAILS.at;
  const found = await allByIds(scope, `SELECT ${DETAILS.list} FROM "Position" p WHERE ${scope.dialect.inIds('p.id')}`, ids);
  const rows = found.map((row) => ({
    id: Number(row[c.id]),
    quoteId: nullableNumber(row[c.quoteId]),
    origin: row[c.origin] as Origin,
    confidence: nullableNumber(row[c.confidence]),
  }));
  return inKeyOrder(rows, ids);
}

export async function positionsByIds(scope: ReadScope, ids: readonly number[]): Promise<PositionRow[]> {
  const rows = await allByIds(scope, `SELECT ${POSITION.list} FROM "Position" p WHERE ${scope.dialect.inIds('p.id')}`, ids);
  return rows.map((row) => toPosition(row));
}

/** Each article's positions, with their topics, which nearly every query of positions asks for. */
export async function positionsByArticleIds(scope: ReadScope, articleIds: readonly number[]): Promise<PositionRow[][]> {
  const text = `SELECT ${POSITION.list}, ${TOPIC.list} FROM "Position" p JOIN "Topic" t ON t.id = p."topicId"
    WHERE ${scope.dialect.inIds('p."articleId"')} ORDER BY p.id`;
  const rows = (await allByIds(scope, text, articleIds)).map((row) => {
    scope.known.topic(toTopic(row, POSITION.width));
    return toPosition(row);
  });
  return groupBy(rows, (position) => position.articleId, articleIds);
}

/** The name an error gives a filter's field when it came from elsewhere (Actor.positions' own `topic` argument). */
export type FieldNames = Partial<Record<'topic', string>>;

/**
 * The conditions of a position filter on `"Position" p` (and its article `a`, which
 * Where.readsArticle says to join), for lists and counts alike; names are looked up, and refused
 * when they name nothing.
 */
export async function positionWhere(scope: ReadScope, filter: PositionFilter | null | undefined, names: FieldNames = {}): Promise<Where> {
  const where = new Where();
  if (!filter) return where;
  const topicField = names.topic ?? 'filter.topic';
  checkLengths([
    ['filter.actor', filter.actor, 'nameLength'],
    [topicField, filter.topic, 'topicLength'],
    ['filter.source', filter.source, 'sourceLength'],
  ]);
  if (filter.stance != null) where.add('p.stance = ?', filter.stance);
  if (filter.origin != null) where.add('p.origin = ?', filter.origin);
  if (filter.actorKind != null) where.add('p."actorId" IN (SELECT id FROM "Actor" WHERE kind = ?)', filter.actorKind);
  addArticleConditions(scope, where, filter);
  if (filter.actor != null) where.add('p."actorId" = ?', await storedActorId(scope, filter.actor, 'filter.actor'));
  if (filter.topic != null) where.add('p."topicId" = ?', await storedTopicId(scope, filter.topic, topicField));
  return where;
}

export const POSITION_ORDERS: Record<PositionOrder, Ordering> = articleChildOrders('p');

const ARTICLE_OF_POSITION = 'JOIN "Article" a ON a.id = p."articleId"';

/** What a page of positions under a parent brings along: what the parent's page shows beside each position. */
const UNDER = {
  /** A topic board shows who took each position and where. */
  topic: {
    parent: 'p."topicId"',
    select: `${POSITION.list}, ${ACTOR.list}, ${ARTICLE.list}`,
    row: '"Position" p',
    joins: ['JOIN "Actor" c ON c.id = p."actorId"', ARTICLE_OF_POSITION],
    keep: (scope: ReadScope, row: Row, at: number) => {
      scope.known.actor(toActor(row, at + POSITION.width));
      scope.known.article(toArticle(row, at + POSITION.width + ACTOR.width));
    },
  },
  /** An actor's profile shows each position's topic and article. */
  actor: {
    parent: 'p."actorId"',
    select: `${POSITION.list}, ${TOPIC.list}, ${ARTICLE.list}`,
    row: '"Position" p',
    joins: ['JOIN "Topic" t ON t.id = p."topicId"', ARTICLE_OF_POSITION],
    keep: (scope: ReadScope, row: Row, at: number) => {
      scope.known.topic(toTopic(row, at + POSITION.width));
      scope.known.article(toArticle(row, at + POSITION.width + TOPIC.width));
    },
  },
} as const;

/** The filter of a child page of positions, with the names its errors give fields that came from elsewhere. */
export interface PositionPageFilter {
  filter: PositionFilter | null;
  names: FieldNames;
}

/**
 * A page of positions for each topic (a board, often of one stance) or actor, in one statement; the
 * position rows and what the parent's page shows beside them come along.
 */
async function positionPages(
  scope: ReadScope,
  parent: keyof typeof UNDER,
  parentIds: readonly number[],
  page: ChildPage<PositionOrder, PositionPageFilter>,
): Promise<ChildId[]> {
  const under = UNDER[parent];
  const where = await positionWhere(scope, page.filter.filter, page.filter.names);
  const table = { from: '"Position" p', parent: under.parent, id: 'p.id', articleJoin: ARTICLE_OF_POSITION };
  return childPageIds(scope, table, where, POSITION_ORDERS[page.orderBy], parentIds, page, under, (row, at) => {
    scope.known.position(toPosition(row, at));
    under.keep(scope, row, at);
  });
}

export const positionPagesByTopic = (scope: ReadScope, topicIds: readonly number[], page: ChildPage<PositionOrder, PositionPageFilter>) =>
  positionPages(scope, 'topic', topicIds, page);
export const positionPagesByActor = (scope: ReadScope, actorIds: readonly number[], page: ChildPage<PositionOrder, PositionPageFilter>) =>
  positionPages(scope, 'actor', actorIds, page);

/** How many of each topic's or actor's positions meet the filter, in key order. */
async function positionCounts(
  scope: ReadScope,
  parent: keyof typeof UNDER,
  parentIds: readonly number[],
  filter: PositionPageFilter,
): Promise<number[]> {
  const where = await positionWhere(scope, filter.filter, filter.names);
  return childCounts(scope, { from: '"Position" p', parent: UNDER[parent].parent, articleJoin: ARTICLE_OF_POSITION }, where, parentIds);
}

export const positionCountsByTopic = (scope: ReadScope, topicIds: readonly number[], filter: PositionPageFilter) =>
  positionCounts(scope, 'topic', topicIds, filter);
export const positionCountsByActor = (scope: ReadScope, actorIds: readonly number[], filter: PositionPageFilter) =>
  positionCounts(scope, 'actor', actorIds, filter);

export async function listPositions(
  scope: ReadScope,
  args: PageArgs,
  filter: PositionFilter | null | undefined,
  orderBy: PositionOrder,
): Promise<Connection<PositionRow>> {
  const ordering = POSITION_ORDERS[orderBy];
  // Checked before the filter's lookups run.
  orderedPage(args, ordering);
  const where = await positionWhere(scope, filter);
  const table = { from: '"Position" p', columns: POSITION, articleJoin: ARTICLE_OF_POSITION };
  return orderedList(scope, table, where, ordering, args, (row) => toPosition(row));
}
