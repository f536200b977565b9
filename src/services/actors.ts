import type { Db } from '../db.js';
import type { Actor, ActorAlias, Prisma } from '../generated/prisma/client.js';

export type StoredActor = Actor & { aliases: ActorAlias[] };

/** Names per lookup query: well inside the bound-parameter limit Prisma enforces for SQLite. */
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
 * aliases. One query per few hundred names, however many an article or a batch uses.
 */
export async function findActorsByKeys(db: Db | Prisma.TransactionClient, keys: string[]): Promise<Map<string, StoredActor>> {
  const unique = [...new Set(keys)];
  const found = new Map<string, StoredActor>();
  for (let start = 0; start < unique.length; start += KEYS_PER_QUERY) {
    const batch = unique.slice(start, start + KEYS_PER_QUERY);
    const actors = await db.actor.findMany({ where: namedBy(batch), include: { aliases: true } });
    for (const actor of actors) {
      found.set(actor.nameKey, actor);
      for (const alias of actor.aliases) found.set(alias.aliasKey, actor);
    }
  }
  return found;
}
