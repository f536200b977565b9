import type { ActorKind } from '../generated/prisma/enums.js';
import { parseGlobalId } from '../ids.js';
import { nameKey } from '../text/names.js';
import type { ActorRow } from './rows.js';
import { allByIds, columns, groupBy, IDS, nullableNumber, nullableString, preparedRows, type ReadScope, type Row } from './sqlite.js';

/** Everything the API reads of actors: rows by id, by name or alias, aliases, members, mentions. */

export const ACTOR = columns('c', ['id', 'name', 'kind', 'description', 'affiliationId']);

export function toActor(row: Row, at = 0): ActorRow {
  const c = ACTOR.at;
  return {
    id: Number(row[at + c.id]),
    name: String(row[at + c.name]),
    kind: row[at + c.kind] as ActorKind,
    description: nullableString(row[at + c.description]),
    affiliationId: nullableNumber(row[at + c.affiliationId]),
  };
}

/**
 * No stored name, alias or global id is longer than this; a longer reference names no one, and is
 * answered at once rather than folded and decoded (a megabyte name held the event loop 100 ms).
 */
const MAX_REFERENCE_LENGTH = 1_000;

export function actorsByIds(scope: ReadScope, ids: readonly number[]): ActorRow[] {
  return allByIds(scope.sql, `SELECT ${ACTOR.list} FROM Actor c WHERE c.id IN (${IDS})`, ids).map((row) => toActor(row));
}

/**
 * The actor whose canonical name or one of whose aliases is `name`, in one statement; null for no
 * one. Names match on their key (nameKey), as the write path matches them.
 */
export function actorByName(scope: ReadScope, name: string): ActorRow | null {
  if (name.length > MAX_REFERENCE_LENGTH) return null;
  const key = nameKey(name);
  const row = preparedRows(
    scope.sql,
    `SELECT ${ACTOR.list} FROM Actor c WHERE c.nameKey = ?
     UNION ALL SELECT ${ACTOR.list} FROM ActorAlias l JOIN Actor c ON c.id = l.actorId WHERE l.aliasKey = ? LIMIT 1`,
  ).get(key, key) as Row | undefined;
  if (!row) return null;
  const actor = toActor(row);
  scope.known.actor(actor);
  return actor;
}

/** The id of the actor a client names by global id, canonical name or alias; null for no one. */
export function actorIdOf(scope: ReadScope, reference: string): number | null {
  if (reference.length > MAX_REFERENCE_LENGTH) return null;
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Actor') return globalId.id;
  return actorByName(scope, reference)?.id ?? null;
}

/** Each actor's aliases, in the order they were added. */
export function aliasesByActorIds(scope: ReadScope, actorIds: readonly number[]): string[][] {
  const rows = allByIds(scope.sql, `SELECT actorId, alias FROM ActorAlias WHERE actorId IN (${IDS}) ORDER BY id`, actorIds);
  return groupBy(rows, (row) => Number(row[0]), actorIds).map((group) => group.map((row) => String(row[1])));
}

/** The members of each affiliation, by name. */
export function membersByAffiliationIds(scope: ReadScope, affiliationIds: readonly number[]): ActorRow[][] {
  const rows = allByIds(
    scope.sql,
    `SELECT ${ACTOR.list} FROM Actor c WHERE c.affiliationId IN (${IDS}) ORDER BY c.name, c.id`,
    affiliationIds,
  ).map((row) => toActor(row));
  return groupBy(rows, (actor) => actor.affiliationId ?? -1, affiliationIds);
}

/** The actors each article mentions, by name. */
export function actorsByArticleIds(scope: ReadScope, articleIds: readonly number[]): ActorRow[][] {
  const rows = allByIds(
    scope.sql,
    `SELECT m.articleId AS mentionArticleId, ${ACTOR.list} FROM Mention m JOIN Actor c ON c.id = m.actorId
     WHERE m.articleId IN (${IDS}) ORDER BY c.name, c.id`,
    articleIds,
  );
  return groupBy(rows, (row) => Number(row[0]), articleIds).map((group) =>
    group.map((row) => {
      const actor = toActor(row, 1);
      scope.known.actor(actor);
      return actor;
    }),
  );
}
