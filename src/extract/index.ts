/**
 * The extractor: reads an article body and proposes its annotation (actors, quotes with speakers,
 * positions, topics) in the shape of AddArticleInput. Rules and word lists only, in-process, no
 * model and no network: lexicon.ts and gazetteer.ts hold the data, the other modules the rules.
 */
import { type Actor, findMentions } from './actors.js';
import { attributeQuotes, sentenceClauses, type FoundQuote, reportedStatements, resolve } from './attribution.js';
import type { ActorKind } from './gazetteer.js';
import { findPositions, type Stance } from './positions.js';
import { bySentence, segment } from './segment.js';

export interface ExtractedActor {
  name: string;
  kind: ActorKind;
  aliases: string[];
  description: string | null;
  affiliation: string | null;
}

export interface ExtractedQuote {
  text: string;
  kind: 'DIRECT' | 'PARTIAL' | 'INDIRECT';
  speaker: string | null;
  channel: string | null;
  startOffset: number;
  endOffset: number;
  confidence: number;
}

export interface ExtractedPosition {
  actor: string;
  topic: string;
  stance: Stance;
  summary: string;
  quote: string | null;
  confidence: number;
}

export interface Extraction {
  actors: ExtractedActor[];
  quotes: ExtractedQuote[];
  positions: ExtractedPosition[];
  topics: string[];
  /** What the extractor changed in its input to read it (a stray control character), in words. */
  warnings: string[];
}

// eslint-disable-next-line no-control-regex -- the control characters services/text.ts refuses to store
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const LISTED_OFFSETS = 5;

/**
 * Replaces each control character (other than tab and line breaks) by U+FFFD, one code unit for one,
 * so that every offset into the text still holds: a 0x83 byte left by a bad encoding must not cost
 * the article. Says what it replaced and where.
 */
export function replaceControlCharacters(text: string, field: string): { text: string; warning?: string } {
  const offsets: string[] = [];
  let count = 0;
  const replaced = text.replace(CONTROL_CHARACTERS, (char, offset: number) => {
    count++;
    if (offsets.length < LISTED_OFFSETS) offsets.push(`U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at ${offset}`);
    return '\uFFFD';
  });
  if (count === 0) return { text };
  const more = count > offsets.length ? ` and ${count - offsets.length} more` : '';
  const what = count === 1 ? 'control character' : 'control characters';
  return {
    text: replaced,
    warning: `${field}: ${count} ${what} (${offsets.join(', ')}${more}) read as U+FFFD, one for one, so offsets hold`,
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * Extracts the annotation of an article. The title is read first, as the opening paragraph (news
 * ledes often introduce the actors the body then calls "the tribunal"), but quotes are taken from
 * the body only, with offsets into the body.
 */
export function extract(rawBody: string, rawTitle?: string | null): Extraction {
  const cleanBody = replaceControlCharacters(rawBody, 'body');
  const cleanTitle = rawTitle ? replaceControlCharacters(rawTitle, 'title') : undefined;
  const warnings = [cleanTitle?.warning, cleanBody.warning].filter((warning) => warning !== undefined);
  const body = cleanBody.text;
  const title = cleanTitle?.text;
  const heading = title?.trim() ? `${title.trim()}\n` : '';
  const segmented = segment(heading + body);
  const mentions = findMentions(segmented);
  const direct = attributeQuotes(segmented, mentions);
  const indirect = reportedStatements(segmented, mentions, direct);
  const quotes = [...direct, ...indirect]
    .filter((quote) => quote.start >= heading.length)
    .sort((a, b) => a.start - b.start || (a.kind === 'INDIRECT' ? 1 : -1));
  const positions = findPositions(segmented, mentions, direct);

  // Who is involved: speakers, actors taking positions, subjects of verbs, confirmed people, and
  // the organizations and countries those belong to. A place or a name in passing is not an actor.
  const involved = new Set<Actor>();
  const quotesBySentence = bySentence(quotes);
  for (const quote of quotes) if (quote.speaker) involved.add(quote.speaker);
  for (const position of positions) involved.add(position.actor);
  for (const sentence of segmented.sentences) {
    const sentenceMentions = mentions.bySentence[sentence.index] ?? [];
    const quoted = sentence.quoted;
    for (const clause of sentenceClauses(sentence, mentions)) {
      const actor = resolve(clause.subject, sentence.index, mentions, segmented);
      // A group acts as an actor when it speaks or is named as one ("Authorities are concerned"), not as "several passengers have".
      // A person known only by the shape of a name ("Virgin Train Pendolino was") counts only when speaking.
      const kind = clause.subject.actor.kind;
      const named =
        clause.reporting ||
        (!clause.subject.pronoun &&
          (kind === 'GROUP'
            ? /^\p{Lu}/u.test(sentence.tokens[clause.subject.first]?.text ?? '')
            : kind !== 'PERSON' || clause.subject.actor.confirmed));
      if (actor && named) involved.add(actor);
      // "Taiwan and Vietnam have also done so": both conjuncts are subjects.
      const before = sentenceMentions.find((m) => m.last === clause.subject.first - 2 && sentence.tokens[m.last + 1]?.lower === 'and');
      if (before && !before.pronoun && named) involved.add(before.actor);
    }
    // "operated by Virgin Trains": an organization acting in the passive.
    for (const mention of sentenceMentions) {
      if (mention.actor.kind === 'ORGANIZATION' && sentence.tokens[mention.first - 1]?.lower === 'by' && !quoted[mention.first])
        involved.add(mention.actor);
    }
    // "CCTV reported": an outlet named as a channel reports.
    for (const quote of quotesBySentence.get(sentence.index) ?? []) {
      const media = sentenceMentions.find((m) => m.actor.kind === 'MEDIA' && m.actor.name === quote.channel);
      if (media) involved.add(media.actor);
    }
  }
  for (const actor of mentions.registry.all) if (actor.kind === 'PERSON' && actor.confirmed) involved.add(actor);
  for (const actor of [...involved]) {
    for (let parent = actor.affiliation; parent && !involved.has(parent); parent = parent.affiliation) involved.add(parent);
  }
  const actors = mentions.registry.all.filter((actor) => involved.has(actor) && actor.name);

  return {
    actors: actors.map((actor) => ({
      name: actor.name,
      kind: actor.kind,
      aliases: [...actor.aliases].filter((alias) => alias.toLowerCase() !== actor.name.toLowerCase()),
      description: actor.description ?? null,
      affiliation: actor.affiliation && involved.has(actor.affiliation) ? actor.affiliation.name : null,
    })),
    quotes: quotes.map((quote: FoundQuote) => ({
      text: quote.text,
      kind: quote.kind,
      speaker: quote.speaker?.name ?? null,
      channel: quote.channel ?? null,
      startOffset: quote.start - heading.length,
      endOffset: quote.end - heading.length,
      confidence: round(quote.confidence),
    })),
    positions: positions.map((position) => ({
      actor: position.actor.name,
      topic: position.topic,
      stance: position.stance,
      summary: position.summary,
      quote: position.quote && position.quote.start >= heading.length ? position.quote.text : null,
      confidence: round(position.confidence),
    })),
    topics: [...new Set(positions.map((position) => position.topic))],
    warnings,
  };
}
