import { badUserInput } from '../errors.js';
import type { ActorFilter, ActorOrder } from '../generated/graphql.js';
import type { ActorKind } from '../generated/prisma/enums.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { parseGlobalId } from '../ids.js';
import { nameKey } from '../text/names.js';
import { childCounts, childPageIds, orderedList } from './filtered-page.js';
import type { Ordering } from './order.js';
import type { Connection, PageArgs } from './pagination.js';
import type { ActorRow } from './rows.js';
import { allByIds, columns, firstRow, groupBy, nullableNumber, nullableString, type ReadScope, type Row, Where } from './sql.js';
import type { ChildId, ChildPage } from './store.js';

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

/** How many quotes an actor `c` has, and the publication date of the latest article that quotes it, for the orders by them. */
const QUOTE_COUNT = '(SELECT count(*) FROM "Quote" s WHERE s."speakerId" = c.id)';
const LAST_QUOTED = '(SELECT max(d."publishedAt") FROM "Quote" s JOIN "Article" d ON d.id = s."articleId" WHERE s."speakerId" = c.id)';

const byName = { sql: 'c.name', type: 'text' } as const;
const byId = { sql: 'c.id', type: 'integer' } as const;

/** The orders of actor lists; the same count or date goes by name, then id. */
export const ACTOR_ORDERS: Record<ActorOrder, Ordering> = {
  NAME_ASC: { name: 'NAME_ASC', keys: [byName, byId] },
  NAME_DESC: {
    name: 'NAME_DESC',
    keys: [
      { ...byName, descending: true },
      { ...byId, descending: true },
    ],
  },
  QUOTE_COUNT_DESC: { name: 'QUOTE_COUNT_DESC', keys: [{ sql: QUOTE_COUNT, type: 'integer', descending: true }, byName, byId] },
  QUOTE_COUNT_ASC: { name: 'QUOTE_COUNT_ASC', keys: [{ sql: QUOTE_COUNT, type: 'integer' }, byName, byId] },
  LAST_QUOTED_DESC: {
    name: 'LAST_QUOTED_DESC',
    keys: [{ sql: LAST_QUOTED, type: 'date', descending: true, nullable: true }, byName, byId],
  },
  LAST_QUOTED_ASC: { name: 'LAST_QUOTED_ASC', keys: [{ sql: LAST_QUOTED, type: 'date', nullable: true }, byName, byId] },
};

const MEMBERS = { from: '"Actor" c', parent: 'c."affiliationId"', id: 'c.id' };

/** A page of the members of each affiliation, in one statement. */
export async function memberPagesByAffiliation(
  scope: ReadScope,
  affiliationIds: readonly number[],
  page: ChildPage<ActorOrder>,
): Promise<ChildId[]> {
  return childPageIds(
    scope,
    MEMBERS,
    new Where(),
    ACTOR_ORDERS[page.orderBy],
    affiliationIds,
    page,
    { select: ACTOR.list, row: '"Actor" c', joins: [] },
    (row, at) => scope.known.actor(toActor(row, at)),
  );
}

/** How many members each affiliation has, in key order. */
export const memberCountsByAffiliation = (scope: ReadScope, affiliationIds: readonly number[]) =>
  childCounts(scope, MEMBERS, new Where(), affiliationIds);

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

/** Every actor in the order asked for, optionally of one kind or with text anywhere in its name or an alias. */
export async function listActors(
  scope: ReadScope,
  args: PageArgs,
  filter: ActorFilter | null | undefined,
  orderBy: ActorOrder,
): Promise<Connection<ActorRow>> {
  const { dialect } = scope;
  const where = new Where();
  if (filter?.kind) where.add('c.kind = ?', filter.kind);
  if (filter?.search) {
    // A substring test runs over every name, so its cost is the key's length times the actors.
    if (filter.search.length > INPUT_LIMITS.nameLength) {
      throw badUserInput('filter.search', `is ${filter.search.length} characters long; the limit is ${INPUT_LIMITS.nameLength}`);
    }
    const key = nameKey(filter.search);
    // Not LIKE: the key is literal text, and % or _ in it are characters, not wildcards.
    where.add(
      `(${dialect.contains('c."nameKey"')} OR c.id IN (SELECT "actorId" FROM "ActorAlias" WHERE ${dialect.contains('"aliasKey"')}))`,
      key,
      key,
    );
  }
  return orderedList(scope, { from: '"Actor" c', columns: ACTOR }, where, ACTOR_ORDERS[orderBy], args, (row) => toActor(row));
}
