/**
 * Who said what: links quoted spans and reported statements to their speakers through speech verbs
 * ("X said", "said X", "according to X"), appositions, pronouns and titles, and names the channel.
 */
import { type Actor, type ArticleMentions, type Mention, PLACEHOLDER } from './actors.js';
import {
  ATTITUDE_VERBS,
  TIME_LEADS,
  TIME_WORDS,
  BE_FORMS,
  CLAUSE_JOINERS,
  CONTINUING_MARKS,
  COORDINATORS,
  COMMON_VERBS,
  EVIDENCE_NOUNS,
  EVIDENCE_VERBS,
  PLACE_PREPOSITIONS,
  SUBORDINATORS,
  NAMING_CUES,
  NOT_SUBJECT_ENDS,
  PLATFORMS,
  RELATIVE_PRONOUNS,
  PHRASAL_CUES,
  QUOTE_TAG_VERBS,
  REPORTING_VERBS,
  ROLE_NOUNS,
  UNNAMED_SOURCE_VERBS,
  SOURCE_NOUNS,
  SPEECH_VERBS,
  THAT_CLAUSE_VERBS,
} from './lexicon.js';
import {
  bySentence,
  type QuotedSpan,
  type Segmented,
  type Sentence,
  sentenceAt,
  skipAdverbs,
  skipBracketTag,
  type Token,
} from './segment.js';

export type QuoteKind = 'DIRECT' | 'PARTIAL' | 'INDIRECT';

export interface FoundQuote {
  text: string;
  kind: QuoteKind;
  speaker?: Actor;
  channel?: string;
  start: number;
  end: number;
  sentence: number;
  confidence: number;
}

/** A subject and the verb it governs ("Xi maintained", "a spokeswoman said", "The US, a key ally, said"). */
export interface Clause {
  subject: Mention;
  verb: number;
  /** The verb reports speech (or a claim). */
  reporting: boolean;
}

const isVerbLike = (token: Token | undefined) =>
  !!token &&
  !token.capitalized &&
  token.isWord &&
  (REPORTING_VERBS.has(token.lower) ||
    ATTITUDE_VERBS.has(token.lower) ||
    THAT_CLAUSE_VERBS.has(token.lower) ||
    PHRASAL_CUES.has(token.lower) ||
    COMMON_VERBS.has(token.lower) ||
    /^[a-z]{3,}ed$/.test(token.lower));

const isReporting = (tokens: Token[], verb: number) => {
  const token = tokens[verb] as Token;
  if (REPORTING_VERBS.has(token.lower) || ATTITUDE_VERBS.has(token.lower)) return true;
  if (PHRASAL_CUES.has(token.lower)) return PHRASAL_CUES.get(token.lower) === tokens[verb + 1]?.lower;
  // "declined to comment" reports that nothing was said.
  if (
    /^(declined?|declines|refused?|refuses)$/.test(token.lower) &&
    tokens[verb + 1]?.lower === 'to' &&
    tokens[verb + 2]?.lower === 'comment'
  )
    return true;
  return THAT_CLAUSE_VERBS.has(token.lower) && tokens[verb + 1]?.lower === 'that';
};

const clausesBySentence = new WeakMap<Sentence, Clause[]>();

/**
 * The clauses of a sentence over all its mentions, worked out once: attribution, pronoun
 * resolution, positions and the choice of actors all ask for them, some many times over.
 */
export function sentenceClauses(sentence: Sentence, mentions: ArticleMentions): Clause[] {
  let clauses = clausesBySentence.get(sentence);
  if (!clauses) {
    clauses = clausesOf(sentence, mentions.bySentence[sentence.index] ?? [], sentence.quoted);
    clausesBySentence.set(sentence, clauses);
  }
  return clauses;
}

/** Every subject–verb clause in a sentence. */
export function clausesOf(sentence: Sentence, mentions: Mention[], quoted: boolean[]): Clause[] {
  const { tokens } = sentence;
  const clauses: Clause[] = [];
  for (const mention of mentions) {
    if (quoted[mention.first]) continue;
    // "Sen. Jane Roe (D-N.C.) said": a party tag between the name and its verb.
    let next = skipBracketTag(tokens, mention.last + 1);
    if (tokens[next]?.text === ',') {
      const close = tokens.findIndex((token, k) => k > next && token.text === ',');
      // "The US, a key ally with many of the countries, said": an apposition between commas.
      if (close > next && close - next <= 16 && isVerbLike(tokens[skipAdverbs(tokens, close)])) next = close + 1;
      // "Zelensky’s spokesperson, Sergiy Nykyforov, confirmed": the name is the apposition.
      else if (tokens[mention.first - 1]?.text === ',' && isVerbLike(tokens[skipAdverbs(tokens, next)])) next += 1;
      else continue;
    }
    // "Kenya's parliament on Tuesday approved": a time phrase between subject and verb.
    if (TIME_LEADS.has(tokens[next]?.lower ?? '') && TIME_WORDS.has(tokens[next + 1]?.lower ?? '')) next += 2;
    let verb = skipAdverbs(tokens, next - 1);
    // "Protesters outside city hall chanted": a group's place between it and its verb.
    if (mention.actor.kind === 'GROUP' && PLACE_PREPOSITIONS.has(tokens[next]?.lower ?? '')) {
      const later = tokens.findIndex((token, k) => k > next && k <= next + 7 && (token.text === ',' || isVerbLike(token)));
      if (later > 0 && tokens[later]?.text !== ',') verb = later;
    }
    // "Taiwan and Vietnam have also done so": the auxiliary is the verb.
    if (!isVerbLike(tokens[verb]) && COMMON_VERBS.has(tokens[next]?.lower ?? '')) verb = next;
    const auxiliaryBe = tokens.slice(next, verb).some((token) => BE_FORMS.has(token.lower));
    // "saying", "claiming" report only in "with Li Yuecheng saying" or after a form of "be" ("is stressing");
    // "the countries claiming parts of the sea" is a description.
    if (tokens[verb]?.lower.endsWith('ing') && !auxiliaryBe && !withBefore(tokens, mention.first)) continue;
    // "The alliance … was strongly emphasised": a passive verb reports nothing its subject said.
    const passive = auxiliaryBe && !(tokens[verb]?.lower ?? '').endsWith('ing');
    if (isVerbLike(tokens[verb]) && !quoted[verb])
      clauses.push({ subject: mention, verb, reporting: !passive && isReporting(tokens, verb) });
    // "Russian claims that", "Hospital reports … indicate": the source of a claim.
    else if (SOURCE_NOUNS.has(tokens[next]?.lower ?? '') && !quoted[next]) {
      const after = tokens.slice(next + 1, next + 8);
      if (tokens[next + 1]?.lower === 'that' || after.some((token) => REPORTING_VERBS.has(token.lower)))
        clauses.push({ subject: mention, verb: next, reporting: true });
    }
  }
  return clauses;
}

/** "with senior party official Li Yuecheng saying": only titles and names between "with" and the subject. */
function withBefore(tokens: Token[], first: number): boolean {
  for (let k = first - 1; k >= Math.max(0, first - 10); k--) {
    const token = tokens[k] as Token;
    if (token.lower === 'with') return true;
    if (!token.isWord || !(token.capitalized || ROLE_NOUNS.has(token.lower))) return false;
  }
  return false;
}

/** "the European Commission and French officials appreciated": the first of coordinated subjects speaks for them. */
export function firstConjunct(mentions: Mention[], subject: Mention, tokens: Token[]): Mention {
  let current = subject;
  // "In an interview with the Tribune, Gingrich said": a comma alone joins no subjects; "A, B and C" does.
  if (tokens[subject.first - 1]?.lower !== 'and') return subject;
  for (;;) {
    const joiner = tokens[current.first - 1]?.lower;
    if (joiner !== 'and' && joiner !== ',') return current;
    const before = mentions.find((mention) => mention.last === current.first - 2 && !mention.pronoun);
    if (!before || (joiner === ',' && tokens[current.first - 2]?.text === ',')) return current;
    current = before;
  }
}

/** The mention a pronoun or a bare "the minister" stands for. */
export function resolve(mention: Mention, at: number, mentions: ArticleMentions, segmented: Segmented): Actor | undefined {
  if (!mention.pronoun) return mention.actor;
  const wantsPerson = mention.pronoun === 'he' || mention.pronoun === 'she';
  const fits = (candidate: Mention) =>
    !candidate.pronoun &&
    (wantsPerson ? candidate.actor.kind === 'PERSON' && candidate.actor.confirmed : candidate.actor.kind !== 'PERSON');
  const same = (mentions.bySentence[at] ?? []).filter((candidate) => candidate.last < mention.first && fits(candidate));
  if (same.length > 0) return (same.at(-1) as Mention).actor;
  for (let previous = at - 1; previous >= Math.max(0, at - 4); previous--) {
    const candidates = (mentions.bySentence[previous] ?? []).filter(fits);
    const sentence = segmented.sentences[previous] as Sentence;
    // A person who speaks is a fair antecedent even without a title ("Daniel Weiss, …, told reporters").
    const subject = sentenceClauses(sentence, mentions).find(
      (clause) =>
        fits(clause.subject) || (wantsPerson && clause.reporting && !clause.subject.pronoun && clause.subject.actor.kind === 'PERSON'),
    );
    if (subject) return subject.subject.actor;
    if (candidates[0]) return candidates[0].actor;
  }
  return undefined;
}

/** The channel a sentence names: "on Twitter", "via Facebook", "CCTV reported", "in a statement", "at a press conference". */
export function channelOf(sentence: Sentence, mentions: Mention[], speaker: Actor | undefined): string | undefined {
  const { tokens } = sentence;
  for (let k = 0; k < tokens.length - 1; k++) {
    const token = tokens[k] as Token;
    const next = tokens[k + 1] as Token;
    if ((token.lower === 'on' || token.lower === 'via' || token.lower === 'through') && PLATFORMS.has(next.lower) && next.capitalized)
      return next.text;
  }
  const interview = mentions.find(
    (mention) =>
      mention.actor.kind === 'MEDIA' &&
      /^(with|the)$/.test(tokens[mention.first - 1]?.lower ?? '') &&
      tokens.slice(Math.max(0, mention.first - 3), mention.first).some((t) => /^interviews?$/.test(t.lower)),
  );
  if (interview) return interview.actor.name;
  const media = mentions.find(
    (mention) =>
      mention.actor.kind === 'MEDIA' &&
      mention.actor !== speaker &&
      REPORTING_VERBS.has(tokens[skipAdverbs(tokens, mention.last)]?.lower ?? ''),
  );
  if (media) return media.actor.name;
  const phrase =
    /\b(?:in|at|during) (an? (?:[\p{L}-]+ )?(?:statement|press conference|news conference|conference|briefing|interview|speech|press release|post|video|letter))\b/u.exec(
      sentence.text,
    );
  return phrase?.[1];
}

interface SpeakerChoice {
  actor: Actor;
  confidence: number;
}

const PREFIX_WINDOW = 80;

/** Quoted spans that are quotes, with their kind and speaker; names, titles and scare quotes are left out. */
export function attributeQuotes(segmented: Segmented, mentions: ArticleMentions): FoundQuote[] {
  const found: FoundQuote[] = [];
  const { body } = segmented;
  let previous: FoundQuote | undefined;
  for (const span of segmented.quotes) {
    const sentence = sentenceAt(segmented, span.start);
    if (!sentence) continue;
    const { start, end, text } = trimSpan(body, span);
    if (!/\p{L}/u.test(text)) continue;
    // The words just before the quote mark are all the cues below read (a window keeps a long sentence of quotes linear).
    const prefix = body.slice(Math.max(sentence.start, span.open - PREFIX_WINDOW), span.open).trim();
    const lastWord = /([\p{L}-]+)\W*$/u.exec(prefix)?.[1]?.toLowerCase() ?? '';
    if (NAMING_CUES.has(lastWord) || /\b(known as|the (?:term|word|phrase|slogan|name))$/i.test(prefix)) continue;
    const words = text.split(/\s+/);
    const titleLike =
      words.length >= 2 &&
      words.every((word) => /^[\p{Lu}\d]/u.test(word) || /^(of|the|and|a|an|in|on|for|to)$/.test(word)) &&
      !/[.!?]$/.test(text);
    if (titleLike) continue;
    const statement = prefix === '' || /[,:…]$/.test(prefix) || span.continues;
    const kind: QuoteKind = statement ? 'DIRECT' : 'PARTIAL';
    const sentenceMentions = mentions.bySentence[sentence.index] ?? [];
    const quoted = sentence.quoted;
    const clauses = sentenceClauses(sentence, mentions);
    let choice =
      transcriptSpeaker(text, mentions, sentence.index) ??
      bylineSpeaker(segmented, span, mentions, sentence.index) ??
      labelSpeaker(sentence, span, sentenceMentions) ??
      speakerAfter(sentence, span, sentenceMentions, quoted, mentions, segmented) ??
      speakerBefore(sentence, span, clauses, mentions, segmented) ??
      laterReporter(sentence, span, clauses, mentions, segmented);
    if (!choice && statement) choice = inheritedSpeaker(segmented, mentions, span, sentence, previous);
    if (!choice && !statement) choice = previousQuoteSpeaker(segmented, sentence, previous);
    // A fragment in quotation marks with nobody saying it is a term or a scare quote, not a quote.
    if (!choice && kind === 'PARTIAL') continue;
    const quote: FoundQuote = {
      text,
      kind,
      speaker: choice?.actor,
      channel:
        channelOf(sentence, sentenceMentions, choice?.actor) ??
        (choice && previous?.speaker === choice.actor ? previous.channel : undefined),
      start,
      end,
      sentence: sentence.index,
      confidence: choice ? choice.confidence * (kind === 'DIRECT' ? 1 : 0.9) : 0.4,
    };
    found.push(quote);
    previous = quote;
  }
  return found;
}

/** "WALLACE: Let's start with …": a transcript names its speaker in capitals before a colon. */
function transcriptSpeaker(text: string, all: ArticleMentions, at: number): SpeakerChoice | undefined {
  const label = TRANSCRIPT_LABEL.exec(text)?.[1];
  if (!label) return undefined;
  const name = label.toLowerCase().replace(/(^|[\s'’-])\p{L}/gu, (letter) => letter.toUpperCase());
  const surname = name.split(' ').at(-1) ?? name;
  const actor = all.registry.personByWord(surname) ?? all.registry.byForm(name) ?? all.registry.upsert(name, 'PERSON', at);
  actor.confirmed = true;
  return { actor, confidence: 0.85 };
}

/**
 * `“The port must stay open.” ― Ada Quist`: a quotation that a dash and a name close, at the end
 * of its paragraph, is that person's (the byline of a collected reaction or an epigraph).
 */
function bylineSpeaker(segmented: Segmented, span: QuotedSpan, all: ArticleMentions, at: number): SpeakerChoice | undefined {
  const paragraph = segmented.paragraphs[span.paragraph];
  if (!paragraph) return undefined;
  const name = DASH_BYLINE.exec(segmented.body.slice(span.close, Math.min(paragraph.end, span.close + BYLINE_LENGTH)))?.[1];
  if (!name || span.close + BYLINE_LENGTH < paragraph.end) return undefined;
  const actor = all.registry.byForm(name) ?? all.registry.upsert(name, 'PERSON', at);
  if (actor.kind === 'PERSON') actor.confirmed = true;
  return { actor, confidence: 0.8 };
}

/** A dash and a name of up to four capitalized words (initials allowed), then at most a full stop or a comma and a description. */
const DASH_BYLINE =
  /^[\s\u00a0]*[―—–][\s\u00a0]*((?:\p{Lu}\.[\s\u00a0]+)?\p{Lu}[\p{L}'’-]*(?:[\s\u00a0]+(?:\p{Lu}\.|\p{Lu}[\p{L}'’-]*)){0,3})[\s\u00a0]*(?:[.,].*)?$/u;
const BYLINE_LENGTH = 120;

/** `Dr. Ada Quist: Levy 'Not Fit For Purpose'`: a headline or a list that opens on a name and a colon gives that name the quotation after it. */
function labelSpeaker(sentence: Sentence, span: QuotedSpan, mentions: Mention[]): SpeakerChoice | undefined {
  const label = mentions[0];
  // "Rep. Alan Gorsky (R-Ohio): …": a party tag may stand between the name and the colon.
  const colon = label && sentence.tokens[skipBracketTag(sentence.tokens, label.last + 1)];
  if (!label || label.pronoun || label.first !== 0 || colon?.text !== ':' || colon.end > span.open) return undefined;
  return label.actor.kind === 'PERSON' || label.actor.kind === 'ORGANIZATION' ? { actor: label.actor, confidence: 0.7 } : undefined;
}

const TRANSCRIPT_LABEL = /^(\p{Lu}[\p{Lu}'’-]+(?: \p{Lu}[\p{Lu}'’-]+){0,2}): /u;

function trimSpan(body: string, span: QuotedSpan): { start: number; end: number; text: string } {
  let start = span.start;
  let end = span.end;
  while (start < end && /\s/.test(body[start] ?? '')) start++;
  while (end > start && /[\s,;]/.test(body[end - 1] ?? '')) end--;
  return { start, end, text: body.slice(start, end) };
}

/** `"…," said a spokesman for the ministry, Tom Reyes.` and `"…", Mr. Haddox said.` */
function speakerAfter(
  sentence: Sentence,
  span: QuotedSpan,
  mentions: Mention[],
  quoted: boolean[],
  all: ArticleMentions,
  segmented: Segmented,
): SpeakerChoice | undefined {
  const { tokens } = sentence;
  let k = tokens.findIndex((token) => token.start > span.end);
  if (k < 0) return undefined;
  while (k < tokens.length && /^[,.!?”"’']$/.test((tokens[k] as Token).text)) k++;
  const token = tokens[k];
  if (!token || quoted[k]) return undefined;
  const nextQuote = tokens.findIndex((t, i) => i > k && quoted[i]);
  const limit = nextQuote < 0 ? tokens.length : nextQuote;
  const tags = (t: Token | undefined) =>
    !!t && (REPORTING_VERBS.has(t.lower) || THAT_CLAUSE_VERBS.has(t.lower) || QUOTE_TAG_VERBS.has(t.lower));
  if (tags(token)) {
    const after = mentions.filter((mention) => mention.first > k && mention.first < limit && mention.first <= k + 12);
    const named = after.find((mention) => mention.actor.kind === 'PERSON' && !mention.pronoun && mention.actor.name.includes(' '));
    // `"…," said Murphy, using a term Rubio has used of Donald Trump`: a person named right after the verb is the one.
    const next = after[0];
    const adjacent = next && next.first <= k + 2 && next.actor.kind === 'PERSON' && !next.pronoun ? next : undefined;
    const chosen = adjacent ?? named ?? next;
    const actor = chosen && resolve(chosen, sentence.index, all, segmented);
    if (actor) return { actor, confidence: 0.9 };
  }
  // "campaign pollster Ida Marek said": lower-case role words before the name.
  while (k < limit && !(tokens[k] as Token).capitalized && ROLE_NOUNS.has((tokens[k] as Token).lower)) k++;
  // "Turkish President Recep Tayyip Erdogan said": the whole name, not the country before the title.
  const subject = mentions.filter((mention) => mention.first === k).sort((a, b) => b.last - a.last)[0];
  if (subject) {
    const verb = skipAdverbs(tokens, skipBracketTag(tokens, subject.last + 1) - 1);
    if (tags(tokens[verb]) || (tokens[subject.last + 1]?.text === ',' && clausesOf(sentence, [subject], quoted).some((c) => c.reporting))) {
      const actor = resolve(subject, sentence.index, all, segmented);
      if (actor) return { actor, confidence: 0.9 };
    }
    const described = describedTagSubject(tokens, subject, limit, tags);
    const actor = described && resolve(described, sentence.index, all, segmented);
    if (actor) return { actor, confidence: 0.85 };
  }
  return (
    nameBeforeTag(sentence, k, limit, mentions, all, segmented, tags) ??
    laterInvertedTag(sentence, k, limit, mentions, all, segmented, tags)
  );
}

/**
 * `"The numbers do not add up" if turnout falls, said Ida Brenner`: the quoted words go on into
 * the sentence outside the marks, and an inverted tag after a comma closes it, naming the speaker
 * right after its verb.
 */
function laterInvertedTag(
  sentence: Sentence,
  from: number,
  limit: number,
  mentions: Mention[],
  all: ArticleMentions,
  segmented: Segmented,
  tags: (token: Token | undefined) => boolean,
): SpeakerChoice | undefined {
  const { tokens } = sentence;
  for (let k = from; k < Math.min(limit, from + CONTINUATION_LENGTH); k++) {
    const token = tokens[k] as Token;
    if (/^[;:!?()"“”]$/.test(token.text)) return undefined;
    if (token.capitalized || tokens[k - 1]?.text !== ',' || !tags(token)) continue;
    const named = mentions.find((mention) => mention.first > k && mention.first <= k + TAG_NAME_DISTANCE && !mention.pronoun);
    const actor = named && resolve(named, sentence.index, all, segmented);
    return actor ? { actor, confidence: 0.75 } : undefined;
  }
  return undefined;
}

/** How many tokens of the quoted sentence may go on outside the marks before its inverted tag. */
const CONTINUATION_LENGTH = 20;

/**
 * `"…," Ms. Harlow, now 64 and living in Tacoma, Wash., said`, `"…," Okafor, who has opposed the
 * plan, said`: the name right after the quotation, then a description of any length between commas
 * that holds no other quotation, and the tag's verb after the last of its commas.
 */
function describedTagSubject(
  tokens: readonly Token[],
  subject: Mention,
  limit: number,
  tags: (token: Token | undefined) => boolean,
): Mention | undefined {
  if (tokens[subject.last + 1]?.text !== ',' || subject.pronoun) return undefined;
  const end = Math.min(limit, subject.last + 1 + DESCRIPTION_LENGTH);
  for (let k = subject.last + 2; k < end; k++) {
    const token = tokens[k] as Token;
    if (/^[;:!?()"“”]$/.test(token.text)) return undefined;
    if (token.text === ',' && tags(tokens[skipAdverbs(tokens, k)])) return subject;
  }
  return undefined;
}

/**
 * `"…," Republican National Committee chairman Reince Priebus said`, `"…," the ACU said`: a tag
 * whose subject is a long description; the speaker is the name nearest before the tag's verb.
 */
function nameBeforeTag(
  sentence: Sentence,
  from: number,
  limit: number,
  mentions: Mention[],
  all: ArticleMentions,
  segmented: Segmented,
  tags: (token: Token | undefined) => boolean,
): SpeakerChoice | undefined {
  const { tokens } = sentence;
  for (let k = from; k < Math.min(limit, from + TAG_SUBJECT_LENGTH); k++) {
    const token = tokens[k] as Token;
    if (!token.isWord && token.text !== "'s" && token.text !== '.' && token.text !== ',') return undefined;
    if (token.capitalized || !tags(token)) continue;
    // "the White House spokesman, Josh Earnest, said": the name may close an apposition.
    const endsBefore = (mention: Mention) =>
      skipAdverbs(tokens, mention.last) === k || (tokens[mention.last + 1]?.text === ',' && skipAdverbs(tokens, mention.last + 1) === k);
    const subject = mentions.filter((mention) => mention.first >= from && endsBefore(mention) && !mention.pronoun).at(-1);
    const actor = subject && resolve(subject, sentence.index, all, segmented);
    return actor ? { actor, confidence: 0.8 } : undefined;
  }
  return undefined;
}

const TAG_SUBJECT_LENGTH = 10;

/** `Xi emphasised "talks and negotiation"`: the nearest reporting clause before the quote in its sentence. */
function speakerBefore(
  sentence: Sentence,
  span: QuotedSpan,
  clauses: Clause[],
  all: ArticleMentions,
  segmented: Segmented,
): SpeakerChoice | undefined {
  const before = clauses.filter((clause) => (sentence.tokens[clause.verb] as Token).end <= span.start && clause.reporting);
  const according = accordingTo(sentence, all.bySentence[sentence.index] ?? []);
  const clause = outerReporter(sentence, before) ?? before.at(-1);
  if (!clause) {
    if (according) return { actor: according, confidence: 0.8 };
    const subject = participleSubject(sentence, all, span.start) ?? colonSubject(sentence, all, span);
    const actor = subject && resolve(subject, sentence.index, all, segmented);
    return actor ? { actor, confidence: 0.7 } : undefined;
  }
  const actor = resolve(clause.subject, sentence.index, all, segmented);
  return actor ? { actor, confidence: clause.subject.pronoun ? 0.75 : 0.85 } : undefined;
}

/**
 * `The "opt out" idea, Lind argued on Monday, is about control`: a reporting clause later in the
 * sentence than the quotation, in its main clause, gives its subject.
 */
function laterReporter(
  sentence: Sentence,
  span: QuotedSpan,
  clauses: Clause[],
  all: ArticleMentions,
  segmented: Segmented,
): SpeakerChoice | undefined {
  const clause = clauses.find(
    (c) =>
      c.reporting && (sentence.tokens[c.verb] as Token).start >= span.end && !insideSubordinateClause(sentence.tokens, c.subject.first),
  );
  const actor = clause && resolve(clause.subject, sentence.index, all, segmented);
  return actor ? { actor, confidence: 0.7 } : undefined;
}

/**
 * `Rep. Ida Marek said Holt called on members to be "closely coordinated"`: a person who reports
 * what another said is the source of the quotation, not the one reported, unless the report is
 * an outlet's or a country's ("CCTV reported Xi emphasised …") or a "with X saying" aside.
 */
function outerReporter(sentence: Sentence, before: Clause[]): Clause | undefined {
  const { tokens } = sentence;
  const outer = before.find((clause) => !insideSubordinateClause(tokens, clause.subject.first));
  const inner = before.at(-1);
  if (!outer || !inner || outer === inner) return undefined;
  const reporter = outer.subject.pronoun !== undefined || outer.subject.actor.kind === 'PERSON' || outer.subject.actor.kind === 'GROUP';
  return reporter && !(tokens[inner.verb] as Token).lower.endsWith('ing') ? outer : undefined;
}

const participles = new WeakMap<Sentence, number>();

/** The first ", saying"-like participle of a reporting verb in a sentence (-1 for none), found once per sentence. */
function reportingParticiple(sentence: Sentence): number {
  let found = participles.get(sentence);
  if (found === undefined) {
    const { tokens, quoted } = sentence;
    found = tokens.findIndex(
      (token, k) =>
        !quoted[k] &&
        tokens[k - 1]?.text === ',' &&
        token.lower.endsWith('ing') &&
        (REPORTING_VERBS.has(token.lower) || ATTITUDE_VERBS.has(token.lower)),
    );
    participles.set(sentence, found);
  }
  return found;
}

/** The last token that ends at or before `offset` (binary search; tokens are in order), or -1. */
function lastTokenBefore(tokens: readonly Token[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((tokens[middle] as Token).end <= offset) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/**
 * `McConnell delivered a blunt message: "It's time to quit"`, `the supporter retorted: "…"`: a
 * quotation that a colon introduces is what the subject of the clause before the colon says.
 */
function colonSubject(sentence: Sentence, all: ArticleMentions, span: QuotedSpan): Mention | undefined {
  const { tokens, quoted } = sentence;
  const colon = lastTokenBefore(tokens, span.open);
  if (colon < 0 || (tokens[colon] as Token).text !== ':') return undefined;
  const clause = sentenceClauses(sentence, all).find(
    (c) => c.verb < colon && !insideSubordinateClause(tokens, c.subject.first) && !quoted[c.subject.first],
  );
  return clause?.subject;
}

/**
 * "Kasich suspended his campaign, telling supporters that …", "Lind left the meeting, saying …": a
 * participle of a reporting verb after a comma reports for the subject of the sentence's first clause.
 * Only a participle before offset `until` counts.
 */
function participleSubject(sentence: Sentence, all: ArticleMentions, until: number): Mention | undefined {
  const { tokens, quoted } = sentence;
  const participle = reportingParticiple(sentence);
  if (participle < 0 || (tokens[participle] as Token).end > until) return undefined;
  const clause = sentenceClauses(sentence, all).find(
    (c) => c.verb < participle && !insideSubordinateClause(tokens, c.subject.first) && !quoted[c.subject.first],
  );
  if (clause) return clause.subject;
  // "Mayor Ruth Okoye then appears in a clip, saying …": a verb the clauses do not know ("appears"),
  // but a person opens the sentence.
  const opening = (all.bySentence[sentence.index] ?? [])[0];
  const person = opening && (opening.pronoun === 'he' || opening.pronoun === 'she' || opening.actor.kind === 'PERSON');
  return person && opening.first === 0 && opening.last < participle && !quoted[opening.first] ? opening : undefined;
}

function hasAccordingTo(tokens: Token[]): boolean {
  return tokens.some((token, i) => token.lower === 'according' && tokens[i + 1]?.lower === 'to');
}

/** "according to X" anywhere in the sentence. */
function accordingTo(sentence: Sentence, mentions: Mention[]): Actor | undefined {
  const { tokens } = sentence;
  const k = tokens.findIndex((token, i) => token.lower === 'according' && tokens[i + 1]?.lower === 'to');
  if (k < 0) return undefined;
  // "according to (UK) National Rail Enquires": a bracketed qualifier is not the source.
  let from = k + 2;
  if (tokens[from]?.text === '(') while (from < tokens.length && tokens[from - 1]?.text !== ')') from++;
  return mentions.find((mention) => mention.first >= from && mention.first <= from + 3 && !mention.pronoun)?.actor;
}

/**
 * A quotation with no speech verb in its sentence: it continues the previous quotation ("…," said
 * X. "More words.") or a paragraph that introduces it ("Zelensky announced on Twitter…").
 */
function inheritedSpeaker(
  segmented: Segmented,
  mentions: ArticleMentions,
  span: QuotedSpan,
  sentence: Sentence,
  previous: FoundQuote | undefined,
): SpeakerChoice | undefined {
  if (previous?.speaker) {
    const previousSentence = segmented.sentences[previous.sentence] as Sentence;
    const sameParagraph = previousSentence.paragraph === sentence.paragraph;
    const nextParagraph = previousSentence.paragraph === sentence.paragraph - 1 && span.continues;
    if (sameParagraph || nextParagraph) return { actor: previous.speaker, confidence: 0.75 };
    // A paragraph that opens with a quotation, right after a paragraph whose last sentence quoted
    // someone, goes on quoting them.
    const lastOfParagraph = segmented.sentences[sentence.index - 1] === previousSentence;
    if (previousSentence.paragraph === sentence.paragraph - 1 && lastOfParagraph && span.open <= sentence.start)
      return { actor: previous.speaker, confidence: 0.6 };
  }
  const introduction = segmented.sentences[sentence.index - 1];
  if (introduction && introduction.paragraph === sentence.paragraph - 1 && /[:…]$|\.\.\.$/.test(introduction.text)) {
    const clause = sentenceClauses(introduction, mentions).find(
      (c) => c.reporting || THAT_CLAUSE_VERBS.has((introduction.tokens[c.verb] as Token).lower),
    );
    const actor = clause && resolve(clause.subject, introduction.index, mentions, segmented);
    if (actor) return { actor, confidence: 0.75 };
  }
  // "Jordan said the inquiry would be quick.\n\n“We will get answers.”": a paragraph that opens with a
  // quotation after a paragraph ending on what someone said.
  if (introduction && introduction.paragraph === sentence.paragraph - 1 && span.open <= sentence.start) {
    const clause = sentenceClauses(introduction, mentions).find((c) => c.reporting);
    const actor = clause && resolve(clause.subject, introduction.index, mentions, segmented);
    if (actor) return { actor, confidence: 0.6 };
  }
  return undefined;
}

/**
 * `"We will appeal," Lund said. The ruling, in her words, was "a disgrace".`: a fragment with
 * nobody speaking in its sentence goes on quoting whoever was quoted in the sentence before, in the
 * same paragraph. (The subject of a reporting clause there was tried too: on PolNeAR train it was
 * the fragment's speaker for only 3 of 18 fragments.)
 */
function previousQuoteSpeaker(segmented: Segmented, sentence: Sentence, previous: FoundQuote | undefined): SpeakerChoice | undefined {
  const before = segmented.sentences[sentence.index - 1];
  if (!before || before.paragraph !== sentence.paragraph || !previous?.speaker || previous.sentence < before.index) return undefined;
  return { actor: previous.speaker, confidence: 0.5 };
}

/** What a sentence tells of its reported statement: who states it (none when unnamed) and how sure that is. */
interface StatementSource {
  speaker?: Actor;
  confidence: number;
}

/** What a rule for a statement's source reads: the sentence, its reporting clauses and the quotes in it. */
interface StatementContext {
  sentence: Sentence;
  clauses: Clause[];
  inSentence: FoundQuote[];
  mentions: ArticleMentions;
  segmented: Segmented;
}

/** `Marsh called the plan "a disgrace"`: whoever a quoted fragment in a reporting sentence belongs to. */
function fragmentSpeaker({ sentence, clauses, inSentence }: StatementContext): StatementSource | undefined {
  if (clauses.length === 0 && !hasAccordingTo(sentence.tokens)) return undefined;
  const speaker = inSentence.find((quote) => quote.speaker)?.speaker;
  return speaker ? { speaker, confidence: 0.75 } : undefined;
}

/** "According to the Herald, the developer has agreed …": a source that opens the sentence outranks its subject. */
function openingAccordingTo({ sentence, mentions }: StatementContext): StatementSource | undefined {
  if (sentence.tokens[0]?.lower !== 'according' || sentence.tokens[1]?.lower !== 'to') return undefined;
  const speaker = accordingTo(sentence, mentions.bySentence[sentence.index] ?? []);
  return speaker ? { speaker, confidence: 0.7 } : undefined;
}

/** "Marsh said the levee held", "the A and B said": the subject of the main reporting clause. */
function mainClauseSubject({ sentence, clauses, mentions, segmented }: StatementContext): StatementSource | undefined {
  const clause = clauses[0];
  if (!clause) return undefined;
  const subject = firstConjunct(mentions.bySentence[sentence.index] ?? [], clause.subject, sentence.tokens);
  const speaker = resolve(subject, sentence.index, mentions, segmented);
  return speaker ? { speaker, confidence: clause.subject.pronoun ? 0.65 : 0.75 } : undefined;
}

/** "The port will reopen soon, said Tom Marsh.": a speech verb after a comma, then the name of who said it. */
function invertedTag({ sentence, mentions, segmented }: StatementContext): StatementSource | undefined {
  const { tokens, quoted } = sentence;
  const sentenceMentions = mentions.bySentence[sentence.index] ?? [];
  for (let k = 1; k < tokens.length - 1; k++) {
    const token = tokens[k] as Token;
    // ", telling supporters …" is a participle: its subject came before it.
    if (quoted[k] || token.capitalized || tokens[k - 1]?.text !== ',' || !SPEECH_VERBS.has(token.lower) || token.lower.endsWith('ing'))
      continue;
    const named = sentenceMentions.find((mention) => mention.first > k && mention.first <= k + TAG_NAME_DISTANCE && !mention.pronoun);
    const speaker = named && resolve(named, sentence.index, mentions, segmented);
    if (speaker && speaker !== PLACEHOLDER) return { speaker, confidence: 0.7 };
  }
  return undefined;
}

/** How far after an inverted tag's verb its speaker's name may start ("said the city's harbour master, Tom Marsh"). */
const TAG_NAME_DISTANCE = 3;

/**
 * "Tom Marsh, 58, who lives near the port, says …", "Ida Lund — a nurse from Halden — said …": a
 * name that opens the sentence is the subject of the first speech verb after a comma or a dash,
 * however long the description between them.
 */
function describedSubject({ sentence, mentions, segmented }: StatementContext): StatementSource | undefined {
  const { tokens, quoted } = sentence;
  const subject = (mentions.bySentence[sentence.index] ?? [])[0];
  if (!subject || subject.pronoun || subject.first > 1 || quoted[subject.first]) return undefined;
  const limit = Math.min(tokens.length - 1, subject.last + DESCRIPTION_LENGTH);
  for (let k = subject.last + 2; k < limit; k++) {
    const token = tokens[k] as Token;
    if (quoted[k] || token.capitalized || !SPEECH_VERBS.has(token.lower) || token.lower.endsWith('ing')) continue;
    if (!CONTINUING_MARKS.has(tokens[k - 1]?.text ?? '')) return undefined;
    const speaker = resolve(subject, sentence.index, mentions, segmented);
    return speaker && speaker !== PLACEHOLDER ? { speaker, confidence: 0.6 } : undefined;
  }
  return undefined;
}

/** The longest description between a name and its speech verb, in tokens (describedSubject, describedTagSubject). */
const DESCRIPTION_LENGTH = 30;

/** "Kasich suspended his campaign, telling supporters that he had faith": the subject of the clause a participle reports for. */
function participleSource({ sentence, mentions, segmented }: StatementContext): StatementSource | undefined {
  const subject = participleSubject(sentence, mentions, sentence.end);
  const speaker = subject && resolve(subject, sentence.index, mentions, segmented);
  return speaker ? { speaker, confidence: 0.6 } : undefined;
}

/** "Lund toured the harbour and said it would reopen": the subject of the clause a coordinated speech verb continues. */
function coordinatedSource({ sentence, mentions, segmented }: StatementContext): StatementSource | undefined {
  const { tokens, quoted } = sentence;
  const verb = continuingVerbs(sentence).find((k) => !(tokens[k] as Token).lower.endsWith('ing'));
  if (verb === undefined) return undefined;
  const clause = sentenceClauses(sentence, mentions).find(
    (c) => c.verb < verb && !insideSubordinateClause(tokens, c.subject.first) && !quoted[c.subject.first],
  );
  const speaker = clause && resolve(clause.subject, sentence.index, mentions, segmented);
  return speaker ? { speaker, confidence: 0.6 } : undefined;
}

/** "The ferry will run again, according to Brandt": "according to" anywhere. */
function accordingToSource({ sentence, mentions }: StatementContext): StatementSource | undefined {
  const speaker = accordingTo(sentence, mentions.bySentence[sentence.index] ?? []);
  if (speaker) return { speaker, confidence: 0.7 };
  // "…, according to local media": a reported claim whose source the text does not name.
  return hasAccordingTo(sentence.tokens) ? { confidence: 0.5 } : undefined;
}

/**
 * "Nearly half said they would stay home", "…, the rights group says": a speech verb whose subject
 * names nobody the extractor knows still reports a statement, of a source left unnamed.
 */
function unnamedSubject({ sentence, clauses, mentions, segmented }: StatementContext): StatementSource | undefined {
  if (clauses.length > 0) return undefined;
  const { tokens, quoted } = sentence;
  for (let k = 1; k < tokens.length; k++) {
    const token = tokens[k] as Token;
    const before = tokens[k - 1] as Token;
    if (quoted[k] || token.capitalized || !UNNAMED_SOURCE_VERBS.has(token.lower)) continue;
    if (!before.isWord || NOT_SUBJECT_ENDS.has(before.lower) || BE_FORMS.has(before.lower)) continue;
    // "a system believed to be old", "a plan thought by many to be dead": a participle describing a noun.
    if (/^(to|by)$/.test(tokens[k + 1]?.lower ?? '') && !/s$/.test(token.lower)) continue;
    if (insideSubordinateClause(tokens, k)) continue;
    // "Sixty percent of Marsh's voters said": a name inside the subject phrase, nearest the verb, speaks for it.
    const named = (mentions.bySentence[sentence.index] ?? [])
      .filter((mention) => mention.last < k && mention.first >= subjectPhraseStart(tokens, k))
      .at(-1);
    const speaker = named && resolve(named, sentence.index, mentions, segmented);
    return { speaker, confidence: speaker ? 0.55 : 0.45 };
  }
  return undefined;
}

/**
 * "A Halden Courier poll shows that …", "A 2019 study by Ostland University found …": evidence
 * that a named source published states what it shows. Evidence whose source goes unnamed ("First
 * reports suggested …") states nothing anyone said.
 */
function evidenceSource({ sentence, mentions, segmented }: StatementContext): StatementSource | undefined {
  const { tokens, quoted } = sentence;
  for (let k = 1; k < tokens.length; k++) {
    const token = tokens[k] as Token;
    if (quoted[k] || token.capitalized || !EVIDENCE_VERBS.has(token.lower)) continue;
    const from = subjectPhraseStart(tokens, k);
    if (!tokens.slice(from, k).some((word) => EVIDENCE_NOUNS.has(word.lower))) continue;
    const named = (mentions.bySentence[sentence.index] ?? []).find(
      (mention) => mention.first >= from && mention.last < k && !mention.pronoun && EVIDENCE_PUBLISHERS.has(mention.actor.kind),
    );
    const speaker = named && resolve(named, sentence.index, mentions, segmented);
    if (speaker && speaker !== PLACEHOLDER) return { speaker, confidence: 0.5 };
  }
  return undefined;
}

/** The kinds of actor that publish polls, studies and analyses. */
const EVIDENCE_PUBLISHERS: ReadonlySet<string> = new Set(['ORGANIZATION', 'MEDIA', 'PERSON']);

/** Where the subject phrase before token `k` starts: after the last comma, dash or "that" before it. */
function subjectPhraseStart(tokens: Token[], k: number): number {
  for (let j = k - 1; j >= 0; j--) if (/^[,;:—–-]$/.test((tokens[j] as Token).text) || (tokens[j] as Token).lower === 'that') return j + 1;
  return 0;
}

/** "…, business leaders who say the law is unfair": a relative clause that reports, when nothing else in the sentence does. */
function relativeSource(context: StatementContext): StatementSource | undefined {
  return relativeClauses(context)[0]?.source;
}

/** The rules for a reported statement's source, in the order they are tried. */
const STATEMENT_SOURCES: readonly ((context: StatementContext) => StatementSource | undefined)[] = [
  fragmentSpeaker,
  openingAccordingTo,
  mainClauseSubject,
  invertedTag,
  describedSubject,
  accordingToSource,
  participleSource,
  coordinatedSource,
  evidenceSource,
  unnamedSubject,
  relativeSource,
];

/**
 * Sentences that report what an actor said or claimed without quoting it whole: the sentence (or
 * each statement of it, see statementParts) is an INDIRECT quote, spoken by the source the first
 * rule of STATEMENT_SOURCES finds. A sentence that holds a DIRECT quotation reports only what its
 * tag adds ("…," Lind said, adding that …).
 */
export function reportedStatements(segmented: Segmented, mentions: ArticleMentions, quotes: FoundQuote[]): FoundQuote[] {
  const found: FoundQuote[] = [];
  const quotesBySentence = bySentence(quotes);
  for (const sentence of segmented.sentences) {
    const inSentence = quotesBySentence.get(sentence.index) ?? [];
    // A statement needs a reporting verb in its main clause; "where he praised the partnership" is an aside.
    const clauses = sentenceClauses(sentence, mentions).filter(
      (clause) => clause.reporting && !insideSubordinateClause(sentence.tokens, clause.subject.first),
    );
    const context: StatementContext = { sentence, clauses, inSentence, mentions, segmented };
    const parts = inSentence.some((quote) => quote.kind === 'DIRECT') ? quotationAsides(context) : sentenceStatements(context);
    for (const part of parts) {
      const start = (sentence.tokens[part.from] as Token).start;
      const end = part.to < sentence.tokens.length ? (sentence.tokens[part.to - 1] as Token).end : sentence.end;
      found.push({
        text: segmented.body.slice(start, end),
        kind: 'INDIRECT',
        speaker: part.source.speaker,
        channel: channelOf(sentence, mentions.bySentence[sentence.index] ?? [], part.source.speaker),
        start,
        end,
        sentence: sentence.index,
        confidence: part.source.confidence,
      });
    }
  }
  return found;
}

/** The statements of a sentence without a DIRECT quotation. */
function sentenceStatements(context: StatementContext): StatementPart[] {
  const { sentence } = context;
  // "Zelensky announced on Twitter…" introduces the quotation that follows; it is not a statement itself.
  if (/[:…]$|\.\.\.$/.test(sentence.text)) return [];
  if (sentence.quoted.every(Boolean)) return [];
  let source: StatementSource | undefined;
  for (const rule of STATEMENT_SOURCES) if ((source = rule(context))) break;
  if (!source || source.speaker === PLACEHOLDER) return [];
  return statementParts(context, source);
}

/**
 * `"We are ready," Lind said, adding that the port would reopen`, `said Osei, who argued that …`:
 * what the tag of a DIRECT quotation reports besides the quotation, up to the next quotation.
 */
function quotationAsides(context: StatementContext): StatementPart[] {
  const { sentence, inSentence } = context;
  const { tokens, quoted } = sentence;
  const quoteSpeaker = (at: number): StatementSource | undefined => {
    const speaker = inSentence.filter((quote) => quote.end <= (tokens[at] as Token).start && quote.speaker).at(-1)?.speaker;
    return speaker ? { speaker, confidence: 0.6 } : undefined;
  };
  const starts = [
    ...continuingVerbs(sentence).flatMap((at) => {
      const source = quoteSpeaker(at);
      return source ? [{ at, source }] : [];
    }),
    ...relativeClauses(context),
  ].sort((a, b) => a.at - b.at);
  const parts: StatementPart[] = [];
  for (const start of starts) {
    if (quoted[start.at] || (parts.at(-1)?.to ?? 0) > start.at) continue;
    let to = start.at + 1;
    while (to < tokens.length && !quoted[to]) to++;
    if (to - start.at >= MIN_PART_TOKENS) parts.push({ from: start.at, to, source: start.source });
  }
  return parts;
}

/** A stretch of a sentence's tokens, [from, to), that reports one statement, and its source. */
interface StatementPart {
  from: number;
  to: number;
  source: StatementSource;
}

/**
 * A sentence may report several statements: "Lind praised the plan, saying it would pay for
 * itself", "Osei toured the port and said it would reopen", "Lind backs the levy, while Osei
 * says it is unfair". Each further reporting verb starts a statement of its own, spoken by the
 * sentence's source or by the subject of its own clause; words before the first of them that
 * report nothing join the statement that follows.
 */
function statementParts(context: StatementContext, source: StatementSource): StatementPart[] {
  const { sentence } = context;
  const { tokens } = sentence;
  const starts = [
    ...continuingVerbs(sentence).map((at) => ({ at, source })),
    ...laterReportingClauses(context),
    ...relativeClauses(context).filter((start) => start.source.speaker),
  ]
    .sort((a, b) => a.at - b.at)
    .filter((start, i, all) => start.at >= MIN_PART_TOKENS && start.at - (all[i - 1]?.at ?? 0) >= MIN_PART_TOKENS);
  const parts: StatementPart[] = [{ from: 0, to: tokens.length, source }];
  for (const start of starts) {
    const last = parts.at(-1) as StatementPart;
    if (tokens.length - start.at < MIN_PART_TOKENS) break;
    if (parts.length === 1 && !reportsBefore(context, start.at)) {
      last.source = start.source;
      continue;
    }
    last.to = start.at;
    parts.push({ from: start.at, to: tokens.length, source: start.source });
  }
  return parts;
}

/** A statement part shorter than this ("and said so") is left in the one before it. */
const MIN_PART_TOKENS = 4;

/** Whether the words before token `at` report: a reporting clause, a continuing verb or "according to". */
function reportsBefore({ sentence, mentions }: StatementContext, at: number): boolean {
  const { tokens } = sentence;
  if (sentenceClauses(sentence, mentions).some((clause) => clause.reporting && clause.verb < at)) return true;
  if (continuingVerbs(sentence).some((verb) => verb < at)) return true;
  return tokens.some((token, k) => k < at && token.lower === 'according' && tokens[k + 1]?.lower === 'to');
}

const continuing = new WeakMap<Sentence, number[]>();

/**
 * Reporting verbs that carry on the sentence's subject: a participle after a comma or dash
 * (", saying …", "— adding …") and a verb coordinated by "and" or "but" ("… and said …").
 */
function continuingVerbs(sentence: Sentence): number[] {
  let found = continuing.get(sentence);
  if (!found) {
    const { tokens, quoted } = sentence;
    found = [];
    for (let k = 1; k < tokens.length; k++) {
      const token = tokens[k] as Token;
      if (quoted[k] || token.capitalized || tokens.length - k <= MIN_PART_TOKENS) continue;
      const before = tokens[k - 1] as Token;
      const reports = REPORTING_VERBS.has(token.lower) || ATTITUDE_VERBS.has(token.lower);
      const participle = token.lower.endsWith('ing') && CONTINUING_MARKS.has(before.text) && reports;
      const coordinated = !token.lower.endsWith('ing') && COORDINATORS.has(before.lower) && SPEECH_VERBS.has(token.lower);
      if (participle || coordinated) found.push(k);
    }
    continuing.set(sentence, found);
  }
  return found;
}

/**
 * "Lind backs the levy, while Osei says it is unfair": a reporting clause of its own after a
 * comma or a conjunction, later in the sentence, states what its own subject said.
 */
function laterReportingClauses({ sentence, clauses, mentions, segmented }: StatementContext): { at: number; source: StatementSource }[] {
  const { tokens } = sentence;
  const starts: { at: number; source: StatementSource }[] = [];
  const all = sentenceClauses(sentence, mentions);
  for (const clause of all) {
    // "…, a spokeswoman said." tags the words before it; a statement of its own says something after its verb.
    if (!clause.reporting || clause.subject.first < MIN_PART_TOKENS || tokens.length - clause.verb <= MIN_PART_TOKENS) continue;
    // "the developer, Norvik Homes, has agreed": an apposition is the same subject again, not a clause of its own.
    if (all.some((other) => other.verb === clause.verb && other.subject.first < clause.subject.first)) continue;
    // The main clause is the sentence's statement: "According to the Courier, Lind has agreed …",
    // "Although Osei objected, Lind said …".
    if (clause === clauses[0]) continue;
    const before = tokens[clause.subject.first - 1] as Token;
    if (before.text !== ',' && before.text !== ';' && !COORDINATORS.has(before.lower) && !CLAUSE_JOINERS.has(before.lower)) continue;
    const speaker = resolve(clause.subject, sentence.index, mentions, segmented);
    if (!speaker || speaker === PLACEHOLDER) continue;
    starts.push({ at: clause.subject.first, source: { speaker, confidence: clause.subject.pronoun ? 0.6 : 0.7 } });
  }
  return starts;
}

/**
 * "Cole, who said the bill was dead", "voters who say prices are too high", "the Courier, which
 * reported that …": a relative clause whose verb reports states what the noun before the pronoun
 * said; unnamed when that noun names nobody.
 */
function relativeClauses({ sentence, mentions, segmented }: StatementContext): { at: number; source: StatementSource }[] {
  const { tokens, quoted } = sentence;
  const starts: { at: number; source: StatementSource }[] = [];
  for (let k = 1; k < tokens.length; k++) {
    if (quoted[k] || !RELATIVE_PRONOUNS.has((tokens[k] as Token).lower)) continue;
    const verb = skipAdverbs(tokens, k);
    const token = tokens[verb];
    if (!token || quoted[verb] || token.capitalized || token.lower.endsWith('ing') || tokens.length - verb <= MIN_PART_TOKENS) continue;
    if (!REPORTING_VERBS.has(token.lower) && !ATTITUDE_VERBS.has(token.lower)) continue;
    const end = tokens[k - 1]?.text === ',' ? k - 2 : k - 1;
    const antecedent = (mentions.bySentence[sentence.index] ?? []).find((mention) => mention.last === end);
    const speaker = antecedent && resolve(antecedent, sentence.index, mentions, segmented);
    if (speaker === PLACEHOLDER) continue;
    starts.push({ at: k, source: { speaker, confidence: speaker ? 0.55 : 0.45 } });
  }
  return starts;
}

/** "Although Zelensky repeatedly expressed …, Russia's foreign ministry questioned": the first subject is not the sentence's speaker. */
function insideSubordinateClause(tokens: Token[], at: number): boolean {
  for (let k = at - 1; k >= 0; k--) {
    const token = tokens[k] as Token;
    if (token.text === ',') return false;
    if (SUBORDINATORS.has(token.lower)) return true;
  }
  return false;
}
