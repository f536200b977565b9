import type { Db } from '../db.js';
import type { ActorRow } from '../read/rows.js';
import { badUserInput, conflict } from '../errors.js';
import type { ActorAliasInput, ActorInput } from '../generated/graphql.js';
import type { Prisma } from '../generated/prisma/client.js';
import { refreshActorSearch } from './actor-search.js';
import { findActorsByKeys } from './actors.js';
import { draftActor, nameRef } from './article-input.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { assertNoAffiliationCycle, declareActors, idOf, loadActors, Registry, tooManyAliases, writeActorsAndTopics } from './articles.js';
import { existingId } from './lookups.js';
import { inTransaction } from './transaction.js';

/**
 * Creates an actor, or updates the stored one of that canonical name. A name that is only an alias
 * of a stored actor may add aliases to it, but changing it needs its canonical name: "Xi" with
 * another kind must not silently turn Xi Jinping into an organisation.
 */
export async function upsertActor(
  db: Db,
  input: ActorInput,
  field = 'input',
): Promise<{ actor: ActorRow; created: boolean; changed: boolean }> {
  const draft = draftActor(input, field);
  return inTransaction(db, async (tx) => {
    const registry = new Registry();
    await loadActors(tx, registry, [draft], []);
    const [resolution] = declareActors(registry, [draft], [], { update: true }).resolutions;
    if (!resolution) throw new Error('declareActors returned no entry for one actor');
    const { entry } = resolution;
    if (resolution.keptAsStored.length > 0) {
      throw conflict(
        `${field}.name`,
        `"${draft.name.text}" is an alias of the stored actor "${entry.name}", whose ${resolution.keptAsStored.map((field) => field.toLowerCase()).join(' and ')} it would change: name it by its canonical name "${entry.name}" to change it`,
      );
    }
    const created = entry.isNew;
    const changed = created || entry.changed || entry.newAliases.length > 0 || entry.newAffiliation !== null;
    for (const check of await writeActorsAndTopics(tx, registry))
      await assertNoAffiliationCycle(tx, check.actor, check.affiliation, check.ref);
    return { actor: await tx.actor.findUniqueOrThrow({ where: { id: idOf(entry) } }), created, changed };
  });
}

/** Adds an alias; an alias that already names this actor changes nothing. */
export async function addActorAlias(db: Db, input: ActorAliasInput): Promise<ActorRow> {
  const alias = nameRef('input.alias', input.alias);
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Actor', input.actor, 'input.actor');
    const owner = (await findActorsByKeys(tx, [alias.key])).get(alias.key);
    if (owner && owner.id !== id) throw badUserInput('input.alias', `"${alias.text}" already names the actor "${owner.name}"`);
    if (!owner) {
      if ((await tx.actorAlias.count({ where: { actorId: id } })) >= INPUT_LIMITS.aliasesPerActor) {
        const actor = await tx.actor.findUniqueOrThrow({ where: { id }, select: { name: true } });
        throw tooManyAliases('input.alias', actor.name);
      }
      await tx.actorAlias.create({ data: { actorId: id, alias: alias.text, aliasKey: alias.key } });
      await refreshActorSearch(tx, [id]);
    }
    return tx.actor.findUniqueOrThrow({ where: { id } });
  });
}

export async function removeActorAlias(db: Db, input: ActorAliasInput): Promise<ActorRow> {
  const alias = nameRef('input.alias', input.alias);
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Actor', input.actor, 'input.actor');
    const actor = await tx.actor.findUniqueOrThrow({ where: { id }, include: { aliases: true } });
    const stored = actor.aliases.find((a) => a.aliasKey === alias.key);
    if (!stored) {
      throw badUserInput(
        'input.alias',
        actor.nameKey === alias.key
          ? `"${alias.text}" is the canonical name of "${actor.name}", not an alias`
          : `"${alias.text}" is not an alias of "${actor.name}"`,
      );
    }
    await tx.actorAlias.delete({ where: { id: stored.id } });
    await refreshActorSearch(tx, [id]);
    return actor;
  });
}

/**
 * Folds the source actor into the target: its quotes, positions, mentions, members and aliases
 * move over, its name becomes one of the target's aliases, and the source is deleted. This is how
 * "Xi" and "Xi Jinping" stored as two people become one.
 */
export async function mergeActors(db: Db, sourceGlobalId: string, targetGlobalId: string): Promise<{ actor: ActorRow; removedId: number }> {
  return inTransaction(db, async (tx) => {
    const sourceId = await existingId(tx, 'Actor', sourceGlobalId, 'sourceId');
    const targetId = await existingId(tx, 'Actor', targetGlobalId, 'targetId');
    if (sourceId === targetId) throw badUserInput('targetId', 'is the same actor as sourceId; an actor cannot be merged into itself');
    const source = await tx.actor.findUniqueOrThrow({ where: { id: sourceId } });
    const target = await tx.actor.findUniqueOrThrow({ where: { id: targetId } });
    await assertMoveKeepsAffiliationsAcyclic(tx, source, target, 'sourceId', `merging "${source.name}" into "${target.name}"`);
    // The source's aliases and its name join the target's.
    const aliases = await tx.actorAlias.count({ where: { actorId: { in: [sourceId, targetId] } } });
    if (aliases + 1 > INPUT_LIMITS.aliasesPerActor) throw tooManyAliases('sourceId', target.name);

    await moveActorReferences(tx, sourceId, targetId);
    await tx.actorAlias.updateMany({ where: { actorId: sourceId }, data: { actorId: targetId } });
    await tx.actor.delete({ where: { id: sourceId } });
    await tx.actorAlias.create({ data: { actorId: targetId, alias: source.name, aliasKey: source.nameKey } });
    await refreshActorSearch(tx, [targetId]);

    // The target inherits what it lacks, unless that would make it its own affiliate.
    let affiliationId = target.affiliationId === sourceId ? null : target.affiliationId;
    if (affiliationId === null && source.affiliationId !== null && source.affiliationId !== targetId) {
      const cycle = await tx.$queryRaw<{ id: number }[]>`
        WITH RECURSIVE chain(id) AS (
          SELECT CAST(${source.affiliationId} AS INTEGER)
          UNION SELECT a."affiliationId" FROM "Actor" a JOIN chain ON a.id = chain.id WHERE a."affiliationId" IS NOT NULL
        )
        SELECT id FROM chain WHERE id = ${targetId} LIMIT 1`;
      if (cycle.length === 0) affiliationId = source.affiliationId;
    }
    const actor = await tx.actor.update({
      where: { id: targetId },
      data: { affiliationId, description: target.description ?? source.description },
    });
    return { actor, removedId: sourceId };
  });
}

/** Points the source's quotes, positions, mentions and members at the target (mergeActors, deleteActor). */
async function moveActorReferences(tx: Prisma.TransactionClient, sourceId: number, targetId: number): Promise<void> {
  await tx.quote.updateMany({ where: { speakerId: sourceId }, data: { speakerId: targetId } });
  await tx.position.updateMany({ where: { actorId: sourceId }, data: { actorId: targetId } });
  // An article that mentions both keeps a single mention of the target.
  await tx.$executeRaw`INSERT INTO "Mention" ("articleId", "actorId") SELECT "articleId", CAST(${targetId} AS INTEGER) FROM "Mention" WHERE "actorId" = ${sourceId} ON CONFLICT DO NOTHING`;
  await tx.mention.deleteMany({ where: { actorId: sourceId } });
  await tx.actor.updateMany({ where: { affiliationId: sourceId, id: { not: targetId } }, data: { affiliationId: targetId } });
}

/**
 * The source's affiliates become the target's, so if the target's affiliation chain climbs through
 * one of them to the source, the move would close a loop (C affiliated with A, B with C: merging A
 * into B leaves B and C affiliated with each other). The target's direct affiliation to the source
 * is simply dropped by the move, so that case is no loop. `action` says what would make the loop.
 */
async function assertMoveKeepsAffiliationsAcyclic(
  tx: Prisma.TransactionClient,
  source: ActorRow,
  target: ActorRow,
  field: string,
  action: string,
): Promise<void> {
  if (target.affiliationId === null) return;
  const chain = await tx.$queryRaw<{ id: number; name: string }[]>`
    WITH RECURSIVE chain(id, depth) AS (
      SELECT CAST(${target.affiliationId} AS INTEGER), 1
      UNION SELECT a."affiliationId", chain.depth + 1 FROM "Actor" a JOIN chain ON a.id = chain.id WHERE a."affiliationId" IS NOT NULL
    )
    SELECT c.id, c.name FROM chain JOIN "Actor" c ON c.id = chain.id ORDER BY chain.depth`;
  const at = chain.findIndex((link) => Number(link.id) === source.id);
  const affiliate = chain[at - 1];
  if (at < 1 || !affiliate) return;
  throw badUserInput(
    field,
    `${action} would make an affiliation cycle: "${affiliate.name}" is affiliated with "${source.name}" and "${target.name}", directly or not, with "${affiliate.name}"; change one of these affiliations first`,
  );
}

/**
 * Deletes an actor. Quotes and positions must not lose their speaker or actor silently, so while
 * any point to it the delete is refused unless `reassignTo` names who takes them over; then they,
 * its mentions and its members move as mergeActors moves them, but its name and aliases go with it.
 * Without quotes or positions, its mentions and aliases are deleted and its members lose their
 * affiliation (the foreign keys' cascades).
 */
export async function deleteActor(
  db: Db,
  globalId: string,
  reassignTo: string | null | undefined,
): Promise<{ deletedId: number; reassignedTo: ActorRow | null }> {
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Actor', globalId, 'id');
    const actor = await tx.actor.findUniqueOrThrow({ where: { id } });
    if (reassignTo == null) {
      const quotes = await tx.quote.count({ where: { speakerId: id } });
      const positions = await tx.position.count({ where: { actorId: id } });
      if (quotes + positions > 0) {
        const what = [plural(quotes, 'quote'), plural(positions, 'position')].filter((part) => !part.startsWith('0 ')).join(' and ');
        throw conflict(
          'reassignTo',
          `is needed: ${what} point to "${actor.name}"; give the global id of the actor to move them to, or delete them first`,
        );
      }
      await tx.actor.delete({ where: { id } });
      return { deletedId: id, reassignedTo: null };
    }
    const targetId = await existingId(tx, 'Actor', reassignTo, 'reassignTo');
    if (targetId === id) throw badUserInput('reassignTo', 'is the actor being deleted; give another actor to take over');
    const target = await tx.actor.findUniqueOrThrow({ where: { id: targetId } });
    await assertMoveKeepsAffiliationsAcyclic(
      tx,
      actor,
      target,
      'reassignTo',
      `"${target.name}" taking over the members of "${actor.name}"`,
    );
    await moveActorReferences(tx, id, targetId);
    await tx.actor.delete({ where: { id } });
    return { deletedId: id, reassignedTo: await tx.actor.findUniqueOrThrow({ where: { id: targetId } }) };
  });
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
