import { badUserInput } from '../errors.js';
import type { ActorFilter } from '../generated/graphql.js';
import type { ActorKind } from '../generated/prisma/enums.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { parseGlobalId } from '../ids.js';
import { nameKey } from '../text/names.js';
import { type Connection, type PageArgs, pageRequest, toConnection } from './pagination.js';
import type { ActorRow } from './rows.js';
import {
  afterNameAndId,
  allByIds,
  columns,
  countOf,
  firstRow,
  groupBy,
  nullableNumber,
  nullableString,
  type ReadScope,
  type Row,
} from './sql.js';

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

export async function actorsByIds(scope: ReadScope, ids: readonly number[]): Promise<ActorRow[]> {
  const rows = await allByIds(scope, `SELECT ${ACTOR.list} FROM "Actor" c WHERE ${scope.dialect.inIds('c.id')}`, ids);
  return rows.map((row) => toActor(row));
}

/**
 * The actor whose canonical name or one of whose aliases is `name`, in one statement; null for no
 * one. Names match on their key (nameKey), as the write path matches them.
 */
export async function actorByName(scope: ReadScope, name: string): Promise<ActorRow | null> {
  if (name.length > MAX_REFERENCE_LENGTH) return null;
  const key = nameKey(name);
  const row = await firstRow(
    scope,
    `SELECT ${ACTOR.list} FROM "Actor" c WHERE c."nameKey" = ?
     UNION ALL SELECT ${ACTOR.list} FROM "ActorAlias" l JOIN "Actor" c ON c.id = l."actorId" WHERE l."aliasKey" = ? LIMIT 1`,
    [key, key],
  );
  if (!row) return null;
  const actor = toActor(row);
  scope.known.actor(actor);
  return actor;
}

/** The id of the actor a client names by global id, canonical name or alias; null for no one. */
export async function actorIdOf(scope: ReadScope, reference: string): Promise<number | null> {
  if (reference.length > MAX_REFERENCE_LENGTH) return null;
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Actor') return globalId.id;
  return (await actorByName(scope, reference))?.id ?? null;
}

/** Each actor's aliases, in the order they were added. */
export async function aliasesByActorIds(scope: ReadScope, actorIds: readonly number[]): Promise<string[][]> {
  const text = `SELECT "actorId", alias FROM "ActorAlias" WHERE ${scope.dialect.inIds('"actorId"')} ORDER BY id`;
  const rows = await allByIds(scope, text, actorIds);
  return groupBy(rows, (row) => Number(row[0]), actorIds).map((group) => group.map((row) => String(row[1])));
}

/** The members of each affiliation, by name. */
export async function membersByAffiliationIds(scope: ReadScope, affiliationIds: readonly number[]): Promise<ActorRow[][]> {
  const text = `SELECT ${ACTOR.list} FROM "Actor" c WHERE ${scope.dialect.inIds('c."affiliationId"')} ORDER BY c.name, c.id`;
  const rows = (await allByIds(scope, text, affiliationIds)).map((row) => toActor(row));
  return groupBy(rows, (actor) => actor.affiliationId ?? -1, affiliationIds);
}

/** The actors each article mentions, by name. */
export async function actorsByArticleIds(scope: ReadScope, articleIds: readonly number[]): Promise<ActorRow[][]> {
  const rows = await allByIds(
    scope,
    `SELECT m."articleId", ${ACTOR.list} FROM "Mention" m JOIN "Actor" c ON c.id = m."actorId"
     WHERE ${scope.dialect.inIds('m."articleId"')} ORDER BY c.name, c.id`,
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

/** Every actor, by name, optionally of one kind or with text anywhere in its name or an alias. */
export async function listActors(scope: ReadScope, args: PageArgs, filter: ActorFilter | null | undefined): Promise<Connection<ActorRow>> {
  const page = pageRequest(args, 2);
  const { dialect } = scope;
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter?.kind) {
    conditions.push('c.kind = ?');
    params.push(filter.kind);
  }
  if (filter?.search) {
    // A substring test runs over every name, so its cost is the key's length times the actors.
    if (filter.search.length > INPUT_LIMITS.nameLength) {
      throw badUserInput('filter.search', `is ${filter.search.length} characters long; the limit is ${INPUT_LIMITS.nameLength}`);
    }
    const key = nameKey(filter.search);
    // Not LIKE: the key is literal text, and % or _ in it are characters, not wildcards.
    conditions.push(
      `(${dialect.contains('c."nameKey"')} OR c.id IN (SELECT "actorId" FROM "ActorAlias" WHERE ${dialect.contains('"aliasKey"')}))`,
    );
    params.push(key, key);
  }
  const where = conditions.length > 0 ? conditions.join(' AND ') : '1 = 1';
  const { seek, params: seekParams } = afterNameAndId('c', page.after);
  const rows = await scope.db.rows(`SELECT ${ACTOR.list} FROM "Actor" c WHERE ${where} AND ${seek} ORDER BY c.name, c.id LIMIT ?`, [
    ...params,
    ...seekParams,
    page.first + 1,
  ]);
  return toConnection(
    rows.map((row) => toActor(row)),
    page,
    (a) => [a.name, a.id],
    () => countOf(scope, `SELECT count(*) AS total FROM "Actor" c WHERE ${where}`, params),
  );
}
