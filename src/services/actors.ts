import type { Db } from '../db.js';
import { Prisma } from '../generated/prisma/client.js';
import type { ActorKind } from '../generated/prisma/enums.js';

/** A stored actor as the write path matches declarations against it: its row and its names. */
export interface StoredActor {
  id: number;
  name: string;
  nameKey: string;
  kind: ActorKind;
  description: string | null;
  affiliationId: number | null;
  aliases: { alias: string; aliasKey: string }[];
}

/** Names per lookup statement (each is bound twice): well inside either database's bound-parameter limit. */
const KEYS_PER_QUERY = 400;

/**
 * Actors whose canonical name or one of whose aliases has one of these keys (nameKey): the write
 * path's form of the read store's actorByName (src/read/actors.ts), run inside its transaction.
 */
export function namedBy(keys: string[]): Prisma.ActorWhereInput {
  return { OR: [{ nameKey: { in: keys } }, { aliases: { some: { aliasKey: { in: keys } } } }] };
}

/**
 * Stored actors by name key, for every key that is an actor's canonical name or one of its
 * aliases: two statements per few hundred names, however many an article or a batch uses. Plain
 * SQL rather than Prisma's findMany: compiling a findMany over 400 names with its relation took
 * Prisma's query compiler longer than SQLite took to answer (a third of an import's time).
 */
export async function findActorsByKeys(db: Db | Prisma.TransactionClient, keys: string[]): Promise<Map<string, StoredActor>> {
  const unique = [...new Set(keys)];
  const found = new Map<string, StoredActor>();
  for (let start = 0; start < unique.length; start += KEYS_PER_QUERY) {
    const batch = Prisma.join(unique.slice(start, start + KEYS_PER_QUERY));
    const actors = await db.$queryRaw<Omit<StoredActor, 'aliases'>[]>`
      SELECT "id", "name", "nameKey", "kind", "description", "affiliationId" FROM "Actor"
       WHERE "nameKey" IN (${batch}) OR "id" IN (SELECT "actorId" FROM "ActorAlias" WHERE "aliasKey" IN (${batch}))`;
    if (actors.length === 0) continue;
    const byId = new Map(actors.map((actor): [number, StoredActor] => [actor.id, { ...actor, aliases: [] }]));
    const aliases = await db.$queryRaw<{ actorId: number; alias: string; aliasKey: string }[]>`
      SELECT "actorId", "alias", "aliasKey" FROM "ActorAlias" WHERE "actorId" IN (${Prisma.join([...byId.keys()])}) ORDER BY "id"`;
    for (const { actorId, alias, aliasKey } of aliases) byId.get(actorId)?.aliases.push({ alias, aliasKey });
    for (const actor of byId.values()) {
      found.set(actor.nameKey, actor);
      for (const alias of actor.aliases) found.set(alias.aliasKey, actor);
    }
  }
  return found;
}
