import type { ActorRow, Db } from '../db.js';
import { badUserInput } from '../errors.js';
import type { ActorAliasInput, ActorInput } from '../generated/graphql.js';
import type { Prisma } from '../generated/prisma/client.js';
import { findActorsByKeys, type StoredActor } from './actors.js';
import { type ActorDraft, draftActor, type NameRef, nameRef } from './article-input.js';
import { existingId } from './lookups.js';
import { inTransaction } from './transaction.js';

type Tx = Prisma.TransactionClient;

export interface ActorPlan {
  /** Stored actors by every name key the input uses that names one. */
  stored: Map<string, StoredActor>;
  /** For each declared actor, the stored actor it is, if any. */
  matches: (StoredActor | null)[];
}

/**
 * Resolves every actor reference in the draft against the declared actors and the stored ones,
 * and rejects references to no one and declarations that would steal another actor's alias.
 */
export async function planActors(tx: Tx, actors: ActorDraft[], references: NameRef[]): Promise<ActorPlan> {
  const refs: NameRef[] = [...references];
  for (const actor of actors) {
    refs.push(actor.name, ...actor.aliases);
    if (actor.affiliation) refs.push(actor.affiliation);
  }
  const stored = await findActorsByKeys(
    tx,
    refs.map((r) => r.key),
  );

  const matches = actors.map((actor) => {
    let match: StoredActor | null = null;
    for (const ref of [actor.name, ...actor.aliases]) {
      const found = stored.get(ref.key);
      if (!found) continue;
      if (match && match.id !== found.id) {
        throw badUserInput(
          ref.field,
          `"${ref.text}" already names the stored actor "${found.name}", but ${actor.name.field} "${actor.name.text}" is "${match.name}"`,
        );
      }
      match = found;
    }
    return match;
  });

  const declared = new Map<string, number>();
  actors.forEach((actor, i) => {
    for (const ref of [actor.name, ...actor.aliases]) declared.set(ref.key, i);
  });
  const known = (ref: NameRef) => declared.has(ref.key) || stored.has(ref.key);
  const unknown = (ref: NameRef) => badUserInput(ref.field, `"${ref.text}" is not a known actor; declare it in input.actors`);
  actors.forEach((actor, i) => {
    if (!actor.affiliation) return;
    if (!known(actor.affiliation)) throw unknown(actor.affiliation);
    const target = declared.get(actor.affiliation.key);
    const self = target === i || (target === undefined && stored.get(actor.affiliation.key)?.id === matches[i]?.id);
    if (self)
      throw badUserInput(
        actor.affiliation.field,
        `"${actor.affiliation.text}" is the actor itself; an actor cannot be affiliated with itself`,
      );
  });
  for (const ref of references) if (!known(ref)) throw unknown(ref);
  return { stored, matches };
}

/**
 * Creates the declared actors that are new and updates the ones already stored (the fields given
 * win; aliases accumulate), then links affiliations once every actor has an id. Returns actor ids
 * by every name key the declarations use.
 */
export async function writeActors(tx: Tx, actors: ActorDraft[], plan: ActorPlan): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const actorIds: number[] = [];
  for (const [i, actor] of actors.entries()) {
    const match = plan.matches[i] ?? null;
    const fields = { kind: actor.kind, ...(actor.description !== null ? { description: actor.description } : {}) };
    const id = match
      ? (await tx.actor.update({ where: { id: match.id }, data: fields, select: { id: true } })).id
      : (await tx.actor.create({ data: { name: actor.name.text, nameKey: actor.name.key, ...fields }, select: { id: true } })).id;
    actorIds.push(id);
    // A stored actor found through an alias keeps its canonical name; the declared name becomes an alias.
    const storedKeys = new Set(match ? [match.nameKey, ...match.aliases.map((a) => a.aliasKey)] : [actor.name.key]);
    const newAliases = [actor.name, ...actor.aliases].filter((ref) => !storedKeys.has(ref.key));
    if (newAliases.length > 0) {
      await tx.actorAlias.createMany({ data: newAliases.map((ref) => ({ actorId: id, alias: ref.text, aliasKey: ref.key })) });
    }
    for (const ref of [actor.name, ...actor.aliases]) ids.set(ref.key, id);
  }
  for (const [i, actor] of actors.entries()) {
    if (!actor.affiliation) continue;
    const affiliationId = ids.get(actor.affiliation.key) ?? plan.stored.get(actor.affiliation.key)?.id;
    const id = actorIds[i];
    if (affiliationId === undefined || id === undefined) throw new Error(`unresolved affiliation ${actor.affiliation.field}`);
    await assertNoAffiliationCycle(tx, id, affiliationId, actor.affiliation);
    await tx.actor.update({ where: { id }, data: { affiliationId }, select: { id: true } });
  }
  return ids;
}

/** Walks up from the new affiliation; reaching the actor itself would make a cycle. */
async function assertNoAffiliationCycle(tx: Tx, actorId: number, affiliationId: number, ref: NameRef): Promise<void> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    WITH RECURSIVE chain(id) AS (
      SELECT ${affiliationId}
      UNION SELECT a.affiliationId FROM Actor a JOIN chain ON a.id = chain.id WHERE a.affiliationId IS NOT NULL
    )
    SELECT id FROM chain WHERE id = ${actorId} LIMIT 1`;
  if (rows.length > 0) {
    throw badUserInput(
      ref.field,
      `"${ref.text}" would make an affiliation cycle: it is already affiliated, directly or not, with this actor`,
    );
  }
}

/** Creates an actor, or updates the stored one its name or an alias names. */
export async function upsertActor(db: Db, input: ActorInput): Promise<{ actor: ActorRow; created: boolean }> {
  const draft = draftActor(input, 'input');
  return inTransaction(db, async (tx) => {
    const plan = await planActors(tx, [draft], []);
    const ids = await writeActors(tx, [draft], plan);
    const actor = await tx.actor.findUniqueOrThrow({ where: { id: ids.get(draft.name.key) ?? 0 } });
    return { actor, created: plan.matches[0] === null };
  });
}

/** Adds an alias; an alias that already names this actor changes nothing. */
export async function addActorAlias(db: Db, input: ActorAliasInput): Promise<ActorRow> {
  const alias = nameRef('input.alias', input.alias);
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Actor', input.actor, 'input.actor');
    const owner = (await findActorsByKeys(tx, [alias.key])).get(alias.key);
    if (owner && owner.id !== id) throw badUserInput('input.alias', `"${alias.text}" already names the actor "${owner.name}"`);
    if (!owner) await tx.actorAlias.create({ data: { actorId: id, alias: alias.text, aliasKey: alias.key } });
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

    await tx.quote.updateMany({ where: { speakerId: sourceId }, data: { speakerId: targetId } });
    await tx.position.updateMany({ where: { actorId: sourceId }, data: { actorId: targetId } });
    // An article that mentions both keeps a single mention of the target.
    await tx.$executeRaw`INSERT OR IGNORE INTO Mention (articleId, actorId) SELECT articleId, ${targetId} FROM Mention WHERE actorId = ${sourceId}`;
    await tx.mention.deleteMany({ where: { actorId: sourceId } });
    await tx.actor.updateMany({ where: { affiliationId: sourceId, id: { not: targetId } }, data: { affiliationId: targetId } });
    await tx.actorAlias.updateMany({ where: { actorId: sourceId }, data: { actorId: targetId } });
    await tx.actor.delete({ where: { id: sourceId } });
    await tx.actorAlias.create({ data: { actorId: targetId, alias: source.name, aliasKey: source.nameKey } });

    // The target inherits what it lacks, unless that would make it its own affiliate.
    let affiliationId = target.affiliationId === sourceId ? null : target.affiliationId;
    if (affiliationId === null && source.affiliationId !== null && source.affiliationId !== targetId) {
      const cycle = await tx.$queryRaw<{ id: number }[]>`
        WITH RECURSIVE chain(id) AS (
          SELECT ${source.affiliationId}
          UNION SELECT a.affiliationId FROM Actor a JOIN chain ON a.id = chain.id WHERE a.affiliationId IS NOT NULL
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
