import type { Prisma } from '../generated/prisma/client.js';
import { writeDialect } from './dialect.js';

/**
 * Rewrites what the full-text index holds of the given actors' aliases from what ActorAlias now
 * holds (ActorSearch, on either database). Every write that adds,
 * moves or removes aliases calls it once, after its alias statements, so an actor's list is
 * tokenized once per write rather than once per alias (a per-row trigger made 10,000 aliases
 * quadratic). Name changes and deleted actors are still kept in step by triggers.
 */
export async function refreshActorSearch(tx: Prisma.TransactionClient, actorIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(actorIds)];
  if (ids.length === 0) return;
  if (writeDialect(tx) === 'postgresql') {
    // The function the Actor trigger calls (prisma/postgres/migrations).
    await tx.$executeRaw`SELECT newsgraph_refresh_actor(id) FROM unnest(CAST(${ids} AS INTEGER[])) AS id`;
    return;
  }
  await tx.$executeRaw`
    UPDATE "ActorSearch"
       SET aliases = coalesce((SELECT group_concat(alias, ' | ') FROM "ActorAlias" WHERE actorId = "ActorSearch".rowid), '')
     WHERE rowid IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}
