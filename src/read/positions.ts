import type { PositionFilter } from '../generated/graphql.js';
import type { Stance } from '../generated/prisma/enums.js';
import { ACTOR, actorIdOf, toActor } from './actors.js';
import { ARTICLE, toArticle } from './articles.js';
import { type Connection, cursorNumber, type PageArgs, pageRequest, toConnection } from './pagination.js';
import type { PositionDetails, PositionRow } from './rows.js';
import {
  allByIds,
  columns,
  countOf,
  Details,
  groupBy,
  IDS,
  nullableNumber,
  preparedRows,
  type ReadScope,
  type Row,
  type SqlReader,
} from './sqlite.js';
import { TOPIC, topicIdOf, toTopic } from './topics.js';

/** Everything the API reads of positions: rows by id, by article, by actor, topic boards, lists. */

export const POSITION = columns('p', ['id', 'actorId', 'topicId', 'articleId', 'stance', 'summary']);

export const positionDetails = (sql: SqlReader) =>
  new Details<PositionDetails>(sql, 'Position', 'quoteId, origin, confidence', (row) => ({
    quoteId: nullableNumber(row[1]),
    origin: row[2] as PositionDetails['origin'],
    confidence: nullableNumber(row[3]),
  }));

class ReadPosition implements PositionRow {
  constructor(
    readonly id: number,
    readonly actorId: number,
    readonly topicId: number,
    readonly articleId: number,
    readonly stance: Stance,
    readonly summary: string,
    private readonly details: Details<PositionDetails>,
  ) {
    details.register(id);
  }

  get quoteId(): number | null {
    return this.details.of(this.id).quoteId;
  }

  get origin(): PositionDetails['origin'] {
    return this.details.of(this.id).origin;
  }

  get confidence(): number | null {
    return this.details.of(this.id).confidence;
  }
}

export function toPosition(scope: ReadScope, row: Row, at = 0): PositionRow {
  const c = POSITION.at;
  return new ReadPosition(
    Number(row[at + c.id]),
    Number(row[at + c.actorId]),
    Number(row[at + c.topicId]),
    Number(row[at + c.articleId]),
    row[at + c.stance] as Stance,
    String(row[at + c.summary]),
    scope.details.position,
  );
}

export function positionsByIds(scope: ReadScope, ids: readonly number[]): PositionRow[] {
  return allByIds(scope.sql, `SELECT ${POSITION.list} FROM Position p WHERE p.id IN (${IDS})`, ids).map((row) => toPosition(scope, row));
}

/** Positions grouped by `p.<parent>`, each with its topic, which nearly every query of positions asks for. */
function positionsWithTopics(scope: ReadScope, parent: 'articleId' | 'actorId', parentIds: readonly number[]): PositionRow[][] {
  const rows = allByIds(
    scope.sql,
    `SELECT ${POSITION.list}, ${TOPIC.list} FROM Position p JOIN Topic t ON t.id = p.topicId WHERE p.${parent} IN (${IDS}) ORDER BY p.id`,
    parentIds,
  ).map((row) => {
    scope.known.topic(toTopic(row, POSITION.width));
    return toPosition(scope, row);
  });
  return groupBy(rows, (position) => position[parent], parentIds);
}

export const positionsByArticleIds = (scope: ReadScope, articleIds: readonly number[]) =>
  positionsWithTopics(scope, 'articleId', articleIds);
export const positionsByActorIds = (scope: ReadScope, actorIds: readonly number[]) => positionsWithTopics(scope, 'actorId', actorIds);

/** One topic board: a topic's positions, optionally of one stance. */
export interface BoardKey {
  topicId: number;
  stance: Stance | null;
}

/**
 * Topic boards, in key order. A board asks for one stance of a popular topic, so the stance is
 * filtered in SQL rather than after loading them all, with one statement text per case so that a
 * stance uses the (topicId, stance) index as an equality. A board shows who took each position and
 * where, so actors and articles come along.
 */
export function positionBoards(scope: ReadScope, keys: readonly BoardKey[]): PositionRow[][] {
  const byStance = new Map<Stance | null, number[]>();
  for (const { topicId, stance } of keys) byStance.set(stance, [...(byStance.get(stance) ?? []), topicId]);
  const found = new Map<string, PositionRow[]>();
  for (const [stance, topicIds] of byStance) {
    const board = `SELECT ${POSITION.list}, ${ACTOR.list}, ${ARTICLE.list}
      FROM Position p JOIN Actor c ON c.id = p.actorId JOIN Article a ON a.id = p.articleId
      WHERE p.topicId IN (${IDS}) ${stance === null ? '' : 'AND p.stance = ?'} ORDER BY p.id`;
    const rows = (stance === null ? allByIds(scope.sql, board, topicIds) : allByIds(scope.sql, board, topicIds, stance)).map((row) => {
      scope.known.actor(toActor(row, POSITION.width));
      scope.known.article(toArticle(scope, row, POSITION.width + ACTOR.width));
      return toPosition(scope, row);
    });
    groupBy(rows, (row) => row.topicId, topicIds).forEach((positions, i) => found.set(`${topicIds[i]}:${stance}`, positions));
  }
  return keys.map(({ topicId, stance }) => found.get(`${topicId}:${stance}`) ?? []);
}

const NO_MATCH = -1;

export function listPositions(scope: ReadScope, args: PageArgs, filter: PositionFilter | null | undefined): Connection<PositionRow> {
  const page = pageRequest(args, 1);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    conditions.push(condition);
    params.push(value);
  };
  if (filter?.stance) add('p.stance = ?', filter.stance);
  if (filter?.actor) add('p.actorId = ?', actorIdOf(scope, filter.actor) ?? NO_MATCH);
  if (filter?.topic) add('p.topicId = ?', topicIdOf(scope, filter.topic) ?? NO_MATCH);
  const where = conditions.length > 0 ? conditions.join(' AND ') : '1 = 1';
  const after = page.after ? cursorNumber(page.after, 0) : 0;
  const rows = preparedRows(scope.sql, `SELECT ${POSITION.list} FROM Position p WHERE ${where} AND p.id > ? ORDER BY p.id LIMIT ?`).all(
    ...params,
    after,
    page.first + 1,
  ) as Row[];
  return toConnection(
    rows.map((row) => toPosition(scope, row)),
    page,
    (p) => [p.id],
    async () => countOf(scope.sql, `SELECT count(*) AS total FROM Position p WHERE ${where}`, params),
  );
}
