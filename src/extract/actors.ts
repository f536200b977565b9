/**
 * Finds who an article mentions: named actors (people, countries, organizations, media), the
 * descriptions that stand for them ("a spokeswoman for the British Transport Police", "French
 * officials", "Witnesses") and pronouns, and merges every surface form of one actor ("Chinese
 * President Xi Jinping", "President Xi", "Xi") into one record.
 */
import { nameKey } from '../text/names.js';
import { type ActorKind, LONGEST_FORM, lookUp } from './gazetteer.js';
import {
  ADVERBS,
  AFFILIATION_PREPOSITIONS,
  COMMON_VERBS,
  PAIRED_WORDS,
  COMPANY_WORDS,
  NAME_SUFFIXES,
  REPORTING_VERBS,
  GOVERNMENT_NOUNS,
  SOURCE_NOUNS,
  GROUP_NOUNS,
  LEADS,
  MEDIA_WORDS,
  NEVER_NAMES,
  NON_ACTOR_WORDS,
  ORGANIZATION_WORDS,
  PERSON_TITLES,
  PLATFORMS,
  ROLE_NOUNS,
  QUOTE_TAG_VERBS,
  SPEECH_VERBS,
  SPOKESPERSON_NOUNS,
} from './lexicon.js';
import { type Segmented, type Sentence, skipAdverbs, skipBracketTag, type Token } from './segment.js';

export interface Actor {
  key: string;
  name: string;
  kind: ActorKind;
  aliases: Set<string>;
  description?: string;
  affiliation?: Actor;
  /** Speaks, takes a position, acts as a subject, or is another involved actor's affiliation. */
  involved: boolean;
  /** A name whose kind rests on evidence (a title, an apposition, the gazetteer), not on its shape alone. */
  confirmed: boolean;
  /** Where the actor was last mentioned (sentence index), for pronoun and title resolution. */
  lastSeen: number;
}

export interface Mention {
  actor: Actor;
  sentence: number;
  /** First and last token of the mention in its sentence (inclusive). */
  first: number;
  last: number;
  pronoun?: 'he' | 'she' | 'they' | 'it';
  /** Which head a description used ("minister", "ministry"), for "the minister said". */
  role?: string;
}

const PRONOUNS: Readonly<Record<string, Mention['pronoun']>> = { he: 'he', she: 'she', they: 'they', it: 'it' };
const CONNECTORS = new Set(['of', 'for', 'on', 'and', '&', 'de', 'the']);

export class ActorRegistry {
  private readonly byKey = new Map<string, Actor>();
  /** Folded keys of the forms asked about, worked out once each: byForm asks for every actor's names on every call. */
  private readonly keys = new Map<string, string>();
  /** People with a name of several words, by each word of it: what a surname alone refers to. */
  private readonly peopleByWord = new Map<string, Actor[]>();

  private keyOf(form: string): string {
    let key = this.keys.get(form);
    if (key === undefined) {
      key = nameKey(form);
      this.keys.set(form, key);
    }
    return key;
  }

  /** The actors, without copying them into an array. */
  values(): IterableIterator<Actor> {
    return this.byKey.values();
  }

  get all(): Actor[] {
    return [...this.byKey.values()];
  }

  upsert(name: string, kind: ActorKind, sentence: number, surface?: string): Actor {
    const key = kind === 'PERSON' || kind === 'GROUP' ? this.keyOf(name) : `${kind}:${this.keyOf(name)}`;
    let actor = this.byKey.get(key);
    if (!actor) {
      actor = { key, name, kind, aliases: new Set(), involved: false, confirmed: false, lastSeen: sentence };
      this.byKey.set(key, actor);
      if (kind === 'PERSON' && name.includes(' ')) {
        for (const word of new Set(name.split(' '))) {
          const people = this.peopleByWord.get(word);
          if (people) people.push(actor);
          else this.peopleByWord.set(word, [actor]);
        }
      }
    }
    actor.lastSeen = Math.max(actor.lastSeen, sentence);
    if (surface && this.keyOf(surface) !== this.keyOf(actor.name)) actor.aliases.add(surface);
    return actor;
  }

  /** A person already known by a longer name that contains this word ("Xi" in "Xi Jinping", "Branson"). */
  personByWord(word: string): Actor | undefined {
    let best: Actor | undefined;
    for (const actor of this.peopleByWord.get(word) ?? []) {
      if (!actor.confirmed || this.byKey.get(actor.key) !== actor) continue;
      if (!best || actor.lastSeen > best.lastSeen) best = actor;
    }
    return best;
  }

  /** An actor any of whose names is this form. */
  byForm(form: string): Actor | undefined {
    const key = this.keyOf(form);
    for (const actor of this.byKey.values()) {
      if (this.keyOf(actor.name) === key) return actor;
      for (const alias of actor.aliases) if (this.keyOf(alias) === key) return actor;
    }
    return undefined;
  }

  /** The most recent organization whose name ends with (or contains) this head noun: "the ministry", "the tribunal". */
  organizationByHead(head: string): Actor | undefined {
    let best: Actor | undefined;
    for (const actor of this.byKey.values()) {
      if (actor.kind !== 'ORGANIZATION' && actor.kind !== 'MEDIA') continue;
      const forms = [actor.name, ...actor.aliases].map((form) => form.toLowerCase());
      if (forms.some((form) => form.split(/\s+/).includes(head)) && (!best || actor.lastSeen > best.lastSeen)) best = actor;
    }
    return best;
  }

  /** An organization whose name starts with this word ("Virgin" for Virgin Trains, "Norland" for Norland Motors). */
  organizationByFirstWord(word: string): Actor | undefined {
    for (const actor of this.byKey.values()) {
      if ((actor.kind === 'ORGANIZATION' || actor.kind === 'MEDIA') && actor.name.includes(' ') && actor.name.split(' ')[0] === word)
        return actor;
    }
    return undefined;
  }

  /** The organization mentioned last: what "the company" refers to. */
  latestOrganization(): Actor | undefined {
    let best: Actor | undefined;
    for (const actor of this.byKey.values()) if (actor.kind === 'ORGANIZATION' && (!best || actor.lastSeen > best.lastSeen)) best = actor;
    return best;
  }

  /** The most recent person introduced with this role word ("the minister", "the spokesman"). */
  personByRole(role: string): Actor | undefined {
    let best: Actor | undefined;
    for (const actor of this.byKey.values()) {
      if (actor.kind !== 'PERSON') continue;
      const described = [actor.description ?? '', ...actor.aliases].some((text) => text.toLowerCase().split(/\s+/).includes(role));
      if (described && (!best || actor.lastSeen > best.lastSeen)) best = actor;
    }
    return best;
  }

  /** Folds actor `from` into `into` (a surname first seen alone, later seen in full). */
  merge(from: Actor, into: Actor): void {
    if (from === into) return;
    into.aliases.add(from.name);
    for (const alias of from.aliases) into.aliases.add(alias);
    into.involved ||= from.involved;
    into.lastSeen = Math.max(into.lastSeen, from.lastSeen);
    this.byKey.delete(from.key);
    for (const actor of this.byKey.values()) if (actor.affiliation === from) actor.affiliation = into;
  }
}

const isAcronym = (token: Token) => /^(?:\p{Lu}{2,6}\d?|(?:\p{Lu}\.){2,})$/u.test(token.text);
const isNameWord = (token: Token) => token.capitalized && !/^\d/.test(token.text);
/** "McCain", "O’Malley", an initial ("T."), a suffix ("Jr.", "II"): the words a person's name is made of. */
const isPersonNameWord = (token: Token) =>
  /^\p{Lu}[\p{L}'’-]*\p{Ll}[\p{L}'’-]*$/u.test(token.text) || /^\p{Lu}\.$/u.test(token.text) || NAME_SUFFIXES.has(token.lower);
/** A name of people's name words that starts and ends with a full word ("Joseph R. Biden Jr.", not "T. Hale"). */
const isPersonName = (words: Token[]) =>
  words.every(isPersonNameWord) &&
  words.length - words.filter((word) => /\.$/.test(word.text) || NAME_SUFFIXES.has(word.lower)).length >= 2 &&
  !/^\p{Lu}\.$/u.test(words.at(-1)?.text ?? '');
const titleCase = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Words that start a sentence with a capital only because they start it: function words, role and
 * group nouns, and any word the article also writes in lower case ("Hospital reports" beside "in hospital").
 */
function commonWordsOf(body: string): Set<string> {
  const lower = new Set<string>();
  for (const match of body.matchAll(/(?<![\p{L}'’])\p{Ll}[\p{L}-]*/gu)) lower.add(match[0]);
  return lower;
}

interface Chunk {
  first: number;
  last: number;
}

/** Runs of capitalized words, joined across "of", "for", "and" inside organization names and around "(ACRONYM)". */
function chunksOf(tokens: Token[], quoted: boolean[], common: Set<string>): Chunk[] {
  const chunks: Chunk[] = [];
  let i = 0;
  const startsName = (k: number) => {
    const token = tokens[k];
    if (!token || quoted[k] || !isNameWord(token)) return false;
    const sentenceStart = k === 0 || (tokens[k - 1]?.text ?? '').match(/^[“"‘(]$/) !== null;
    if (NEVER_NAMES.has(token.lower) && !isAcronym(token)) return false;
    // "the Nairobi-based Institute of Fiscal Studies": a place modifier, not part of the name.
    if (/-based$/i.test(token.text)) return false;
    if (sentenceStart && common.has(token.lower)) return false;
    return true;
  };
  while (i < tokens.length) {
    if (!startsName(i)) {
      i++;
      continue;
    }
    let last = i;
    for (;;) {
      const next = tokens[last + 1];
      // "Royal Air Force Sea King helicopters": an organization's name ends at its organization word.
      const endsOrganization = ORGANIZATION_WORDS.has(tokens[last]?.lower ?? '') && NON_ACTOR_WORDS.has(next?.lower ?? '');
      if (next && startsName(last + 1) && !endsOrganization) {
        last++;
        continue;
      }
      // "United Nations (UN) tribunal": an acronym in brackets stays inside the name.
      if (next?.text === '(' && tokens[last + 2] && isAcronym(tokens[last + 2] as Token) && tokens[last + 3]?.text === ')') {
        last += 3;
        continue;
      }
      const previous = tokens[last]?.lower ?? '';
      const joinable =
        next &&
        CONNECTORS.has(next.lower) &&
        (next.lower === 'and' || next.lower === '&'
          ? PAIRED_WORDS.has(previous)
          : ORGANIZATION_WORDS.has(previous) || NON_ACTOR_WORDS.has(previous));
      if (joinable) {
        let k = last + 2;
        if (tokens[k]?.lower === 'the') k++;
        if (startsName(k)) {
          last = k;
          continue;
        }
      }
      break;
    }
    chunks.push({ first: i, last });
    i = last + 1;
  }
  return chunks;
}

/** Lower-case role words right before token `at` ("NATO chief", "the driver", "senior party official"), and what precedes them. */
function roleBefore(tokens: Token[], at: number): { role: string[]; from: number } {
  const role: string[] = [];
  let k = at - 1;
  while (k >= 0) {
    const token = tokens[k] as Token;
    if (!token.capitalized && ROLE_NOUNS.has(token.lower)) role.unshift(token.text);
    else if (!token.capitalized && token.lower === 'old' && /year/.test(tokens[k - 1]?.lower ?? '')) {
      role.unshift('year old');
      k--;
    } else break;
    k--;
  }
  return { role, from: k + 1 };
}

export interface ArticleMentions {
  registry: ActorRegistry;
  /** Mentions per sentence, in order. */
  bySentence: Mention[][];
}

/** Every mention in the article, sentence by sentence, resolved to actors. */
export function findMentions(segmented: Segmented): ArticleMentions {
  const registry = new ActorRegistry();
  const common = commonWordsOf(segmented.body);
  const bySentence: Mention[][] = [];
  for (const sentence of segmented.sentences) {
    const mentions = mentionsInSentence(sentence, sentence.quoted, common, registry);
    mentions.sort((a, b) => a.first - b.first);
    bySentence.push(mentions);
  }
  return { registry, bySentence };
}

/** What the rules for one sentence's mentions share: its tokens, the registry, and the mentions found so far. */
interface SentenceScan {
  sentence: Sentence;
  tokens: Token[];
  quoted: boolean[];
  common: Set<string>;
  registry: ActorRegistry;
  /** The sentence's index. */
  at: number;
  mentions: Mention[];
  /** Per token: already part of a mention. */
  taken: boolean[];
  surface: (first: number, last: number) => string;
  add: (mention: Mention) => Mention;
}

/**
 * The mentions of one sentence, found in passes: capitalized names first (each chunk through
 * NAME_RULES), then lower-case descriptions of organizations and groups, then pronouns and
 * described people, and last the affiliations that appositions state.
 */
function mentionsInSentence(sentence: Sentence, quoted: boolean[], common: Set<string>, registry: ActorRegistry): Mention[] {
  const { tokens } = sentence;
  const mentions: Mention[] = [];
  const taken = new Array<boolean>(tokens.length).fill(false);
  const scan: SentenceScan = {
    sentence,
    tokens,
    quoted,
    common,
    registry,
    at: sentence.index,
    mentions,
    taken,
    surface: (first, last) =>
      sentence.text.slice((tokens[first] as Token).start - sentence.start, (tokens[last] as Token).end - sentence.start),
    add: (mention) => {
      for (let k = mention.first; k <= mention.last; k++) taken[k] = true;
      mentions.push(mention);
      return mention;
    },
  };
  for (const chunk of chunksOf(tokens, quoted, common)) {
    const name = nameChunk(scan, chunk);
    if (name) for (const rule of NAME_RULES) if (rule(scan, name)) break;
  }
  describedGroupsAndOrganizations(scan);
  pronounsAndDescribedPeople(scan);
  appositionAffiliations(scan);
  leaderAffiliations(scan);
  return mentions;
}

/** A chunk of name words with the titles before it split off ("Chinese President Xi Jinping" → Xi Jinping, titled). */
interface NameChunk {
  chunk: Chunk;
  /** The name proper, after its titles. */
  first: number;
  last: number;
  titles: string[];
  /** A gazetteer name before the title ("Chinese" in "Chinese President Xi Jinping"). */
  affiliation?: Actor;
  text: string;
  words: Token[];
  head: string;
  /** Lower-case role words before the chunk ("NATO chief"), when there are any. */
  before: { role: string[]; from: number };
  prefix?: { role: string[]; from: number };
  afterChunk?: Token;
  /** A title or a role says the name is a person's. */
  titled: boolean;
}

/** Splits a chunk's titles from its name; undefined when the chunk is a title alone. */
function nameChunk({ tokens, registry, at, add, surface }: SentenceScan, chunk: Chunk): NameChunk | undefined {
  let first = chunk.first;
  const last = chunk.last;
  // Capitalized titles at the front: "Chinese President Xi Jinping", "Mr Branson", "Teenagers Irma".
  let affiliation: Actor | undefined;
  const titles: string[] = [];
  const gazetteerPrefix = longestGazetteerMatch(tokens, first, last);
  if (gazetteerPrefix && gazetteerPrefix.last < last && titleRunEnd(tokens, gazetteerPrefix.last + 1, last) >= 0) {
    affiliation = registry.upsert(gazetteerPrefix.entry.name, gazetteerPrefix.entry.kind, at, gazetteerPrefix.text);
    add({ actor: affiliation, sentence: at, first, last: gazetteerPrefix.last });
    first = gazetteerPrefix.last + 1;
  }
  // "Florida Sen. Marco Rubio", "Republican Gov. Ann Holt": capitalized modifiers of the title belong to it.
  if (!gazetteerPrefix || gazetteerPrefix.last >= last) {
    const modified = modifiedTitleStart(tokens, first, last);
    while (first < modified) titles.push((tokens[first++] as Token).text);
  }
  // "Foreign Minister Dmytro Kuleba", "Prime Minister …": role words up to the last title word.
  const titleEnd = titleRunEnd(tokens, first, last);
  while (first <= titleEnd && first < last) titles.push((tokens[first++] as Token).text);
  if (first === last && PERSON_TITLES.has((tokens[first] as Token).lower)) return undefined;
  const before = roleBefore(tokens, chunk.first);
  const prefix = before.role.length > 0 ? before : undefined;
  return {
    chunk,
    first,
    last,
    titles,
    affiliation,
    text: surface(first, last),
    words: tokens.slice(first, last + 1),
    head: (tokens[last] as Token).lower,
    before,
    prefix,
    afterChunk: tokens[last + 1],
    titled: titles.length > 0 || prefix !== undefined,
  };
}

/** A rule for a name chunk: true when it settled the chunk (found its mention, or found it is none). */
type NameRule = (scan: SentenceScan, name: NameChunk) => boolean;

/**
 * The whole chunk in the gazetteer: a country, an international organization, an outlet. "Mark
 * Cuban … Cuban said": a surname already known is the person, even when it is also a demonym.
 */
const gazetteerName: NameRule = ({ registry, at, add, mentions, taken }, { first, last, words, titles, text, afterChunk }) => {
  const surnameOf = words.length === 1 && titles.length === 0 ? registry.personByWord(text) : undefined;
  const entry = surnameOf ? undefined : lookUp(text);
  if (!entry) return false;
  const actor = registry.upsert(entry.name, entry.kind, at, text);
  actor.confirmed = true;
  // "the Chinese government", "French officials": a demonym with a government noun is the country acting.
  const government = entry.form === 'demonym' && afterChunk !== undefined && GOVERNMENT_NOUNS.has(afterChunk.lower);
  add({ actor, sentence: at, first, last, role: government ? 'government' : undefined });
  if (government) {
    actor.aliases.add(`${text} ${afterChunk.text}`);
    (mentions.at(-1) as Mention).last = last + 1;
    taken[last + 1] = true;
  }
  return true;
};

/**
 * Places, buildings, documents and dates are not actors; a lone generic word ("Court") is no name.
 * A title makes a person even of a name that looks like a place ("Prime Minister Ellen Park").
 * "United Nations (UN) tribunal", "Russia's foreign ministry" are left to the descriptions.
 */
const notAnActor: NameRule = (_, { text, words, head, titled, titles, afterChunk }) => {
  if (PLATFORMS.has(text.toLowerCase())) return true;
  if ((!titled && NON_ACTOR_WORDS.has(head)) || (words.length === 1 && (ORGANIZATION_WORDS.has(head) || MEDIA_WORDS.has(head))))
    return true;
  const lowerAfter = afterChunk && !afterChunk.capitalized ? afterChunk.lower : '';
  return titles.length === 0 && (NON_ACTOR_WORDS.has(lowerAfter) || ORGANIZATION_WORDS.has(lowerAfter));
};

/** "in an interview with the Daily Nation": whoever gives an interview its name here is an outlet. */
const interviewOutlet: NameRule = ({ tokens, registry, at, add }, { chunk, first, last, text, titled }) => {
  const interviewer = tokens[chunk.first - 1]?.lower === 'the' ? chunk.first - 2 : chunk.first - 1;
  if (titled || tokens[interviewer]?.lower !== 'with' || !/^interviews?$/.test(tokens[interviewer - 1]?.lower ?? '')) return false;
  const actor = registry.upsert(text, 'MEDIA', at);
  actor.confirmed = true;
  add({ actor, sentence: at, first, last });
  return true;
};

/** A name with an organization word ("Riverside Residents Association") or an outlet's ("Halden Courier"). */
const organizationName: NameRule = (
  { tokens, registry, at, add, mentions },
  { first, last, words, head, text, titles, prefix, before },
) => {
  const organizationWord = words.some((word) => ORGANIZATION_WORDS.has(word.lower));
  const mediaWord = MEDIA_WORDS.has(head) || (prefix?.role.some((role) => /broadcaster|newspaper|agency/i.test(role)) ?? false);
  if (!mediaWord && !(organizationWord && titles.length === 0)) return false;
  const actor = registry.upsert(stripBrackets(text), mediaWord ? 'MEDIA' : 'ORGANIZATION', at, text);
  actor.confirmed = true;
  for (const word of words) if (isAcronym(word) && words.length > 1 && words[0] === word) actor.aliases.add(word.text);
  const acronym = acronymAfter(tokens, last);
  if (acronym) actor.aliases.add(acronym);
  if (prefix) describe(actor, prefix.role, tokens, before.from, mentions);
  add({ actor, sentence: at, first, last });
  return true;
};

/** "IG Metall, the German metalworkers' union,": an apposition that says what kind of body it is. */
const appositiveOrganization: NameRule = ({ tokens, registry, at, add }, { first, last, text, titled }) => {
  const appositive = appositionRole(tokens, last, true);
  if (!appositive || titled || !(ORGANIZATION_WORDS.has(appositive.head) || COMPANY_WORDS.has(appositive.head))) return false;
  const actor = registry.upsert(text, 'ORGANIZATION', at);
  actor.confirmed = true;
  actor.description ??= titleCase(appositive.phrase);
  add({ actor, sentence: at, first, last });
  return true;
};

/** One word: a known person's name, an acronym, a first name sharing a surname, a titled or speaking name, or nothing. */
const singleWordName: NameRule = (scan, name) => {
  const { tokens, registry, at, add, surface, mentions, quoted } = scan;
  const { chunk, first, last, words, titles, prefix, before, afterChunk } = name;
  if (words.length !== 1) return false;
  const word = words[0] as Token;
  const known = registry.personByWord(word.text) ?? registry.byForm(word.text) ?? registry.organizationByFirstWord(word.text);
  if (known) {
    known.lastSeen = at;
    if (titles.length > 0 || prefix) known.aliases.add(surface(titles.length > 0 ? chunk.first : first, last));
    add({ actor: known, sentence: at, first: chunk.first, last });
    return true;
  }
  // "Teenagers Irma and David Soyos": a first name coordinated with a full name shares its surname.
  const partner = tokens[last + 2];
  const partnerLast = tokens[last + 3];
  if (
    afterChunk?.lower === 'and' &&
    partner &&
    partnerLast &&
    isNameWord(partner) &&
    isNameWord(partnerLast) &&
    (titles.length > 0 || prefix)
  ) {
    const actor = registry.upsert(`${word.text} ${partnerLast.text}`, 'PERSON', at, word.text);
    actor.confirmed = true;
    registry.upsert(`${partner.text} ${partnerLast.text}`, 'PERSON', at).confirmed = true;
    if (prefix) describe(actor, prefix.role, tokens, before.from, mentions);
    add({ actor, sentence: at, first: chunk.first, last });
    return true;
  }
  if (isAcronym(word)) {
    add({ actor: registry.upsert(word.text, 'ORGANIZATION', at), sentence: at, first, last });
    return true;
  }
  if (titles.length > 0 || prefix || speaksAsName(tokens, chunk.first, last, quoted)) {
    const actor = registry.upsert(word.text, 'PERSON', at, surface(chunk.first, last));
    actor.confirmed = true;
    add({ actor, sentence: at, first: chunk.first, last });
  }
  return true;
};

/** Two to five name words: a person, confirmed when a title, a role, an apposition or a speech verb says so. */
const personName: NameRule = (scan, name) => {
  const { tokens, registry, at, add, surface, mentions, quoted } = scan;
  const { chunk, last, words, text, titles, prefix, before, affiliation } = name;
  if (words.length > 5 || !isPersonName(words)) return false;
  const apposition = appositionRole(tokens, last);
  const roleComma = tokens[chunk.first - 1]?.text === ',' ? roleBefore(tokens, chunk.first - 1) : undefined;
  const actor = registry.upsert(
    text,
    'PERSON',
    at,
    titles.length > 0 || prefix ? surface(prefix ? before.from : chunk.first, last) : undefined,
  );
  // A surname seen alone earlier ("Zelensky" before "Volodymyr Zelensky") is the same person.
  for (const other of [...registry.values()].filter((candidate) => !candidate.name.includes(' '))) {
    if (other !== actor && other.kind === 'PERSON' && !other.name.includes(' ') && words.some((word) => word.text === other.name))
      registry.merge(other, actor);
  }
  if (
    titles.length > 0 ||
    prefix ||
    apposition ||
    (roleComma && roleComma.role.length > 0) ||
    speaksAsName(tokens, chunk.first, last, quoted)
  )
    actor.confirmed = true;
  if (titles.length > 0 && !actor.description) actor.description = titles.join(' ');
  if (prefix) describe(actor, prefix.role, tokens, before.from, mentions);
  else if (roleComma && roleComma.role.length > 0) describe(actor, roleComma.role, tokens, roleComma.from, mentions);
  else if (apposition) actor.description ??= apposition;
  if (affiliation) actor.affiliation ??= affiliation;
  add({ actor, sentence: at, first: chunk.first, last });
  return true;
};

/** The rules for a chunk of name words, in the order they are tried. */
const NAME_RULES: readonly NameRule[] = [
  gazetteerName,
  notAnActor,
  interviewOutlet,
  organizationName,
  appositiveOrganization,
  singleWordName,
  personName,
];

/**
 * Descriptions in lower case: organizations and groups ("Russia's foreign ministry", "the
 * tribunal", "French officials", "Witnesses"), before people, so that people described by them can
 * point at them ("a spokeswoman for the British Transport Police").
 */
function describedGroupsAndOrganizations({
  sentence,
  tokens,
  quoted,
  common,
  registry,
  at,
  mentions,
  taken,
  surface,
  add,
}: SentenceScan): void {
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k] as Token;
    if (taken[k] || quoted[k] || !token.isWord) continue;
    const lower = token.lower;
    if ((ORGANIZATION_WORDS.has(lower) || (COMPANY_WORDS.has(lower) && tokens[k - 1]?.lower === 'the')) && !token.capitalized) {
      const mention = describedOrganization(tokens, k, sentence, registry, mentions, surface, common);
      if (mention) add(mention);
      continue;
    }
    // "Hospital reports … indicate": a common noun at the start of a sentence, as the source of reports.
    if (
      SOURCE_NOUNS.has(lower) &&
      k > 0 &&
      k <= 2 &&
      tokens.slice(0, k).every((t, i) => t.isWord && !taken[i] && !NEVER_NAMES.has(t.lower)) &&
      (tokens[0] as Token).capitalized
    ) {
      if (tokens.slice(0, k).every((t) => !GROUP_NOUNS.has(t.lower))) {
        add({ actor: registry.upsert(surface(0, k - 1), 'GROUP', at), sentence: at, first: 0, last: k - 1, role: 'group' });
        continue;
      }
    }
    if (GROUP_NOUNS.has(lower) && (!token.capitalized || k === 0 || !startsNameBefore(tokens, k))) {
      const previous = mentions.find((m) => m.last === k - 1 && m.actor.kind === 'COUNTRY');
      if (previous && GOVERNMENT_NOUNS.has(lower)) {
        previous.last = k;
        previous.role = 'government';
        previous.actor.aliases.add(surface(previous.first, k));
        taken[k] = true;
        continue;
      }
      const from = groupNameStart(tokens, k, quoted);
      if (from === k && (tokens[k - 1]?.lower === 'first' || !/s$/.test(lower))) continue;
      const name = titleCase(surface(from, k));
      add({ actor: registry.upsert(name, 'GROUP', at), sentence: at, first: from, last: k, role: 'group' });
    }
  }
}

/** Pronouns (resolved later) and people described by a role ("a spokeswoman for the ministry", "the minister"). */
function pronounsAndDescribedPeople({ sentence, tokens, quoted, registry, at, mentions, taken, add }: SentenceScan): void {
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k] as Token;
    if (taken[k] || quoted[k] || !token.isWord) continue;
    const lower = token.lower;
    const pronoun = PRONOUNS[lower];
    if (pronoun) {
      add({ actor: PLACEHOLDER, sentence: at, first: k, last: k, pronoun });
      continue;
    }
    if (SPOKESPERSON_NOUNS.has(lower) || PERSON_TITLES.has(lower)) {
      const mention = describedPerson(tokens, k, sentence, registry, mentions);
      if (mention) {
        add(mention);
        k = mention.last;
      }
    }
  }
}

/** "Peter Quist, an auto analyst at Halvorsen Bank,": the organization in a person's apposition. */
function appositionAffiliations({ tokens, mentions }: SentenceScan): void {
  for (const person of mentions) {
    if (person.actor.kind !== 'PERSON' || person.pronoun || !appositionRole(tokens, person.last)) continue;
    const close = tokens.findIndex((token, k) => k > person.last + 1 && (token.text === ',' || token.text === '.'));
    const end = close < 0 ? tokens.length : close;
    const at = tokens.findIndex((token, k) => k > person.last + 2 && k < end && AFFILIATION_PREPOSITIONS.has(token.lower));
    if (at < 0) continue;
    let start = tokens[at + 1]?.lower === 'the' ? at + 2 : at + 1;
    if (/-based$/i.test(tokens[start]?.text ?? '')) start += 1;
    const organization = mentions.find(
      (mention) =>
        mention.first === start && mention.last < end && (mention.actor.kind === 'ORGANIZATION' || mention.actor.kind === 'MEDIA'),
    );
    if (organization) person.actor.affiliation ??= organization.actor;
  }
}

/** "Daniel Weiss, who leads the Riverside Residents Association": the organization the person belongs to. */
function leaderAffiliations({ tokens, mentions }: SentenceScan): void {
  for (const person of mentions) {
    if (person.actor.kind !== 'PERSON' || person.pronoun) continue;
    if (tokens[person.last + 1]?.text !== ',' || tokens[person.last + 2]?.lower !== 'who') continue;
    if (!LEADS.has(tokens[person.last + 3]?.lower ?? '')) continue;
    const start = tokens[person.last + 4]?.lower === 'the' ? person.last + 5 : person.last + 4;
    const organization = mentions.find((mention) => mention.first === start && mention.actor.kind === 'ORGANIZATION');
    if (organization) {
      person.actor.affiliation ??= organization.actor;
      person.actor.confirmed = true;
    }
  }
}

/**
 * Where a group's name starts: "Western government officials", "North Carolina election officials",
 * "Cyber security experts", "Clinton aides": modifiers before the group noun belong to its name when
 * the first of them is capitalized; lower-case ones alone ("many officials") do not.
 */
function groupNameStart(tokens: Token[], k: number, quoted: boolean[]): number {
  let from = k;
  for (let j = k - 1; j >= Math.max(0, k - GROUP_MODIFIERS); j--) {
    const token = tokens[j] as Token;
    if (!token.isWord || quoted[j] || NEVER_NAMES.has(token.lower) || GROUP_NOUNS.has(token.lower)) break;
    if (!token.capitalized && (ADVERBS.has(token.lower) || COMMON_VERBS.has(token.lower) || /(ly|ed|ing)$/.test(token.lower))) break;
    if (token.capitalized) from = j;
  }
  return from;
}

const GROUP_MODIFIERS = 4;

/** Whether the word before `k` could begin a name ("Clinton Democrats"), not "Many Democrats". */
const startsNameBefore = (tokens: Token[], k: number) => {
  const previous = tokens[k - 1];
  return !!previous && isNameWord(previous) && !NEVER_NAMES.has(previous.lower);
};

/**
 * A bare name that speaks is a person's: the subject of a speech verb ("Marsh said"), or the name
 * after one ("said Okoro") or after "according to".
 */
function speaksAsName(tokens: Token[], first: number, last: number, quoted: boolean[]): boolean {
  // "Sources said", "Aides acknowledged": a group noun that opens the sentence is a group, not a name.
  if (first === last && GROUP_NOUNS.has((tokens[first] as Token).lower)) return false;
  // "The Hague ruled": a name after "the" is a place's or a body's, not a person's.
  if (tokens[first - 1]?.lower === 'the') return false;
  // "Sarandon, 69, told": an age between commas.
  const age = tokens[last + 1]?.text === ',' && /^\d+$/.test(tokens[last + 2]?.text ?? '') && tokens[last + 3]?.text === ',';
  const verb = tokens[skipAdverbs(tokens, skipBracketTag(tokens, (age ? last + 3 : last) + 1) - 1)];
  // `"…," Gorka declared`: right after a quotation, a verb that tags it.
  const tagsQuote = quoted.slice(Math.max(0, first - 4), first).some(Boolean);
  const speaks = (token: Token | undefined) =>
    !!token && !token.capitalized && (SPEECH_VERBS.has(token.lower) || (tagsQuote && QUOTE_TAG_VERBS.has(token.lower)));
  if (speaks(verb)) return true;
  // "Ramos lamented that …", "Sanders pledged to …": the subject of any reporting verb but its base form.
  if (verb && !verb.capitalized && REPORTING_VERBS.has(verb.lower) && /(s|ed)$/.test(verb.lower) && verb.lower !== 'reports') return true;
  const before = tokens[first - 1];
  if (speaks(before) && tokens[first - 2]?.text !== ',') return true;
  return before?.lower === 'to' && tokens[first - 2]?.lower === 'according';
}

/** Stands for a pronoun until attribution resolves it. */
export const PLACEHOLDER: Actor = {
  key: '',
  name: '',
  kind: 'PERSON',
  aliases: new Set(),
  involved: false,
  confirmed: false,
  lastSeen: -1,
};

function stripBrackets(text: string): string {
  return text.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
}

function acronymAfter(tokens: Token[], last: number): string | undefined {
  const acronym = tokens[last + 2];
  return tokens[last + 1]?.text === '(' && acronym && isAcronym(acronym) && tokens[last + 3]?.text === ')' ? acronym.text : undefined;
}

/** ", a civil engineer" after a name (or, asked for bodies, ", the German metalworkers' union"). */
function appositionRole(tokens: Token[], last: number): string | undefined;
function appositionRole(tokens: Token[], last: number, bodies: true): { phrase: string; head: string } | undefined;
function appositionRole(tokens: Token[], last: number, bodies = false): string | { phrase: string; head: string } | undefined {
  if (tokens[last + 1]?.text !== ',') return undefined;
  const article = tokens[last + 2]?.lower;
  if (article !== 'a' && article !== 'an' && article !== 'the') return undefined;
  const words: string[] = [];
  const isRole = (t: Token | undefined) => !!t && (ROLE_NOUNS.has(t.lower) || PERSON_TITLES.has(t.lower));
  const isBody = (t: Token | undefined) => !!t && (ORGANIZATION_WORDS.has(t.lower) || COMPANY_WORDS.has(t.lower));
  for (let k = last + 3; k < Math.min(tokens.length, last + 10); k++) {
    const token = tokens[k] as Token;
    // "the union's general secretary", "the metalworkers' union"
    if ((token.text === "'s" || token.text === "'" || token.text === '’') && words.length > 0) {
      words[words.length - 1] += token.text === "'s" ? "'s" : "'";
      continue;
    }
    if (!token.isWord) break;
    words.push(token.text);
    if (bodies) {
      // "an auto analyst at Halvorsen Bank" describes a person, not a body.
      if ((isRole(token) && !isBody(token)) || /^(at|for|of|with|from|in)$/.test(token.lower)) return undefined;
      if (isBody(token) && !isBody(tokens[k + 1]) && /^[,.;)]?$/.test(tokens[k + 1]?.text ?? ''))
        return { phrase: words.join(' '), head: token.lower };
      continue;
    }
    // The whole run of role words: "general secretary", not "general".
    if (isRole(token) && !isRole(tokens[k + 1])) return words.join(' ');
  }
  return undefined;
}

/** Records a role phrase ("NATO chief") as a description, and the actor before it as the affiliation. */
/** The last title word of a run of role words starting at `first` ("Foreign Minister"), or -1 when the run has none. */
function titleRunEnd(tokens: Token[], first: number, last: number): number {
  let end = -1;
  for (let k = first; k < last; k++) {
    const lower = (tokens[k] as Token).lower;
    if (!ROLE_NOUNS.has(lower) && !PERSON_TITLES.has(lower)) break;
    if (PERSON_TITLES.has(lower)) end = k;
  }
  return end;
}

/**
 * Where a title starts after up to three capitalized modifiers at the front of a name ("Florida" in
 * "Florida Sen. Marco Rubio", "Goldman Sachs" in "Goldman Sachs Chief Executive Lloyd Blankfein"),
 * when a name follows the title; `first` when there is none.
 */
function modifiedTitleStart(tokens: Token[], first: number, last: number): number {
  if (titleRunEnd(tokens, first, last) >= 0) return first;
  for (let k = first + 1; k <= Math.min(first + 3, last - 1); k++) {
    const lower = (tokens[k] as Token).lower;
    if (!ROLE_NOUNS.has(lower) && !PERSON_TITLES.has(lower)) continue;
    const end = titleRunEnd(tokens, k, last);
    return end >= 0 && end < last ? k : first;
  }
  return first;
}

function describe(actor: Actor, role: string[], tokens: Token[], from: number, mentions: Mention[]): void {
  // "The UN's humanitarian chief": the owner may sit a few lower-case words before the role.
  let ownerEnd = from - 1;
  while (
    ownerEnd > 0 &&
    from - ownerEnd <= 3 &&
    (tokens[ownerEnd] as Token).isWord &&
    !(tokens[ownerEnd] as Token).capitalized &&
    !NEVER_NAMES.has((tokens[ownerEnd] as Token).lower)
  )
    ownerEnd--;
  const owner = mentions.find(
    (mention) =>
      mention.last === from - 1 ||
      (tokens[from - 1]?.text === "'s" && mention.last === from - 2) ||
      (mention.last === ownerEnd && !mention.pronoun) ||
      (tokens[ownerEnd]?.text === "'s" && mention.last === ownerEnd - 1),
  );
  actor.description ??= titleCase(role.join(' ').replace(/^(a|an|the) /i, ''));
  if (owner && owner.actor !== actor) {
    const target = owner.actor.kind === 'PERSON' && owner.actor.affiliation ? owner.actor.affiliation : owner.actor;
    actor.affiliation ??= target;
    if (owner.actor.kind === 'PERSON') actor.description = `${owner.actor.name}'s ${role.join(' ')}`;
    else actor.description = `${owner.actor.name} ${role.join(' ')}`;
  }
}

function longestGazetteerMatch(tokens: Token[], first: number, last: number) {
  for (let end = Math.min(last, first + LONGEST_FORM - 1); end >= first; end--) {
    const text = tokens
      .slice(first, end + 1)
      .map((token) => token.text)
      .join(' ');
    const entry = lookUp(text);
    if (entry) return { entry, last: end, text };
  }
  return undefined;
}

/**
 * "a spokesman for the Cumbria Fire and Rescue squad, Brian Mitchelhill" (the named person), "a
 * spokeswoman for the British Transport Police" (the police speak), "an unnamed ambulance
 * official" (a person the article does not name), "the minister" (the minister named earlier).
 */
function describedPerson(
  tokens: Token[],
  k: number,
  sentence: Sentence,
  registry: ActorRegistry,
  mentions: Mention[],
): Mention | undefined {
  const role = (tokens[k] as Token).lower;
  let first = k;
  while (
    first > 0 &&
    !/^(a|an|the)$/i.test((tokens[first - 1] as Token).text) &&
    (tokens[first - 1] as Token).isWord &&
    !(tokens[first - 1] as Token).capitalized &&
    first > k - 3
  )
    first--;
  // "A Norland spokeswoman": the organization named before the role.
  let organization: Mention | undefined = mentions.find(
    (mention) => mention.last === first - 1 && mention.actor.kind !== 'PERSON' && !mention.pronoun,
  );
  if (organization) first = organization.first;
  const article = tokens[first - 1]?.lower;
  if (article !== 'a' && article !== 'an' && article !== 'the') return undefined;
  // "for the Cumbria Fire and Rescue squad" / "of the ministry"
  let last = k;
  if (!organization && (tokens[k + 1]?.lower === 'for' || tokens[k + 1]?.lower === 'of' || tokens[k + 1]?.lower === 'at')) {
    const start = tokens[k + 2]?.lower === 'the' ? k + 3 : k + 2;
    organization = mentions.find((mention) => mention.first === start && mention.actor.kind !== 'PERSON');
    if (organization) last = organization.last;
  }
  // ", Brian Mitchelhill": the named person is the mention (found by the name pass).
  if (tokens[last + 1]?.text === ',') {
    const named = mentions.find((mention) => mention.first === last + 2 && mention.actor.kind === 'PERSON');
    if (named) {
      roleOf(named.actor, organization, tokens.slice(first, last + 1));
      return undefined;
    }
  }
  // "Tom Reyes, a spokesman for the Halden Port Authority, said": the phrase describes the name before it.
  const described =
    tokens[first - 2]?.text === ','
      ? mentions.find((mention) => mention.last === first - 3 && mention.actor.kind === 'PERSON' && !mention.pronoun)
      : undefined;
  if (described) {
    roleOf(described.actor, organization, tokens.slice(first, last + 1));
    return undefined;
  }
  if (organization && SPOKESPERSON_NOUNS.has(role)) {
    return { actor: organization.actor, sentence: sentence.index, first: first - 1, last, role };
  }
  if (article === 'the' && !organization) {
    const known = registry.personByRole(role);
    if (known) return { actor: known, sentence: sentence.index, first: first - 1, last: k, role };
    return undefined;
  }
  if (organization) return undefined;
  const phrase = tokens
    .slice(first, k + 1)
    .map((token) => token.text)
    .join(' ');
  const actor = registry.upsert(titleCase(phrase), 'PERSON', sentence.index, `${article} ${phrase}`);
  actor.description ??= titleCase(phrase);
  return { actor, sentence: sentence.index, first: first - 1, last: k, role };
}

/** A spokesperson phrase names its person's role, and the organization in it is the person's. */
function roleOf(person: Actor, organization: Mention | undefined, phrase: Token[]): void {
  person.confirmed = true;
  if (organization) person.affiliation ??= organization.actor;
  person.description ??= titleCase(phrase.map((token) => token.text).join(' '));
}

/** "United Nations (UN) tribunal", "Russia's foreign ministry", "the ministry", "the tribunal". */
function describedOrganization(
  tokens: Token[],
  k: number,
  sentence: Sentence,
  registry: ActorRegistry,
  mentions: Mention[],
  surface: (first: number, last: number) => string,
  common: Set<string>,
): Mention | undefined {
  const head = (tokens[k] as Token).lower;
  // "Western government officials" is a group, read by the group rule.
  if (GROUP_NOUNS.has(tokens[k + 1]?.lower ?? '')) return undefined;
  const possessor = mentions.find(
    (mention) =>
      mention.actor.kind !== 'PERSON' &&
      tokens[mention.last + 1]?.text === "'s" &&
      k - mention.last <= 4 &&
      tokens.slice(mention.last + 2, k).every((t) => !t.capitalized && t.isWord),
  );
  const adjacent = mentions.find((mention) => mention.last === k - 1 && mention.actor.kind !== 'PERSON');
  const owner = adjacent ?? possessor;
  if (owner && (head === 'government' || head === 'administration') && owner.actor.kind === 'COUNTRY') {
    owner.actor.aliases.add(surface(owner.first, k));
    mentions.splice(mentions.indexOf(owner), 1);
    return { actor: owner.actor, sentence: sentence.index, first: owner.first, last: k, role: head };
  }
  // "Cumbria Fire and Rescue squad", "United Nations (UN) tribunal": capitalized words before a lower-case organization word.
  let from = k;
  if (!owner) {
    while (from > 0) {
      const previous = tokens[from - 1] as Token;
      const capitalized = previous.capitalized && !NEVER_NAMES.has(previous.lower) && !(from - 1 === 0 && common.has(previous.lower));
      const bracket = previous.text === ')' || previous.text === '(' || (isAcronym(previous) && tokens[from - 2]?.text === '(');
      const connector = CONNECTORS.has(previous.lower) && previous.lower !== 'the' && tokens[from - 2]?.capitalized === true;
      if (capitalized || bracket || connector) from--;
      else break;
    }
    while (from < k && (tokens[from] as Token).text === '(') from++;
  }
  const start = owner ? owner.first : from;
  if (start === k) {
    if (tokens[k - 1]?.lower !== 'the') return undefined;
    const known =
      registry.organizationByHead(head) ??
      (COMPANY_WORDS.has(head) ? registry.latestOrganization() : undefined) ??
      unnamedOrganization(tokens, k, registry, sentence.index);
    if (!known) return undefined;
    known.aliases.add(`the ${head}`);
    return { actor: known, sentence: sentence.index, first: k - 1, last: k, role: head };
  }
  const name = surface(start, k);
  const actor = registry.upsert(stripBrackets(name), 'ORGANIZATION', sentence.index, name);
  actor.confirmed = true;
  const parent = owner?.actor ?? gazetteerActor(tokens, start, k - 1, registry, sentence.index);
  if (parent && parent !== actor && (parent.kind === 'COUNTRY' || parent.kind === 'ORGANIZATION')) {
    actor.affiliation ??= parent;
    const own = tokens
      .slice((owner?.last ?? start) + 1, k + 1)
      .filter((t) => t.isWord && t.text !== "'s")
      .map((t) => t.text)
      .join(' ');
    if (owner) actor.description ??= `${titleCase(own)} of ${parent.name}`;
  }
  const acronym = tokens.slice(start, k).find((t, i) => isAcronym(t) && tokens[start + i - 1]?.text === '(');
  if (acronym) actor.aliases.add(`${acronym.text} ${head}`);
  if (owner) mentions.splice(mentions.indexOf(owner), 1);
  return { actor, sentence: sentence.index, first: start, last: k, role: head };
}

/** "The tribunal scolded …" with no tribunal named before: an organization the article names only by its kind. */
function unnamedOrganization(tokens: Token[], k: number, registry: ActorRegistry, sentence: number): Actor | undefined {
  const verb = tokens[skipAdverbs(tokens, k)];
  if (!verb || verb.capitalized || !(REPORTING_VERBS.has(verb.lower) || /^[a-z]{3,}ed$/.test(verb.lower))) return undefined;
  return registry.upsert(titleCase((tokens[k] as Token).text), 'ORGANIZATION', sentence);
}

function gazetteerActor(tokens: Token[], first: number, last: number, registry: ActorRegistry, sentence: number): Actor | undefined {
  const match = longestGazetteerMatch(tokens, first, last);
  return match ? registry.upsert(match.entry.name, match.entry.kind, sentence, match.text) : undefined;
}
