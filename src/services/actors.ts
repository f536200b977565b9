import type { Db } from '../db.js';
import type { Actor, ActorAlias, Prisma } from '../generated/prisma/client.js';
import { parseGlobalId } from '../ids.js';
import type { ActorRow } from '../read/rows.js';
import type { Loaders } from '../loaders.js';
import { ACTOR_COLUMNS, preparedRows, type Row, type SqlReader, toActor } from '../read-model.js';
import { nameKey } from '../text/names.js';

export type StoredActor = Actor & { aliases: ActorAlias[] };

/** Names per lookup query: well inside the bound-parameter limit Prisma enforces for SQLite. */
const KEYS_PER_QUERY = 400;

/**
 * Stored actors by name key, for every key that is an actor's canonical name or one of its
 * aliases. One query per few hundred names, however many an article or a batch uses.
 */
export async function findActorsByKeys(db: Db | Prisma.TransactionClient, keys: string[]): Promise<Map<string, StoredActor>> {
  const unique = [...new Set(keys)];
  const found = new Map<string, StoredActor>();
  for (let start = 0; start < unique.length; start += KEYS_PER_QUERY) {
    const batch = unique.slice(start, start + KEYS_PER_QUERY);
    const actors = await db.actor.findMany({
      where: { OR: [{ nameKey: { in: batch } }, { aliases: { some: { aliasKey: { in: batch } } } }] },
      include: { aliases: true },
    });
    for (const actor of actors) {
      found.set(actor.nameKey, actor);
      for (const alias of actor.aliases) found.set(alias.aliasKey, actor);
    }
  }
  return found;
}

/** The actor whose canonical name or one of whose aliases is `name`; null for no one. */
function actorNamed(sql: SqlReader, name: string): ActorRow | null {
  const key = nameKey(name);
  const row = preparedRows(
    sql,
    `SELECT ${ACTOR_COLUMNS} FROM Actor c WHERE c.nameKey = ?
     UNION ALL SELECT ${ACTOR_COLUMNS} FROM ActorAlias l JOIN Actor c ON c.id = l.actorId WHERE l.aliasKey = ? LIMIT 1`,
  ).get(key, key) as Row | undefined;
  return row ? toActor(row) : null;
}

/** The id of the actor a client names by global id, canonical name or alias; null for no one. */
/**
 * No stored name, alias or global id is longer than this; a longer reference names no one, and is
 * answered at once rather than folded and decoded (a megabyte name held the event loop 100 ms).
 */
const MAX_REFERENCE_LENGTH = 1_000;

export function findActorId(sql: SqlReader, reference: string): number | null {
  if (reference.length > MAX_REFERENCE_LENGTH) return null;
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Actor') return globalId.id;
  return actorNamed(sql, reference)?.id ?? null;
}

/** The actor a client names by global id, canonical name or alias, in one statement; null for no one. */
export function findActor(sql: SqlReader, loaders: Loaders, reference: string): ActorRow | null | Promise<ActorRow | null> {
  if (reference.length > MAX_REFERENCE_LENGTH) return null;
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Actor') return loaders.actorById.get(globalId.id);
  const actor = actorNamed(sql, reference);
  if (actor) loaders.actorById.add(actor);
  return actor;
}
