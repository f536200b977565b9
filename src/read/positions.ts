import type { PositionFilter } from '../generated/graphql.js';
import type { Origin, Stance } from '../generated/prisma/enums.js';
import { ACTOR, actorIdOf, toActor } from './actors.js';
import { ARTICLE, toArticle } from './articles.js';
import { type Conditions, filteredIdPage } from './filtered-page.js';
import { type Connection, type PageArgs } from './pagination.js';
import type { PositionDetails, PositionRow } from './rows.js';
import type { BoardKey } from './store.js';
import { allByIds, columns, groupBy, inKeyOrder, nullableNumber, type ReadScope, type Row } from './sql.js';
import { TOPIC, topicIdOf, toTopic } from './topics.js';

/** Everything the API reads of positions: rows by id, by article, by actor, topic boards, lists. */

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

/** Positions grouped by `p.<parent>`, each with its topic, which nearly every query of positions asks for. */
async function positionsWithTopics(
  scope: ReadScope,
  parent: 'articleId' | 'actorId',
  parentIds: readonly number[],
): Promise<PositionRow[][]> {
  const text = `SELECT ${POSITION.list}, ${TOPIC.list} FROM "Position" p JOIN "Topic" t ON t.id = p."topicId"
    WHERE ${scope.dialect.inIds(`p."${parent}"`)} ORDER BY p.id`;
  const rows = (await allByIds(scope, text, parentIds)).map((row) => {
    scope.known.topic(toTopic(row, POSITION.width));
    return toPosition(row);
  });
  return groupBy(rows, (position) => position[parent], parentIds);
}

export const positionsByArticleIds = (scope: ReadScope, articleIds: readonly number[]) =>
  positionsWithTopics(scope, 'articleId', articleIds);
export const positionsByActorIds = (scope: ReadScope, actorIds: readonly number[]) => positionsWithTopics(scope, 'actorId', actorIds);

/**
 * Topic boards, in key order. A board asks for one stance of a popular topic, so the stance is
 * filtered in SQL rather than after loading them all, with one statement text per case so that a
 * stance uses the (topicId, stance) index as an equality. A board shows who took each position and
 * where, so actors and articles come along.
 */
export async function positionBoards(scope: ReadScope, keys: readonly BoardKey[]): Promise<PositionRow[][]> {
  const byStance = new Map<Stance | null, number[]>();
  for (const { topicId, stance } of keys) byStance.set(stance, [...(byStance.get(stance) ?? []), topicId]);
  const found = new Map<string, PositionRow[]>();
  for (const [stance, topicIds] of byStance) {
    const board = `SELECT ${POSITION.list}, ${ACTOR.list}, ${ARTICLE.list}
      FROM "Position" p JOIN "Actor" c ON c.id = p."actorId" JOIN "Article" a ON a.id = p."articleId"
      WHERE ${scope.dialect.inIds('p."topicId"')} ${stance === null ? '' : 'AND p.stance = ?'} ORDER BY p.id`;
    const read = await (stance === null ? allByIds(scope, board, topicIds) : allByIds(scope, board, topicIds, stance));
    const rows = read.map((row) => {
      scope.known.actor(toActor(row, POSITION.width));
      scope.known.article(toArticle(row, POSITION.width + ACTOR.width));
      return toPosition(row);
    });
    groupBy(rows, (row) => row.topicId, topicIds).forEach((positions, i) => found.set(`${topicIds[i]}:${stance}`, positions));
  }
  return keys.map(({ topicId, stance }) => found.get(`${topicId}:${stance}`) ?? []);
}

const NO_MATCH = -1;

export async function listPositions(
  scope: ReadScope,
  args: PageArgs,
  filter: PositionFilter | null | undefined,
): Promise<Connection<PositionRow>> {
  const conditions: Conditions = [];
  if (filter?.stance) conditions.push(['p.stance = ?', filter.stance]);
  if (filter?.actor) conditions.push(['p."actorId" = ?', (await actorIdOf(scope, filter.actor)) ?? NO_MATCH]);
  if (filter?.topic) conditions.push(['p."topicId" = ?', (await topicIdOf(scope, filter.topic)) ?? NO_MATCH]);
  return filteredIdPage(scope, { from: 'Position', alias: 'p', list: POSITION.list }, conditions, args, (row) => toPosition(row));
}
