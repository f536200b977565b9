import { createHash } from 'node:crypto';
import type { Db } from '../db.js';
import { badUserInput, conflict } from '../errors.js';
import type { AddArticleInput } from '../generated/graphql.js';
import { type Article, Prisma } from '../generated/prisma/client.js';
import { GraphQLError } from 'graphql';
import type { ActorKind } from '../generated/prisma/enums.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { refreshActorSearch } from './actor-search.js';
import { findActorsByKeys } from './actors.js';
import { type ActorDraft, type ArticleDraft, draftArticle, type NameRef } from './article-input.js';
import { draftWithExtraction } from './extraction.js';
import { slugify } from '../text/names.js';
import { assertCount } from './text.js';
import { inTransaction } from './transaction.js';

type Tx = Prisma.TransactionClient;
/** An article as the write path reads it back: with the digest of its last input, the body when it was selected. */
type StoredArticle = Omit<Article, 'body' | 'inputDigest'> & { body?: string; inputDigest?: string | null };

export interface SaveArticleOptions {
  /**
   * Replace the article stored under the same slug instead of rejecting the duplicate; its id is
   * kept and its quotes, positions and mentions are written anew. Seeding uses this so that a
   * changed annotation updates its article.
   */
  replaceExisting?: boolean;
  /** Tag errors with `extensions.inputIndex` even for a batch of one (a batch of several always is). */
  indexErrors?: boolean;
}

export interface SaveArticleResult {
  article: StoredArticle;
  /** created, replaced, or unchanged (same input as last time, nothing written). */
  outcome: 'created' | 'replaced' | 'unchanged';
  /** What became of each declared (and extracted) actor; empty when nothing was written. */
  actors: ActorResolution[];
}

/** Identifies an input's content, so that re-seeding an unchanged file writes nothing. */
function digestOf(input: AddArticleInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

/** An actor as the batch will leave it: stored already, or to be created. */
export interface ActorEntry {
  /** The row id; null until a new actor is created. */
  id: number | null;
  isNew: boolean;
  name: string;
  nameKey: string;
  kind: ActorKind;
  description: string | null;
  /** The stored affiliation, by id (stored actors only). */
  storedAffiliationId: number | null;
  /** The affiliation this batch gives it, if it changes. */
  newAffiliation: ActorEntry | null;
  aliasKeys: Set<string>;
  newAliases: NameRef[];
  /** Kind or description changed on a stored actor. */
  changed: boolean;
}

interface TopicEntry {
  id: number | null;
  name: string;
  slug: string;
}

/** One article's share of the batch, with every reference resolved to an entry. */
interface ArticlePlan {
  draft: ArticleDraft;
  slug: string;
  digest: string;
  existing: StoredArticle | null;
  mentioned: Set<ActorEntry>;
  speakers: (ActorEntry | null)[];
  positionActors: ActorEntry[];
  topicSlugs: Set<string>;
  positionTopicSlugs: string[];
  resolutions: ActorResolution[];
}

/**
 * What the batch knows about actors and topics: the stored ones it refers to, plus the ones its
 * earlier articles create or change, so each article is planned exactly as if the ones before it
 * had already been written.
 */
export class Registry {
  readonly actors = new Map<string, ActorEntry>();
  readonly actorsById = new Map<number, ActorEntry>();
  readonly topics = new Map<string, TopicEntry>();
  readonly slugs = new Set<string>();
  readonly urls = new Map<string, number | null>();
  /** Affiliation chains that leave what the batch loaded: checked in the database after writing. */
  readonly pendingCycleChecks: { actor: ActorEntry; affiliation: ActorEntry; ref: NameRef }[] = [];

  addActor(entry: ActorEntry): void {
    this.actors.set(entry.nameKey, entry);
    for (const key of entry.aliasKeys) this.actors.set(key, entry);
    if (entry.id !== null) this.actorsById.set(entry.id, entry);
  }
}

/**
 * The one write path for articles, used by addArticle, seeding and bulk loading alike. Every input
 * is checked first (without the database, then against what is stored and what earlier inputs of the
 * same batch add); only then is anything written, with a fixed number of statements per batch, in a
 * single transaction: all of the batch is written or none.
 */
export async function saveArticles(db: Db, inputs: AddArticleInput[], options: SaveArticleOptions = {}): Promise<SaveArticleResult[]> {
  // Extraction runs off the main thread (and outside the transaction) before anything is checked against the store.
  const tag = (error: unknown, i: number) => (inputs.length > 1 || options.indexErrors ? withInputIndex(error, i) : error);
  const drafts = await Promise.all(
    inputs.map(async (input, i) => {
      try {
        return await (input.extract ? draftWithExtraction(input) : draftArticle(input));
      } catch (error) {
        throw tag(error, i);
      }
    }),
  );
  const digests = inputs.map((input) => digestOf(input));
  return inTransaction(db, async (tx) => {
    const registry = await loadRegistry(tx, drafts);
    const existingBySlug = await storedArticlesBySlug(tx, drafts);
    const storedByTitle = await storedArticlesByTitle(tx, drafts);
    const results: (SaveArticleResult | ArticlePlan | { repeats: ArticlePlan })[] = [];
    // Articles planned earlier in this batch, by title and body: the same one again is written once.
    const planned = new Map<string, ArticlePlan>();
    const planInput = (draft: ArticleDraft, digest: string): SaveArticleResult | ArticlePlan | { repeats: ArticlePlan } => {
      const earlier = planned.get(`${draft.title}\u0000${draft.body}`);
      if (earlier?.digest === digest) return { repeats: earlier };
      if (earlier) {
        throw conflict(
          'input.body',
          `is the body of "${earlier.slug}", earlier in the same batch under the same title with another annotation: send one of them`,
        );
      }
      const existing = draft.slug === null ? null : (existingBySlug.get(draft.slug) ?? null);
      // The same input again (a double submit, a re-seeded file) writes nothing and answers the stored article.
      const same = existing ?? storedByTitle.get(draft.title)?.find((stored) => stored.body === draft.body) ?? null;
      if (same && same.inputDigest === digest) return { article: same, outcome: 'unchanged', actors: [] };
      if (draft.slug !== null && (registry.slugs.has(draft.slug) || existing) && !(existing && options.replaceExisting)) {
        throw badUserInput('input.slug', `"${draft.slug}" is already used by another article`);
      }
      const plan = planArticle(registry, draft, digest, existing);
      // Checked after the input itself, so that a faulty input is told what is wrong with it first.
      if (same && !existing) {
        throw conflict(
          'input.body',
          `is the body of the stored article "${same.slug}" under the same title: change that article with updateArticle, or give this one another title`,
        );
      }
      return plan;
    };
    for (const [i, draft] of drafts.entries()) {
      try {
        const result = planInput(draft, digests[i] ?? '');
        if ('draft' in result) planned.set(`${draft.title}\u0000${draft.body}`, result);
        results.push(result);
      } catch (error) {
        throw tag(error, i);
      }
    }
    const cycleChecks = await writeActorsAndTopics(tx, registry);
    const written = await writeArticles(
      tx,
      registry,
      results.filter((r): r is ArticlePlan => 'draft' in r),
    );
    for (const { actor, affiliation, ref } of cycleChecks) await assertNoAffiliationCycle(tx, actor, affiliation, ref);
    return results.map((r): SaveArticleResult => {
      if ('repeats' in r) return { article: writtenResult(written, r.repeats).article, outcome: 'unchanged', actors: [] };
      return 'draft' in r ? writtenResult(written, r) : r;
    });
  });
}

function writtenResult(written: Map<ArticlePlan, SaveArticleResult>, plan: ArticlePlan): SaveArticleResult {
  const result = written.get(plan);
  if (!result) throw new Error(`article ${plan.slug} was planned but not written`);
  return result;
}

/**
 * Says which input of a batch an error is about, in `extensions.inputIndex` (seeding names its
 * file from it, the import its line, addArticles its client's list position).
 */
export function withInputIndex(error: unknown, inputIndex: number): unknown {
  if (!(error instanceof GraphQLError) || error.extensions.inputIndex !== undefined) return error;
  return new GraphQLError(error.message, { extensions: { ...error.extensions, inputIndex }, originalError: error });
}

/**
 * addArticles: several articles in one transaction, all or none, at most INPUT_LIMITS.articlesPerCall.
 * An error names the input it is about by position, in its field (`input[2].quotes[0].speaker`)
 * and in `extensions.inputIndex`, as a client sent them.
 */
export async function addArticles(db: Db, inputs: AddArticleInput[]): Promise<SaveArticleResult[]> {
  assertCount('input', inputs, 'articlesPerCall', 'articles');
  if (inputs.length === 0) throw badUserInput('input', 'is empty; send at least one article');
  try {
    return await saveArticles(db, inputs, { indexErrors: true });
  } catch (error) {
    throw atListPosition(error);
  }
}

/** `input.quotes[0]` of the error's input becomes `input[2].quotes[0]`, in its field and message. */
function atListPosition(error: unknown): unknown {
  if (!(error instanceof GraphQLError)) return error;
  const { field, inputIndex } = error.extensions;
  if (typeof field !== 'string' || typeof inputIndex !== 'number' || !/^input\b/.test(field)) return error;
  const listField = `input[${inputIndex}]${field.slice('input'.length)}`;
  const message = error.message.startsWith(field) ? `${listField}${error.message.slice(field.length)}` : error.message;
  return new GraphQLError(message, { extensions: { ...error.extensions, field: listField }, originalError: error });
}

/** Saves one article; see saveArticles. */
export async function saveArticle(db: Db, input: AddArticleInput, options: SaveArticleOptions = {}): Promise<SaveArticleResult> {
  const [result] = await saveArticles(db, [input], options);
  if (!result) throw new Error('saveArticles returned no result for one input');
  return result;
}

/** Reads, in a few queries, every stored actor, topic, slug and url the batch refers to. */
async function loadRegistry(tx: Tx, drafts: ArticleDraft[]): Promise<Registry> {
  const registry = new Registry();
  await loadActors(
    tx,
    registry,
    drafts.flatMap((d) => d.actors),
    drafts.flatMap((d) => [...d.quotes.flatMap((q) => (q.speaker ? [q.speaker] : [])), ...d.positions.map((p) => p.actor)]),
  );
  const slugs = new Set(drafts.flatMap((d) => [...d.topics.map((t) => t.slug), ...d.positions.map((p) => slugify(p.topic.text))]));
  for (const topic of await tx.topic.findMany({ where: { slug: { in: [...slugs] } }, select: { id: true, name: true, slug: true } })) {
    registry.topics.set(topic.slug, topic);
  }
  const bases = [...new Set(drafts.filter((d) => d.slug === null).map((d) => slugify(d.title) || 'article'))];
  if (bases.length > 0) {
    const taken = await tx.article.findMany({
      where: { OR: bases.flatMap((base) => [{ slug: base }, { slug: { startsWith: `${base}-` } }]) },
      select: { slug: true },
    });
    for (const { slug } of taken) registry.slugs.add(slug);
  }
  const urls = drafts.flatMap((d) => (d.url === null ? [] : [d.url]));
  if (urls.length > 0) {
    for (const { id, url } of await tx.article.findMany({ where: { url: { in: urls } }, select: { id: true, url: true } })) {
      if (url !== null) registry.urls.set(url, id);
    }
  }
  return registry;
}

async function storedArticlesBySlug(tx: Tx, drafts: ArticleDraft[]): Promise<Map<string, StoredArticle>> {
  const slugs = drafts.flatMap((d) => (d.slug === null ? [] : [d.slug]));
  if (slugs.length === 0) return new Map();
  return new Map((await tx.article.findMany({ where: { slug: { in: slugs } } })).map((a) => [a.slug, a]));
}

/**
 * Stored articles that share a title with the batch's, by title: one with the same body too is the
 * same article submitted again. One statement per 500 titles.
 */
async function storedArticlesByTitle(tx: Tx, drafts: ArticleDraft[]): Promise<Map<string, StoredArticle[]>> {
  const titles = [...new Set(drafts.map((d) => d.title))];
  const byTitle = new Map<string, StoredArticle[]>();
  for (let start = 0; start < titles.length; start += 500) {
    for (const article of await tx.article.findMany({ where: { title: { in: titles.slice(start, start + 500) } } })) {
      byTitle.set(article.title, [...(byTitle.get(article.title) ?? []), article]);
    }
  }
  return byTitle;
}

/** A slug derived from the title, with a numeric suffix when articles already share the title. */
function freeSlug(registry: Registry, title: string): string {
  const base = slugify(title) || 'article';
  if (!registry.slugs.has(base)) return base;
  let n = 2;
  while (registry.slugs.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/** Loads into the registry every stored actor that the declarations or references name. */
export async function loadActors(tx: Tx, registry: Registry, actors: ActorDraft[], references: NameRef[]): Promise<void> {
  const keys = references.map((r) => r.key);
  for (const actor of actors) {
    keys.push(actor.name.key, ...actor.aliases.map((a) => a.key));
    if (actor.affiliation) keys.push(actor.affiliation.key);
  }
  for (const actor of new Set((await findActorsByKeys(tx, keys)).values())) {
    registry.addActor({
      id: actor.id,
      isNew: false,
      name: actor.name,
      nameKey: actor.nameKey,
      kind: actor.kind,
      description: actor.description,
      storedAffiliationId: actor.affiliationId,
      newAffiliation: null,
      aliasKeys: new Set(actor.aliases.map((a) => a.aliasKey)),
      newAliases: [],
      changed: false,
    });
  }
}

/** A field of an actor that a declaration may state differently from what is stored. */
export type ActorField = 'KIND' | 'DESCRIPTION' | 'AFFILIATION';

/** What became of one declaration: the actor it stands for, and what it added or left alone. */
export interface ActorResolution {
  declared: string;
  entry: ActorEntry;
  outcome: 'CREATED' | 'LINKED';
  addedAliases: string[];
  /** Fields the linked actor had empty and this declaration filled. */
  filled: ActorField[];
  /** Fields declared differently from the linked actor, kept as stored. */
  keptAsStored: ActorField[];
}

export interface DeclareOptions {
  /**
   * upsertActor: a declaration that names a stored actor by its canonical name replaces its kind,
   * description and affiliation. Otherwise a declaration only links to what is stored.
   */
  update?: boolean;
}

/**
 * Checks actor declarations and references against the registry (a declaration matching two
 * different actors, a reference to no one, self-affiliation, affiliation cycles), then records them
 * there. A declaration that names an actor already known (stored, or created by an earlier article
 * of the batch), by its name or an alias, links to it: it may add aliases and fill an empty
 * description or affiliation, but never changes its kind, description or affiliation, because
 * names like "Chinese" or "Washington" are ambiguous and a silent rewrite of a stored actor is
 * data lost. A kind that differs is refused (it is another actor, or a mistake), as is a new
 * canonical name with an alias that already names someone else. Only upsertActor, naming an
 * actor by its canonical name, changes it. Articles and upsertActor both use this.
 */
export function declareActors(
  registry: Registry,
  declarations: ActorDraft[],
  references: NameRef[],
  options: DeclareOptions = {},
): { entries: ActorEntry[]; resolutions: ActorResolution[]; resolve: (ref: NameRef) => ActorEntry } {
  const actors = declarations.map((actor) => (actor.tentative ? fitTentative(registry, actor) : actor));
  // Which registry actor (if any) each declaration is, by its name or any alias.
  const matches = actors.map((actor) => {
    let match: ActorEntry | null = null;
    for (const ref of [actor.name, ...actor.aliases]) {
      const found = registry.actors.get(ref.key);
      if (!found) continue;
      if (match && match !== found) {
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
  const known = (ref: NameRef) => declared.has(ref.key) || registry.actors.has(ref.key);
  const unknown = (ref: NameRef) => badUserInput(ref.field, `"${ref.text}" is not a known actor; declare it in input.actors`);
  actors.forEach((actor, i) => {
    if (!actor.affiliation || actor.tentative) return;
    if (!known(actor.affiliation)) throw unknown(actor.affiliation);
    const target = declared.get(actor.affiliation.key);
    const self = target === i || (target === undefined && matches[i] != null && registry.actors.get(actor.affiliation.key) === matches[i]);
    if (self) {
      throw badUserInput(
        actor.affiliation.field,
        `"${actor.affiliation.text}" is the actor itself; an actor cannot be affiliated with itself`,
      );
    }
  });
  for (const ref of references) if (!known(ref)) throw unknown(ref);

  const resolutions = actors.map((actor, i): ActorResolution => {
    const match = matches[i] ?? null;
    const entry: ActorEntry = match ?? {
      id: null,
      isNew: true,
      name: actor.name.text,
      nameKey: actor.name.key,
      kind: actor.kind,
      description: actor.description,
      storedAffiliationId: null,
      newAffiliation: null,
      aliasKeys: new Set(),
      newAliases: [],
      changed: false,
    };
    const resolution: ActorResolution = {
      declared: actor.name.text,
      entry,
      outcome: match ? 'LINKED' : 'CREATED',
      addedAliases: [],
      filled: [],
      keptAsStored: [],
    };
    if (match) linkDeclaration(registry, actor, match, resolution, options);
    for (const ref of [actor.name, ...actor.aliases]) {
      if (ref.key === entry.nameKey || entry.aliasKeys.has(ref.key)) continue;
      if (entry.aliasKeys.size >= INPUT_LIMITS.aliasesPerActor) {
        // The extractor's guesses are only extra names; a person's declaration is refused.
        if (actor.tentative) continue;
        throw tooManyAliases(ref.field, entry.name);
      }
      entry.aliasKeys.add(ref.key);
      entry.newAliases.push(ref);
      if (match) resolution.addedAliases.push(ref.text);
    }
    registry.addActor(entry);
    return resolution;
  });
  const entries = resolutions.map((resolution) => resolution.entry);
  const resolve = (ref: NameRef): ActorEntry => {
    const index = declared.get(ref.key);
    const entry = index === undefined ? registry.actors.get(ref.key) : entries[index];
    if (!entry) throw new Error(`unresolved actor reference ${ref.field}`);
    return entry;
  };
  actors.forEach((actor, i) => {
    const resolution = resolutions[i];
    if (!actor.affiliation || !resolution) return;
    const { entry } = resolution;
    if (actor.tentative) {
      // Extracted affiliations only ever describe actors the extraction creates, and never loop.
      if (!entry.isNew || !known(actor.affiliation)) return;
      const target = resolve(actor.affiliation);
      if (target === entry || wouldCycle(registry, entry, target)) return;
      entry.newAffiliation = target;
      return;
    }
    const target = resolve(actor.affiliation);
    if (affiliationOf(registry, entry) === target) return;
    // A stored affiliation the registry has not loaded is an affiliation all the same.
    const affiliated = entry.newAffiliation !== null || entry.storedAffiliationId !== null;
    const replaces = resolution.outcome === 'CREATED' || updatesStored(options, entry, actor);
    if (affiliated && !replaces) {
      resolution.keptAsStored.push('AFFILIATION');
      return;
    }
    assertNoCycleInBatch(registry, entry, target, actor.affiliation);
    entry.newAffiliation = target;
    if (resolution.outcome === 'LINKED' && !affiliated) resolution.filled.push('AFFILIATION');
  });
  return { entries, resolutions, resolve };
}

/** Whether a declaration rewrites the stored actor: only upsertActor, naming it by its canonical name. */
function updatesStored(options: DeclareOptions, stored: ActorEntry, actor: ActorDraft): boolean {
  return options.update === true && stored.nameKey === actor.name.key;
}

/**
 * A declaration of an actor the registry knows: refuses what cannot be the same actor, and records
 * what the declaration adds. See declareActors.
 */
function linkDeclaration(
  registry: Registry,
  actor: ActorDraft,
  match: ActorEntry,
  resolution: ActorResolution,
  options: DeclareOptions,
): void {
  // An extracted declaration only ever adds names: what is stored was given by a person.
  if (actor.tentative) {
    if (match.kind !== actor.kind) resolution.keptAsStored.push('KIND');
    return;
  }
  const byName = registry.actors.get(actor.name.key) === match;
  if (!byName) {
    const alias = actor.aliases.find((ref) => registry.actors.get(ref.key) === match);
    throw conflict(
      alias?.field ?? actor.name.field,
      `"${alias?.text ?? actor.name.text}" already names the actor "${match.name}", and an alias names one actor only: ${actor.name.field} "${actor.name.text}" is not stored, so leave the alias out to create it, or declare "${match.name}" to link to that actor`,
    );
  }
  if (updatesStored(options, match, actor)) {
    if (match.kind !== actor.kind || (actor.description !== null && match.description !== actor.description)) match.changed = true;
    match.kind = actor.kind;
    if (actor.description !== null) match.description = actor.description;
    return;
  }
  if (match.kind !== actor.kind) {
    const how = match.nameKey === actor.name.key ? 'is' : `names the actor "${match.name}",`;
    throw conflict(
      actor.name.field,
      `"${actor.name.text}" ${how} a ${match.kind} already stored, not a ${actor.kind}: declare it as ${match.kind} to link to it, give another actor another name, or change the stored kind with upsertActor("${match.name}")`,
    );
  }
  if (actor.description !== null && match.description !== actor.description) {
    if (match.description === null) {
      match.description = actor.description;
      match.changed = true;
      resolution.filled.push('DESCRIPTION');
    } else {
      resolution.keptAsStored.push('DESCRIPTION');
    }
  }
}

/**
 * An extracted declaration, trimmed to fit what is stored: aliases that already name a different
 * actor than the declaration's own match are dropped rather than rejected.
 */
function fitTentative(registry: Registry, actor: ActorDraft): ActorDraft {
  let match = registry.actors.get(actor.name.key) ?? null;
  const aliases: NameRef[] = [];
  for (const alias of actor.aliases) {
    const found = registry.actors.get(alias.key);
    if (found && match && found !== match) continue;
    match = found ?? match;
    aliases.push(alias);
  }
  return { ...actor, aliases };
}

/** Whether making `target` the affiliation of `actor` would close a loop the registry can see. */
function wouldCycle(registry: Registry, actor: ActorEntry, target: ActorEntry): boolean {
  const seen = new Set<ActorEntry>();
  for (let current: ActorEntry | null | undefined = target; current && !seen.has(current); current = affiliationOf(registry, current)) {
    if (current === actor) return true;
    seen.add(current);
  }
  return false;
}

/** Checks one article against the registry and records what it adds there. */
function planArticle(registry: Registry, draft: ArticleDraft, digest: string, existing: StoredArticle | null): ArticlePlan {
  if (draft.url !== null && registry.urls.has(draft.url) && registry.urls.get(draft.url) !== existing?.id) {
    throw badUserInput('input.url', `"${draft.url}" is already used by another article`);
  }

  const references = [...draft.quotes.flatMap((q) => (q.speaker ? [q.speaker] : [])), ...draft.positions.map((p) => p.actor)];
  const { entries, resolutions, resolve } = declareActors(registry, draft.actors, references);
  for (const position of draft.positions) {
    const slug = slugify(position.topic.text);
    if (!registry.topics.has(slug) && !draft.topics.some((t) => t.slug === slug)) {
      throw badUserInput(position.topic.field, `"${position.topic.text}" is not a known topic; list it in input.topics`);
    }
  }

  for (const topic of draft.topics)
    if (!registry.topics.has(topic.slug)) registry.topics.set(topic.slug, { id: null, name: topic.name, slug: topic.slug });
  const slug = draft.slug ?? freeSlug(registry, draft.title);
  registry.slugs.add(slug);
  if (draft.url !== null) registry.urls.set(draft.url, existing?.id ?? null);

  const speakers = draft.quotes.map((q) => (q.speaker ? resolve(q.speaker) : null));
  const positionActors = draft.positions.map((p) => resolve(p.actor));
  const positionTopicSlugs = draft.positions.map((p) => slugify(p.topic.text));
  return {
    draft,
    slug,
    digest,
    existing,
    mentioned: new Set([...entries, ...speakers.filter((s): s is ActorEntry => s !== null), ...positionActors]),
    speakers,
    positionActors,
    topicSlugs: new Set([...draft.topics.map((t) => t.slug), ...positionTopicSlugs]),
    positionTopicSlugs,
    resolutions,
  };
}

/** The actor an entry belongs to as the batch stands, when the registry knows it. */
function affiliationOf(registry: Registry, entry: ActorEntry): ActorEntry | null | undefined {
  if (entry.newAffiliation) return entry.newAffiliation;
  if (entry.storedAffiliationId === null) return null;
  return registry.actorsById.get(entry.storedAffiliationId);
}

/**
 * Walks up from the new affiliation: reaching the actor itself would make a cycle. A chain that
 * reaches a stored actor the batch has not loaded is checked against the database after writing.
 */
function assertNoCycleInBatch(registry: Registry, actor: ActorEntry, affiliation: ActorEntry, ref: NameRef): void {
  const seen = new Set<ActorEntry>();
  for (let current: ActorEntry | null | undefined = affiliation; current; current = affiliationOf(registry, current)) {
    if (current === actor) throw cycleError(ref);
    if (seen.has(current)) return;
    seen.add(current);
    if (!current.newAffiliation && current.storedAffiliationId !== null && !registry.actorsById.has(current.storedAffiliationId)) {
      registry.pendingCycleChecks.push({ actor, affiliation, ref });
      return;
    }
  }
}

export function tooManyAliases(field: string, actorName: string) {
  return badUserInput(field, `would give "${actorName}" more than ${INPUT_LIMITS.aliasesPerActor} aliases; remove some first`);
}

function cycleError(ref: NameRef) {
  return badUserInput(
    ref.field,
    `"${ref.text}" would make an affiliation cycle: it is already affiliated, directly or not, with this actor`,
  );
}

export function idOf(entry: ActorEntry | TopicEntry): number {
  if (entry.id === null) throw new Error('an actor or topic was not written before its first use');
  return entry.id;
}

/** Creates and updates the batch's actors, aliases, affiliations and topics: a few statements in all. */
export async function writeActorsAndTopics(tx: Tx, registry: Registry): Promise<{ actor: number; affiliation: number; ref: NameRef }[]> {
  const entries = [...new Set(registry.actors.values())];
  const created = entries.filter((e) => e.isNew && e.id === null);
  if (created.length > 0) {
    const rows = await tx.actor.createManyAndReturn({
      data: created.map((e) => ({ name: e.name, nameKey: e.nameKey, kind: e.kind, description: e.description })),
      select: { id: true, nameKey: true },
    });
    const ids = new Map(rows.map((row) => [row.nameKey, row.id]));
    for (const entry of created) {
      entry.id = ids.get(entry.nameKey) ?? null;
      if (entry.id !== null) registry.actorsById.set(entry.id, entry);
    }
  }
  for (const entry of entries.filter((e) => !e.isNew && e.changed)) {
    await tx.actor.update({ where: { id: idOf(entry) }, data: { kind: entry.kind, description: entry.description }, select: { id: true } });
  }
  const affiliated = entries.filter((e) => e.newAffiliation);
  for (let start = 0; start < affiliated.length; start += 300) {
    const batch = affiliated.slice(start, start + 300);
    const cases = Prisma.join(
      batch.map((e) => Prisma.sql`WHEN ${idOf(e)} THEN CAST(${idOf(e.newAffiliation ?? e)} AS INTEGER)`),
      ' ',
    );
    await tx.$executeRaw`UPDATE "Actor" SET "affiliationId" = CASE "id" ${cases} END WHERE "id" IN (${Prisma.join(batch.map(idOf))})`;
  }
  const aliases = entries.flatMap((e) => e.newAliases.map((ref) => ({ actorId: idOf(e), alias: ref.text, aliasKey: ref.key })));
  if (aliases.length > 0) {
    await tx.actorAlias.createMany({ data: aliases });
    await refreshActorSearch(tx, new Set(aliases.map((a) => a.actorId)));
  }

  const newTopics = [...registry.topics.values()].filter((t) => t.id === null);
  if (newTopics.length > 0) {
    const rows = await tx.topic.createManyAndReturn({
      data: newTopics.map((t) => ({ name: t.name, slug: t.slug })),
      select: { id: true, slug: true },
    });
    const ids = new Map(rows.map((row) => [row.slug, row.id]));
    for (const topic of newTopics) topic.id = ids.get(topic.slug) ?? null;
  }
  return registry.pendingCycleChecks.map(({ actor, affiliation, ref }) => ({ actor: idOf(actor), affiliation: idOf(affiliation), ref }));
}

/** Writes the planned articles and everything in them, a fixed number of statements per batch. */
async function writeArticles(tx: Tx, registry: Registry, plans: ArticlePlan[]): Promise<Map<ArticlePlan, SaveArticleResult>> {
  const results = new Map<ArticlePlan, SaveArticleResult>();
  if (plans.length === 0) return results;
  const data = (plan: ArticlePlan) => ({
    slug: plan.slug,
    title: plan.draft.title,
    body: plan.draft.body,
    source: plan.draft.source,
    url: plan.draft.url,
    publishedAt: plan.draft.publishedAt,
    inputDigest: plan.digest,
  });

  const replaced = plans.filter((p) => p.existing);
  if (replaced.length > 0) {
    const ids = replaced.map((p) => p.existing?.id ?? 0);
    await tx.position.deleteMany({ where: { articleId: { in: ids } } });
    await tx.quote.deleteMany({ where: { articleId: { in: ids } } });
    await tx.mention.deleteMany({ where: { articleId: { in: ids } } });
    await tx.articleTopic.deleteMany({ where: { articleId: { in: ids } } });
    for (const plan of replaced) {
      results.set(plan, {
        article: await tx.article.update({ where: { id: plan.existing?.id ?? 0 }, data: data(plan) }),
        outcome: 'replaced',
        actors: plan.resolutions,
      });
    }
  }
  const fresh = plans.filter((p) => !p.existing);
  if (fresh.length > 0) {
    const rows = new Map((await tx.article.createManyAndReturn({ data: fresh.map(data) })).map((row) => [row.slug, row]));
    for (const plan of fresh) {
      const article = rows.get(plan.slug);
      if (!article) throw new Error(`article ${plan.slug} was not created`);
      results.set(plan, { article, outcome: 'created', actors: plan.resolutions });
    }
  }
  const articleId = (plan: ArticlePlan) => results.get(plan)?.article.id ?? 0;

  await insertRows(
    tx,
    'Mention',
    ['articleId', 'actorId'],
    plans.flatMap((p) => [...p.mentioned].map((actor) => [articleId(p), idOf(actor)])),
  );
  const topicId = (slug: string) => idOf(registry.topics.get(slug) ?? missing(`topic ${slug}`));
  await insertRows(
    tx,
    'ArticleTopic',
    ['articleId', 'topicId'],
    plans.flatMap((p) => [...p.topicSlugs].map((slug) => [articleId(p), topicId(slug)])),
  );

  // Quotes go in order of appearance, so that id order (Actor.quotes, Query.quotes) follows the text.
  const quoteRows = plans.flatMap((plan) =>
    plan.draft.quotes
      .map((quote, index) => ({ plan, quote, index }))
      .sort((a, b) => (a.quote.startOffset ?? Infinity) - (b.quote.startOffset ?? Infinity) || a.index - b.index),
  );
  const quoteIds = new Map<ArticlePlan, number[]>(plans.map((p) => [p, []]));
  if (quoteRows.length > 0) {
    const created = await insertRows(
      tx,
      'Quote',
      ['articleId', 'speakerId', 'text', 'kind', 'channel', 'startOffset', 'endOffset', 'origin', 'confidence'],
      quoteRows.map(({ plan, quote, index }) => [
        articleId(plan),
        plan.speakers[index] ? idOf(plan.speakers[index]) : null,
        quote.text,
        quote.kind,
        quote.channel,
        quote.startOffset,
        quote.endOffset,
        quote.origin,
        quote.confidence,
      ]),
      true,
    );
    // RETURNING does not promise row order; autoincrement ids do follow insertion order.
    created.sort((a, b) => a.id - b.id);
    quoteRows.forEach(({ plan, index }, i) => {
      const ids = quoteIds.get(plan);
      if (ids) ids[index] = created[i]?.id ?? 0;
    });
  }
  await insertRows(
    tx,
    'Position',
    ['articleId', 'actorId', 'topicId', 'stance', 'summary', 'origin', 'confidence', 'quoteId'],
    plans.flatMap((plan) =>
      plan.draft.positions.map((position, i) => [
        articleId(plan),
        idOf(plan.positionActors[i] ?? missing('position actor')),
        topicId(plan.positionTopicSlugs[i] ?? ''),
        position.stance,
        position.summary,
        position.origin,
        position.confidence,
        position.quoteIndex === null ? null : (quoteIds.get(plan)?.[position.quoteIndex] ?? null),
      ]),
    ),
  );
  return results;
}

/** Rows per INSERT: 500 rows of 9 columns stay far below SQLite's 32,766 bound parameters. */
const ROWS_PER_INSERT = 500;

/**
 * Inserts rows with one multi-row INSERT per ROWS_PER_INSERT. For the child rows of a batch
 * (mentions, topics, quotes, positions: about 25 per article) Prisma's createMany spent most of an
 * import compiling each call's data in its query compiler; bound parameters cost SQLite nothing.
 * The tables hold no DateTime or JSON column, so no value needs Prisma's mapping. With `returning`,
 * gives the new ids.
 */
async function insertRows(tx: Tx, table: string, columns: string[], rows: unknown[][], returning = false): Promise<{ id: number }[]> {
  const ids: { id: number }[] = [];
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `);
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const values = Prisma.join(rows.slice(start, start + ROWS_PER_INSERT).map((row) => Prisma.sql`(${Prisma.join(row)})`));
    if (returning) ids.push(...(await tx.$queryRaw<{ id: number }[]>`${head}${values} RETURNING "id"`));
    else await tx.$executeRaw`${head}${values}`;
  }
  return ids;
}

function missing(what: string): never {
  throw new Error(`missing ${what} in an article plan`);
}

/** Walks up from the new affiliation in the database; reaching the actor itself would make a cycle. */
export async function assertNoAffiliationCycle(tx: Tx, actorId: number, affiliationId: number, ref: NameRef): Promise<void> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    WITH RECURSIVE chain(id) AS (
      SELECT CAST(${affiliationId} AS INTEGER)
      UNION SELECT a."affiliationId" FROM "Actor" a JOIN chain ON a.id = chain.id WHERE a."affiliationId" IS NOT NULL
    )
    SELECT id FROM chain WHERE id = ${actorId} LIMIT 1`;
  if (rows.length > 0) throw cycleError(ref);
}
