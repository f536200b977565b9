import { createHash } from 'node:crypto';
import type { Db } from '../db.js';
import { badUserInput, conflict } from '../errors.js';
import type { AddArticleInput } from '../generated/graphql.js';
import { Prisma } from '../generated/prisma/client.js';
import { GraphQLError } from 'graphql';
import type { ActorKind } from '../generated/prisma/enums.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { announceStored } from '../live-feed.js';
import { storedDate } from '../read/sqlite.js';
import { refreshActorSearch } from './actor-search.js';
import { findActorsByKeys, type StoredActor } from './actors.js';
import { type ActorDraft, type ArticleDraft, draftArticle, type NameRef } from './article-input.js';
import { draftWithExtraction } from './extraction.js';
import { slugify } from '../text/names.js';
import { writeDialect } from './dialect.js';
import { assertCount } from './text.js';
import { inTransaction } from './transaction.js';

type Tx = Prisma.TransactionClient;

/**
 * An article as the write path reads and writes it: what the API's resolvers read of an article
 * (ArticleRow), its body, and the digest of the input it was last written from.
 */
export interface StoredArticle {
  id: number;
  slug: string;
  title: string;
  body: string;
  publishedAt: Date | null;
  inputDigest: string | null;
}

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

/**
 * An input that has passed every check that needs no database (draftArticle) and, when it asks for
 * it, been merged with what the extractor finds: what the write path plans and writes. Only
 * prepareArticle makes one, so nothing reaches the database without those checks; a bulk import
 * prepares each line once, however often its batch is planned.
 */
export class PreparedArticle {
  private constructor(
    readonly draft: ArticleDraft,
    readonly digest: string,
  ) {}

  /** See prepareArticle. */
  static async of(input: AddArticleInput): Promise<PreparedArticle> {
    const draft = input.extract ? await draftWithExtraction(input) : draftArticle(input);
    return new PreparedArticle(draft, digestOf(input));
  }
}

/** Checks an input on its own and runs the extractor when it asks for it (off the main thread). */
export function prepareArticle(input: AddArticleInput): Promise<PreparedArticle> {
  return PreparedArticle.of(input);
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

  /** Adds stored actors as they are in the database. */
  addStored(actors: Iterable<StoredActor>): void {
    for (const actor of actors) {
      this.addActor({
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
}

/**
 * The one write path for articles, used by addArticle, seeding and bulk loading alike. Every input
 * is checked first (without the database, then against what is stored and what earlier inputs of the
 * same batch add); only then is anything written, with a fixed number of statements per batch, in a
 * single transaction: all of the batch is written or none.
 */
export async function saveArticles(db: Db, inputs: AddArticleInput[], options: SaveArticleOptions = {}): Promise<SaveArticleResult[]> {
  // Extraction runs off the main thread (and outside the transaction) before anything is checked against the store.
  const prepared = await Promise.all(
    inputs.map(async (input, i) => {
      try {
        return await prepareArticle(input);
      } catch (error) {
        throw inputs.length > 1 || options.indexErrors ? withInputIndex(error, i) : error;
      }
    }),
  );
  const { results } = await savePreparedArticles(db, prepared, options);
  return results.map((result) => result ?? missing('result of an input that was not refused'));
}

/** An input the write path refused, by its position in the batch. */
export interface RefusedInput {
  index: number;
  error: GraphQLError;
}

/**
 * saveArticles for inputs already prepared. With `leaveOutRefused`, an input that the checks
 * against the store refuse is left out (and named in `refused`, its result null) and the rest of
 * the batch is planned again without it, in the same transaction: a bulk import loses one line,
 * not its batch, and writes the batch once. Otherwise the first refusal fails the batch.
 */
export async function savePreparedArticles(
  db: Db,
  prepared: PreparedArticle[],
  options: SaveArticleOptions & { leaveOutRefused?: boolean } = {},
): Promise<{ results: (SaveArticleResult | null)[]; refused: RefusedInput[] }> {
  const tag = (error: unknown, i: number) => (prepared.length > 1 || options.indexErrors ? withInputIndex(error, i) : error);
  const drafts = prepared.map((p) => p.draft);
  return inTransaction(db, async (tx) => {
    const stored = await readStored(tx, drafts);
    const refused: RefusedInput[] = [];
    for (;;) {
      let results: (SaveArticleResult | ArticlePlan | { repeats: ArticlePlan } | null)[];
      let registry: Registry;
      try {
        ({ results, registry } = planBatch(stored, prepared, options, new Set(refused.map((r) => r.index)), tag));
      } catch (error) {
        const index = error instanceof GraphQLError ? error.extensions.inputIndex : undefined;
        if (!options.leaveOutRefused || !(error instanceof GraphQLError) || typeof index !== 'number') throw error;
        refused.push({ index, error });
        continue;
      }
      const plans = results.filter((r): r is ArticlePlan => r !== null && 'draft' in r);
      const cycleChecks = await writeActorsAndTopics(tx, registry);
      const written = await writeArticles(tx, registry, plans);
      for (const { actor, affiliation, ref } of cycleChecks) await assertNoAffiliationCycle(tx, actor, affiliation, ref);
      await announceStored(tx, {
        articles: plans.filter((p) => !p.existing).map((p) => writtenResult(written, p).article.id),
        quotes: plans.filter((p) => p.existing).flatMap((p) => written.get(p)?.quoteIds ?? []),
      });
      return {
        refused,
        results: results.map((r): SaveArticleResult | null => {
          if (r === null) return null;
          if ('repeats' in r) return { article: writtenResult(written, r.repeats).article, outcome: 'unchanged', actors: [] };
          return 'draft' in r ? writtenResult(written, r) : r;
        }),
      };
    }
  });
}

/** What the store holds of everything a batch refers to, read once per batch (see readStored). */
interface StoredState {
  actors: StoredActor[];
  topics: TopicEntry[];
  /** Slugs taken among those the batch's titles would derive. */
  slugs: string[];
  urls: Map<string, number>;
  bySlug: Map<string, StoredArticle>;
  byTitle: Map<string, StoredArticle[]>;
}

/**
 * Plans every input not in `refused` against the stored state, in order, each as if the ones before
 * it were written. A refusal names its input (inputIndex).
 */
function planBatch(
  stored: StoredState,
  prepared: PreparedArticle[],
  options: SaveArticleOptions,
  refused: Set<number>,
  tag: (error: unknown, i: number) => unknown,
): { results: (SaveArticleResult | ArticlePlan | { repeats: ArticlePlan } | null)[]; registry: Registry } {
  const registry = new Registry();
  registry.addStored(stored.actors);
  for (const topic of stored.topics) registry.topics.set(topic.slug, { ...topic });
  for (const slug of stored.slugs) registry.slugs.add(slug);
  for (const [url, id] of stored.urls) registry.urls.set(url, id);
  const results: (SaveArticleResult | ArticlePlan | { repeats: ArticlePlan } | null)[] = [];
  // Articles planned earlier in this batch, by title and body: the same one again is written once.
  const planned = new Map<string, ArticlePlan>();
  const planInput = ({ draft, digest }: PreparedArticle): SaveArticleResult | ArticlePlan | { repeats: ArticlePlan } => {
    const earlier = planned.get(`${draft.title}\u0000${draft.body}`);
    if (earlier?.digest === digest) return { repeats: earlier };
    if (earlier) {
      throw conflict(
        'input.body',
        `is the body of "${earlier.slug}", earlier in the same batch under the same title with another annotation: send one of them`,
      );
    }
    const existing = draft.slug === null ? null : (stored.bySlug.get(draft.slug) ?? null);
    // The same input again (a double submit, a re-seeded file) writes nothing and answers the stored article.
    const same = existing ?? stored.byTitle.get(draft.title)?.find((article) => article.body === draft.body) ?? null;
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
  for (const [i, input] of prepared.entries()) {
    if (refused.has(i)) {
      results.push(null);
      continue;
    }
    try {
      const result = planInput(input);
      if ('draft' in result) planned.set(`${input.draft.title}\u0000${input.draft.body}`, result);
      results.push(result);
    } catch (error) {
      throw tag(error, i);
    }
  }
  return { results, registry };
}

function writtenResult(written: Map<ArticlePlan, WrittenArticle>, plan: ArticlePlan): SaveArticleResult {
  const result = written.get(plan);
  if (!result) throw new Error(`article ${plan.slug} was planned but not written`);
  return { article: result.article, outcome: result.outcome, actors: result.actors };
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

/** Values per IN list: well inside SQLite's and PostgreSQL's bound-parameter limits. */
const VALUES_PER_LOOKUP = 500;

/** `select` over `values`, `size` at a time, the rows of every statement together. */
async function lookUp<V, R>(values: V[], select: (chunk: V[]) => Promise<R[]>, size = VALUES_PER_LOOKUP): Promise<R[]> {
  const rows: R[] = [];
  for (let start = 0; start < values.length; start += size) rows.push(...(await select(values.slice(start, start + size))));
  return rows;
}

/** Conditions ORed in one statement: SQLite refuses an expression deeper than 1,000, and an OR of n terms is n deep. */
const TERMS_PER_STATEMENT = 200;

/**
 * The stored slugs among those that titles slugified to `bases` would take: each base itself and,
 * for a base that is taken, every numbered one ("base-2", "base-3" ...). The second lookup runs
 * only for taken bases. Slugs are letters, digits and hyphens, so on SQLite (binary order) the
 * numbered ones are the range from "base-" to "base." and its index finds them; on PostgreSQL,
 * whose text order depends on the collation, a LIKE with no wildcard in the base does.
 */
async function takenSlugs(tx: Tx, bases: string[]): Promise<string[]> {
  const taken = await lookUp(
    bases,
    (chunk) => tx.$queryRaw<{ slug: string }[]>`SELECT "slug" FROM "Article" WHERE "slug" IN (${Prisma.join(chunk)})`,
  );
  const postgres = writeDialect(tx) === 'postgresql';
  const numbered = await lookUp(
    taken.map((row) => row.slug),
    (chunk) => {
      const terms = chunk.map((base) =>
        postgres ? Prisma.sql`"slug" LIKE ${`${base}-%`}` : Prisma.sql`("slug" >= ${`${base}-`} AND "slug" < ${`${base}.`})`,
      );
      return tx.$queryRaw<{ slug: string }[]>`SELECT "slug" FROM "Article" WHERE ${Prisma.join(terms, ' OR ')}`;
    },
    TERMS_PER_STATEMENT,
  );
  return [...taken, ...numbered].map((row) => row.slug);
}

const STORED_ARTICLE = Prisma.raw('"id", "slug", "title", "body", "publishedAt", "inputDigest"');

/** A stored article as plain SQL hands it over: dates as Date on either database. */
function storedArticle(row: StoredArticle): StoredArticle {
  const publishedAt = row.publishedAt === null || row.publishedAt instanceof Date ? row.publishedAt : new Date(String(row.publishedAt));
  return { ...row, publishedAt };
}

/**
 * Reads, in a few statements, every stored actor, topic, slug, url and article the batch refers
 * to. Plain SQL, as the writes below are: Prisma's query compiler took longer over lists of
 * hundreds of names or slugs than the database took to answer them.
 */
async function readStored(tx: Tx, drafts: ArticleDraft[]): Promise<StoredState> {
  const actorKeys = drafts.flatMap((d) => [
    ...d.actors.flatMap((a) => [a.name.key, ...a.aliases.map((alias) => alias.key), ...(a.affiliation ? [a.affiliation.key] : [])]),
    ...d.quotes.flatMap((q) => (q.speaker ? [q.speaker.key] : [])),
    ...d.positions.map((p) => p.actor.key),
  ]);
  const actors = new Set((await findActorsByKeys(tx, actorKeys)).values());
  const topicSlugs = [
    ...new Set(drafts.flatMap((d) => [...d.topics.map((t) => t.slug), ...d.positions.map((p) => slugify(p.topic.text))])),
  ];
  const topics = await lookUp(
    topicSlugs,
    (chunk) => tx.$queryRaw<TopicEntry[]>`SELECT "id", "name", "slug" FROM "Topic" WHERE "slug" IN (${Prisma.join(chunk)})`,
  );
  const bases = [...new Set(drafts.filter((d) => d.slug === null).map((d) => slugify(d.title) || 'article'))];
  const slugs = await takenSlugs(tx, bases);
  const urls = await lookUp(
    [...new Set(drafts.flatMap((d) => (d.url === null ? [] : [d.url])))],
    (chunk) => tx.$queryRaw<{ id: number; url: string }[]>`SELECT "id", "url" FROM "Article" WHERE "url" IN (${Prisma.join(chunk)})`,
  );
  const bySlug = await lookUp(
    drafts.flatMap((d) => (d.slug === null ? [] : [d.slug])),
    (chunk) => tx.$queryRaw<StoredArticle[]>`SELECT ${STORED_ARTICLE} FROM "Article" WHERE "slug" IN (${Prisma.join(chunk)})`,
  );
  // A stored article with the same title and body is the same article submitted again.
  const byTitle = await lookUp(
    [...new Set(drafts.map((d) => d.title))],
    (chunk) => tx.$queryRaw<StoredArticle[]>`SELECT ${STORED_ARTICLE} FROM "Article" WHERE "title" IN (${Prisma.join(chunk)})`,
  );
  const titled = new Map<string, StoredArticle[]>();
  for (const row of byTitle) titled.set(row.title, [...(titled.get(row.title) ?? []), storedArticle(row)]);
  return {
    actors: [...actors],
    topics,
    slugs,
    urls: new Map(urls.map((row) => [row.url, row.id])),
    bySlug: new Map(bySlug.map((row) => [row.slug, storedArticle(row)])),
    byTitle: titled,
  };
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
  registry.addStored(new Set((await findActorsByKeys(tx, keys)).values()));
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
  const now = storedDate(new Date());
  const entries = [...new Set(registry.actors.values())];
  const created = entries.filter((e) => e.isNew && e.id === null);
  const rows = await insertRows(
    tx,
    'Actor',
    ['name', 'nameKey', 'kind', 'description', 'createdAt', 'updatedAt'],
    created.map((e) => [e.name, e.nameKey, e.kind, e.description, now, now]),
    ['id', 'nameKey'],
  );
  const ids = new Map(rows.map((row) => [String(row.nameKey), Number(row.id)]));
  for (const entry of created) {
    entry.id = ids.get(entry.nameKey) ?? null;
    if (entry.id !== null) registry.actorsById.set(entry.id, entry);
  }
  for (const entry of entries.filter((e) => !e.isNew && e.changed)) {
    await tx.$executeRaw`UPDATE "Actor" SET "kind" = ${entry.kind}, "description" = ${entry.description}, "updatedAt" = ${now} WHERE "id" = ${idOf(entry)}`;
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
  const aliases = entries.flatMap((e) => e.newAliases.map((ref) => [idOf(e), ref.text, ref.key]));
  if (aliases.length > 0) {
    await insertRows(tx, 'ActorAlias', ['actorId', 'alias', 'aliasKey'], aliases);
    await refreshActorSearch(tx, new Set(aliases.map(([actorId]) => Number(actorId))));
  }

  const newTopics = [...registry.topics.values()].filter((t) => t.id === null);
  const topicRows = await insertRows(
    tx,
    'Topic',
    ['name', 'slug'],
    newTopics.map((t) => [t.name, t.slug]),
    ['id', 'slug'],
  );
  const topicIds = new Map(topicRows.map((row) => [String(row.slug), Number(row.id)]));
  for (const topic of newTopics) topic.id = topicIds.get(topic.slug) ?? null;
  return registry.pendingCycleChecks.map(({ actor, affiliation, ref }) => ({ actor: idOf(actor), affiliation: idOf(affiliation), ref }));
}

/** What writeArticles did with one plan: its result, and the ids of the quotes it stored, in input order. */
interface WrittenArticle extends SaveArticleResult {
  quoteIds: number[];
}

/**
 * Writes the planned articles and everything in them, a fixed number of statements per batch (one
 * UPDATE per replaced article). Plain multi-row INSERTs: Prisma's createMany compiled each call's
 * data, bodies included, in its query compiler, which cost more than SQLite's work on the rows.
 */
async function writeArticles(tx: Tx, registry: Registry, plans: ArticlePlan[]): Promise<Map<ArticlePlan, WrittenArticle>> {
  const results = new Map<ArticlePlan, WrittenArticle>();
  if (plans.length === 0) return results;
  const now = storedDate(new Date());
  const publishedAt = (plan: ArticlePlan) => (plan.draft.publishedAt === null ? null : storedDate(plan.draft.publishedAt));
  const article = (plan: ArticlePlan, id: number): StoredArticle => ({
    id,
    slug: plan.slug,
    title: plan.draft.title,
    body: plan.draft.body,
    publishedAt: plan.draft.publishedAt,
    inputDigest: plan.digest,
  });

  const replaced = plans.filter((p) => p.existing);
  if (replaced.length > 0) {
    const ids = Prisma.join(replaced.map((p) => p.existing?.id ?? 0));
    for (const table of ['Position', 'Quote', 'Mention', 'ArticleTopic']) {
      await tx.$executeRaw`DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE "articleId" IN (${ids})`;
    }
    for (const plan of replaced) {
      const id = plan.existing?.id ?? 0;
      const { title, body, source, url } = plan.draft;
      await tx.$executeRaw`
        UPDATE "Article" SET "title" = ${title}, "body" = ${body}, "source" = ${source}, "url" = ${url},
               "publishedAt" = ${publishedAt(plan)}, "inputDigest" = ${plan.digest}, "updatedAt" = ${now}
         WHERE "id" = ${id}`;
      results.set(plan, { article: article(plan, id), outcome: 'replaced', actors: plan.resolutions, quoteIds: [] });
    }
  }
  const fresh = plans.filter((p) => !p.existing);
  const created = await insertRows(
    tx,
    'Article',
    ['slug', 'title', 'body', 'source', 'url', 'publishedAt', 'inputDigest', 'createdAt', 'updatedAt'],
    fresh.map((p) => [p.slug, p.draft.title, p.draft.body, p.draft.source, p.draft.url, publishedAt(p), p.digest, now, now]),
    ['id', 'slug'],
  );
  const idsBySlug = new Map(created.map((row) => [String(row.slug), Number(row.id)]));
  for (const plan of fresh) {
    const id = idsBySlug.get(plan.slug);
    if (id === undefined) throw new Error(`article ${plan.slug} was not created`);
    results.set(plan, { article: article(plan, id), outcome: 'created', actors: plan.resolutions, quoteIds: [] });
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
  const quotes = await insertRows(
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
    ['id'],
  );
  // RETURNING does not promise row order; ids do follow insertion order.
  const ids = quotes.map((row) => Number(row.id)).sort((a, b) => a - b);
  quoteRows.forEach(({ plan, index }, i) => {
    const list = quoteIds.get(plan);
    if (list) list[index] = ids[i] ?? 0;
  });
  for (const [plan, list] of quoteIds) {
    const result = results.get(plan);
    if (result) result.quoteIds = list;
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

/** Bound parameters per INSERT: well below SQLite's 32,766 and PostgreSQL's 65,535. */
const PARAMETERS_PER_INSERT = 6_000;

/**
 * Inserts rows with as few multi-row INSERTs as the bound-parameter limit allows (a batch's
 * mentions, about 15 an article, go in two or three statements). Values are bound as they are:
 * dates as storedDate's text, which both databases read into their date columns. With
 * `returning`, gives those columns of the new rows.
 */
async function insertRows(
  tx: Tx,
  table: string,
  columns: string[],
  rows: unknown[][],
  returning: string[] = [],
): Promise<Record<string, unknown>[]> {
  const returned: Record<string, unknown>[] = [];
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `);
  const tail = Prisma.raw(returning.length > 0 ? ` RETURNING ${returning.map((c) => `"${c}"`).join(', ')}` : '');
  const perInsert = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / columns.length));
  for (let start = 0; start < rows.length; start += perInsert) {
    const values = Prisma.join(rows.slice(start, start + perInsert).map((row) => Prisma.sql`(${Prisma.join(row)})`));
    if (returning.length > 0) returned.push(...(await tx.$queryRaw<Record<string, unknown>[]>`${head}${values}${tail}`));
    else await tx.$executeRaw`${head}${values}`;
  }
  return returned;
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
