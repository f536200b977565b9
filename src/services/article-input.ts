import { badUserInput } from '../errors.js';
import type { ActorInput, AddArticleInput, InputMaybe, QuoteInput } from '../generated/graphql.js';
import type { ActorKind, Origin, QuoteKind, Stance } from '../generated/prisma/enums.js';
import { nameKey, slugify } from '../text/names.js';
import { QuoteLocator, type QuoteSpan } from './quote-offsets.js';
import { assertCount, optionalText, requiredBody, requiredText } from './text.js';
import { INPUT_LIMITS } from '../input-limits.js';

/** A name as written, with the key it is matched on, and the input field it came from. */
export interface NameRef {
  text: string;
  key: string;
  field: string;
}

export interface ActorDraft {
  field: string;
  name: NameRef;
  kind: ActorKind;
  aliases: NameRef[];
  description: string | null;
  affiliation: NameRef | null;
  /**
   * Proposed by the extractor: merged into a stored actor it names, it only adds aliases (never
   * changes kind, description or affiliation), and a name that belongs to another actor is dropped
   * instead of rejected.
   */
  tentative?: boolean;
}

export interface QuoteDraft {
  field: string;
  text: string;
  kind: QuoteKind;
  speaker: NameRef | null;
  channel: string | null;
  startOffset: number | null;
  endOffset: number | null;
  origin: Origin;
  /** The extractor's confidence; null for annotated quotes. */
  confidence: number | null;
}

export interface PositionDraft {
  field: string;
  actor: NameRef;
  topic: NameRef;
  stance: Stance;
  summary: string;
  /** Index into the draft's quotes of the evidencing quote. */
  quoteIndex: number | null;
  origin: Origin;
  confidence: number | null;
}

export interface TopicDraft {
  name: string;
  slug: string;
  field: string;
}

/** An AddArticleInput that has passed every check that needs no database. */
export interface ArticleDraft {
  title: string;
  body: string;
  /** The slug as given; null means derive one from the title. */
  slug: string | null;
  source: string | null;
  url: string | null;
  publishedAt: Date | null;
  topics: TopicDraft[];
  actors: ActorDraft[];
  quotes: QuoteDraft[];
  positions: PositionDraft[];
}

/** The longest article body accepted (characters); longer bodies are almost certainly not one article. */
export const MAX_BODY_LENGTH = INPUT_LIMITS.bodyLength;
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function nameRef(field: string, value: string): NameRef {
  const text = requiredText(field, value, 'nameLength');
  return { text, key: nameKey(text), field };
}

export function parseUrl(field: string, value: string | null | undefined): string | null {
  const url = optionalText(field, value, 'urlLength');
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUserInput(field, `"${url}" is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw badUserInput(field, `"${url}" must be an http or https URL`);
  }
  return url;
}

export function parseSlug(field: string, value: string | null | undefined): string | null {
  const slug = optionalText(field, value, 'slugLength');
  if (slug !== null && !SLUG_PATTERN.test(slug)) {
    throw badUserInput(field, `"${slug}" must be lower-case letters and digits joined by single hyphens`);
  }
  return slug;
}

/** Checks one actor declaration; `field` is its input path, e.g. `input.actors[2]`. */
export function draftActor(actor: ActorInput, field: string): ActorDraft {
  const name = nameRef(`${field}.name`, actor.name);
  assertCount(`${field}.aliases`, actor.aliases, 'aliasesPerActor', 'aliases');
  const aliases: NameRef[] = [];
  const seen = new Set<string>();
  (actor.aliases ?? []).forEach((alias, j) => {
    const ref = nameRef(`${field}.aliases[${j}]`, alias);
    // Repeating the canonical name or an alias of the same actor is harmless; skip it.
    if (ref.key !== name.key && !seen.has(ref.key)) {
      seen.add(ref.key);
      aliases.push(ref);
    }
  });
  const affiliationText = optionalText(`${field}.affiliation`, actor.affiliation, 'nameLength');
  const affiliation = affiliationText === null ? null : nameRef(`${field}.affiliation`, affiliationText);
  if (affiliation && (affiliation.key === name.key || aliases.some((a) => a.key === affiliation.key))) {
    throw badUserInput(affiliation.field, `"${affiliation.text}" is the actor itself; an actor cannot be affiliated with itself`);
  }
  return {
    field,
    name,
    kind: actor.kind,
    aliases,
    description: optionalText(`${field}.description`, actor.description, 'descriptionLength'),
    affiliation,
  };
}

/** Checks a list of actor declarations, none of which may use another's name or alias. */
function draftActors(actors: readonly ActorInput[], prefix: string): ActorDraft[] {
  const declaredBy = new Map<string, string>();
  return actors.map((actor, i) => {
    const draft = draftActor(actor, `${prefix}[${i}]`);
    for (const ref of [draft.name, ...draft.aliases]) {
      const earlier = declaredBy.get(ref.key);
      if (earlier !== undefined) throw badUserInput(ref.field, `"${ref.text}" is already declared by ${earlier}`);
      declaredBy.set(ref.key, ref.field);
    }
    return draft;
  });
}

/**
 * Who made an item and how sure the extractor was: ANNOTATED unless the input says EXTRACTED (an
 * `extract` proposal posted back as it is), which must carry the extractor's confidence.
 */
function provenance(
  field: string,
  origin: InputMaybe<Origin> | undefined,
  confidence: InputMaybe<number> | undefined,
): { origin: Origin; confidence: number | null } {
  if (confidence != null && !(confidence >= 0 && confidence <= 1)) {
    throw badUserInput(`${field}.confidence`, `is ${confidence}; a confidence is a number from 0 to 1`);
  }
  const resolved = origin ?? 'ANNOTATED';
  if (resolved === 'EXTRACTED' && confidence == null) {
    throw badUserInput(`${field}.confidence`, "is required with origin EXTRACTED: an extracted item carries the extractor's confidence");
  }
  return { origin: resolved, confidence: confidence ?? null };
}

/** The span a quote input names by its offsets, checked against the body; null when it gives none. */
function givenSpan(field: string, quote: QuoteInput, text: string, body: string): QuoteSpan | null {
  const { startOffset, endOffset } = quote;
  if (startOffset == null && endOffset == null) return null;
  if (startOffset == null || endOffset == null) {
    throw badUserInput(`${field}.${startOffset == null ? 'startOffset' : 'endOffset'}`, 'is missing: give both offsets or neither');
  }
  if (startOffset < 0 || endOffset > body.length || startOffset >= endOffset) {
    throw badUserInput(
      `${field}.startOffset`,
      `${startOffset}..${endOffset} is not a span of the body, which has ${body.length} characters`,
    );
  }
  if (body.slice(startOffset, endOffset) !== text) {
    throw badUserInput(
      `${field}.startOffset`,
      `the body holds "${body.slice(startOffset, endOffset)}" at ${startOffset}..${endOffset}, not "${text}"`,
    );
  }
  return { startOffset, endOffset };
}

function draftQuotes(input: AddArticleInput, body: string): QuoteDraft[] {
  const quotes = input.quotes ?? [];
  const texts = quotes.map((quote, i) => {
    requiredText(`input.quotes[${i}].text`, quote.text, 'quoteLength');
    return quote.text.trim();
  });
  // Spans the input gives are claimed before any other quote is located, so a quote without
  // offsets never takes the occurrence another one names.
  const given = quotes.map((quote, i) => givenSpan(`input.quotes[${i}]`, quote, texts[i] ?? '', body));
  const locator = new QuoteLocator(body, new Set(given.flatMap((span) => (span ? [span.startOffset] : []))));
  return quotes.map((quote, i) => {
    const field = `input.quotes[${i}]`;
    const text = texts[i] ?? '';
    const span = given[i] ?? locator.locate(text, quote.kind);
    if (span === null && quote.kind !== 'INDIRECT') {
      throw badUserInput(
        `${field}.text`,
        body.includes(text)
          ? `"${text}" is already claimed by an earlier quote; it occurs in the body fewer times than it is quoted`
          : `"${text}" does not occur in the article body; a ${quote.kind} quote must be quoted verbatim`,
      );
    }
    const speakerText = optionalText(`${field}.speaker`, quote.speaker, 'nameLength');
    return {
      field,
      text,
      kind: quote.kind,
      speaker: speakerText === null ? null : nameRef(`${field}.speaker`, speakerText),
      channel: optionalText(`${field}.channel`, quote.channel, 'channelLength'),
      startOffset: span?.startOffset ?? null,
      endOffset: span?.endOffset ?? null,
      ...provenance(field, quote.origin, quote.confidence),
    };
  });
}

function draftTopics(input: AddArticleInput): TopicDraft[] {
  const topics: TopicDraft[] = [];
  (input.topics ?? []).forEach((topic, i) => {
    const field = `input.topics[${i}]`;
    const name = requiredText(field, topic, 'topicLength');
    const slug = slugify(name);
    if (slug === '') throw badUserInput(field, `"${name}" needs at least one letter or digit`);
    if (!topics.some((t) => t.slug === slug)) topics.push({ name, slug, field });
  });
  return topics;
}

function draftPositions(input: AddArticleInput, quotes: QuoteDraft[]): PositionDraft[] {
  return (input.positions ?? []).map((position, i) => {
    const field = `input.positions[${i}]`;
    const quoteText = optionalText(`${field}.quote`, position.quote, 'quoteLength');
    let quoteIndex: number | null = null;
    if (quoteText !== null) {
      const key = nameKey(quoteText);
      quoteIndex = quotes.findIndex((q) => nameKey(q.text) === key);
      if (quoteIndex === -1) {
        throw badUserInput(`${field}.quote`, `"${quoteText}" is not the text of one of the article's quotes`);
      }
    }
    return {
      field,
      actor: nameRef(`${field}.actor`, position.actor),
      topic: nameRef(`${field}.topic`, position.topic),
      stance: position.stance,
      summary: requiredText(`${field}.summary`, position.summary, 'summaryLength'),
      quoteIndex,
      ...provenance(field, position.origin, position.confidence),
    };
  });
}

/** Checks everything about an article that needs no database, so a bad input costs no I/O. */
export function draftArticle(input: AddArticleInput): ArticleDraft {
  // Counts first: they are cheap, and they bound the work of every check after them.
  assertCount('input.quotes', input.quotes, 'quotesPerArticle', 'quotes');
  assertCount('input.actors', input.actors, 'actorsPerArticle', 'actors');
  assertCount('input.topics', input.topics, 'topicsPerArticle', 'topics');
  assertCount('input.positions', input.positions, 'positionsPerArticle', 'positions');
  const body = requiredBody('input.body', input.body);
  const publishedAt = input.publishedAt ?? null;
  if (publishedAt !== null && Number.isNaN(publishedAt.getTime())) {
    throw badUserInput('input.publishedAt', 'is not a valid date-time');
  }
  const quotes = draftQuotes(input, body);
  return {
    title: requiredText('input.title', input.title, 'titleLength'),
    body,
    slug: parseSlug('input.slug', input.slug),
    source: optionalText('input.source', input.source, 'sourceLength'),
    url: parseUrl('input.url', input.url),
    publishedAt,
    topics: draftTopics(input),
    actors: draftActors(input.actors ?? [], 'input.actors'),
    quotes,
    positions: draftPositions(input, quotes),
  };
}
