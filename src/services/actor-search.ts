import type { Prisma } from '../generated/prisma/client.js';

/**
 * Rewrites the alias column of ActorSearch for the given actors from what ActorAlias now holds.
 * Every write that adds, moves or removes aliases calls it once, after its alias statements, so an
 * actor's list is tokenized once per write rather than once per alias (a per-row trigger made
 * 10,000 aliases quadratic). Name changes and deleted actors are still kept in step by triggers.
 */
export async function refreshActorSearch(tx: Prisma.TransactionClient, actorIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(actorIds)];
  if (ids.length === 0) return;
  await tx.$executeRaw`
    UPDATE "ActorSearch"
       SET aliases = coalesce((SELECT group_concat(alias, ' | ') FROM "ActorAlias" WHERE actorId = "ActorSearch".rowid), '')
     WHERE rowid IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}
