import { ABBREVIATIONS, ADVERBS, QUOTE_TAG_VERBS, REPORTING_VERBS, SPEECH_VERBS } from './lexicon.js';

/**
 * Splits an article body into paragraphs, quoted spans, sentences and tokens, all carrying offsets
 * into the body (UTF-16 code units, as the API's quote offsets do).
 */

/** A span of the body between quote marks, without the marks. */
export interface QuotedSpan {
  start: number;
  end: number;
  /** Offset of the opening quote mark, and just past the closing one (marks may be two characters: ''). */
  open: number;
  close: number;
  paragraph: number;
  /** The span continues a quotation left open at the end of the previous paragraph. */
  continues: boolean;
  /** The quotation is still open when its paragraph ends (journalists' convention for multi-paragraph quotes). */
  runsOn: boolean;
}

export interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
  /** Starts with a capital letter (or is an acronym). */
  capitalized: boolean;
  isWord: boolean;
}

export interface Sentence {
  index: number;
  paragraph: number;
  start: number;
  end: number;
  text: string;
  tokens: Token[];
  /** Per token: whether it lies inside quotation marks (names there belong to the quote, not to the narration). */
  quoted: boolean[];
}

export interface Segmented {
  body: string;
  paragraphs: { start: number; end: number }[];
  quotes: QuotedSpan[];
  sentences: Sentence[];
}

const OPENING_DOUBLE = '“„«';
const CLOSING_DOUBLE = '”»';

export function paragraphsOf(body: string): { start: number; end: number }[] {
  const paragraphs: { start: number; end: number }[] = [];
  const line = /[^\n]+/g;
  for (let match = line.exec(body); match; match = line.exec(body)) {
    const text = match[0];
    const leading = text.length - text.trimStart().length;
    const trimmed = text.trim();
    if (trimmed) paragraphs.push({ start: match.index + leading, end: match.index + leading + trimmed.length });
  }
  return paragraphs;
}

/**
 * Quoted spans in one paragraph, from curly double quotes, straight double quotes and doubled
 * apostrophes ('' as some wire and archive texts write quote marks; both open and close in turn),
 * and curly single quotes when a paragraph opens one (otherwise ’ is an apostrophe).
 */
export function quotedSpansOf(
  body: string,
  paragraph: { start: number; end: number },
  index: number,
  continuesOpen: boolean,
): QuotedSpan[] {
  const spans: QuotedSpan[] = [];
  let openAt = -1;
  let continues = false;
  const text = body.slice(paragraph.start, paragraph.end);
  const usesSingle = /(^|[\s(—–-])‘\p{L}/u.test(text);
  let markAt = -1;
  for (let i = paragraph.start; i < paragraph.end; i++) {
    const char = body[i] ?? '';
    const previous = body[i - 1] ?? ' ';
    const next = body[i + 1] ?? ' ';
    const width = char === "'" && next === "'" ? 2 : 1;
    const straight = char === '"' || width === 2;
    const opens =
      OPENING_DOUBLE.includes(char) || (straight && openAt < 0) || (usesSingle && char === '‘' && /[\s(—–-]/.test(previous) && openAt < 0);
    const closes =
      openAt >= 0 &&
      (CLOSING_DOUBLE.includes(char) || straight || (usesSingle && char === '’' && !/\p{L}/u.test(next) && body[openAt - 1] === '‘'));
    if (closes) {
      spans.push({ start: openAt, end: i, open: markAt, close: i + width, paragraph: index, continues, runsOn: false });
      openAt = -1;
      continues = false;
      i += width - 1;
    } else if (opens && openAt < 0) {
      markAt = i;
      openAt = i + width;
      i += width - 1;
    }
  }
  if (openAt >= 0)
    spans.push({ start: openAt, end: paragraph.end, open: markAt, close: paragraph.end, paragraph: index, continues, runsOn: true });
  // A paragraph that opens with a quote mark while the previous one ran on continues that quotation.
  const first = spans[0];
  if (continuesOpen && first && first.open === paragraph.start) first.continues = true;
  return spans;
}

const TOKEN = /(?:\p{Lu}\.){2,}|[\p{L}\p{N}]+(?:[-'’.&][\p{L}\p{N}]+)*|\S/gu;

export function tokenize(body: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  const text = body.slice(start, end);
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    let word = match[0];
    const at = start + match.index;
    const isWord = /^[\p{L}\p{N}]/u.test(word);
    // "Ukraine’s" is the name plus a possessive marker.
    const possessive = /^(.+?)['’]s$/u.exec(word);
    if (isWord && possessive?.[1]) {
      word = possessive[1];
      tokens.push(makeToken(word, at, true));
      tokens.push(makeToken("'s", at + word.length, false));
      continue;
    }
    // Keep the full stop of "Mr." and of an initial ("Marcus T. Hale") with its word.
    if (isWord && (ABBREVIATIONS.has(word.toLowerCase()) || /^\p{Lu}$/u.test(word)) && body[at + word.length] === '.') word += '.';
    tokens.push(makeToken(word, at, isWord));
    if (word.length > match[0].length) TOKEN.lastIndex += 1;
  }
  return tokens;
}

function makeToken(text: string, start: number, isWord: boolean): Token {
  return { text, lower: text.toLowerCase(), start, end: start + text.length, capitalized: isWord && /^\p{Lu}/u.test(text), isWord };
}

/** Whether offset `i` lies inside a quotation, for offsets asked in increasing order (one sweep over the spans). */
function insideSweep(quotes: readonly QuotedSpan[]): (i: number) => boolean {
  let at = 0;
  return (i) => {
    while (at < quotes.length && (quotes[at] as QuotedSpan).end <= i) at++;
    const quote = quotes[at];
    return !!quote && i >= quote.start && i < quote.end;
  };
}

/**
 * Sentences longer than this are cut at a space: no news sentence is this long, and the rules look
 * around each quote and mention within its sentence, so an unbroken megabyte would cost its square.
 */
export const MAX_SENTENCE_LENGTH = 1500;

/** Sentence ends: . ! ? or … followed by space and a capital, digit or quote mark, never inside a quotation. */
function sentenceBreaks(body: string, paragraph: { start: number; end: number }, quotes: QuotedSpan[]): number[] {
  const breaks: number[] = [];
  const inside = insideSweep(quotes);
  for (let i = paragraph.start; i < paragraph.end; i++) {
    const char = body[i] ?? '';
    if (!/[.!?…]/.test(char) || inside(i)) continue;
    let j = i + 1;
    while (j < paragraph.end && /[.!?…)\]’”"']/.test(body[j] ?? '')) j++;
    if (j >= paragraph.end || !/\s/.test(body[j] ?? '')) continue;
    let k = j;
    while (k < paragraph.end && /\s/.test(body[k] ?? '')) k++;
    if (!/[\p{Lu}\p{N}“"‘]/u.test(body[k] ?? '') && body.slice(k, k + 2) !== "''") continue;
    const word = /([\p{L}]+)\.$/u.exec(body.slice(Math.max(paragraph.start, i - 6), i + 1));
    if (char === '.' && word?.[1] && (ABBREVIATIONS.has(word[1].toLowerCase()) || /^\p{Lu}$/u.test(word[1]))) continue;
    breaks.push(j);
  }
  // A quotation that closes with its own full stop ends the sentence: `… entering “a new era.” Next`.
  for (const quote of quotes) {
    const { close } = quote;
    if (!/[.!?…]$/.test(body.slice(Math.max(quote.start, quote.end - 1), quote.end))) continue;
    let k = close;
    while (k < paragraph.end && /\s/.test(body[k] ?? '')) k++;
    const opensNext = /[\p{Lu}“"]/u.test(body[k] ?? '') || body.slice(k, k + 2) === "''";
    if (k > close && k < paragraph.end && opensNext && !isTrailingTag(body, quote, k, paragraph.end)) breaks.push(close);
  }
  return capLengths(
    [...new Set(breaks)].sort((a, b) => a - b),
    body,
    paragraph,
  );
}

/**
 * `“Who pays?” Mira Tolland asked.`: a question or exclamation closes the quotation but not the
 * sentence when a name and a speech verb follow, so the tag stays with its quote.
 */
function isTrailingTag(body: string, quote: QuotedSpan, k: number, end: number): boolean {
  if (!/[!?]$/.test(body.slice(quote.start, quote.end))) return false;
  const tag = /^(?:\p{Lu}[\p{L}.'’-]*\s+){1,4}(\p{Ll}+)[\s.,]/u.exec(body.slice(k, Math.min(end, k + 80)));
  return !!tag?.[1] && (SPEECH_VERBS.has(tag[1]) || QUOTE_TAG_VERBS.has(tag[1]) || REPORTING_VERBS.has(tag[1]));
}

/** Adds breaks so that no sentence runs past MAX_SENTENCE_LENGTH, at the last space before the limit (or at the limit). */
function capLengths(breaks: number[], body: string, paragraph: { start: number; end: number }): number[] {
  const capped: number[] = [];
  let start = paragraph.start;
  for (const end of [...breaks, paragraph.end]) {
    while (end - start > MAX_SENTENCE_LENGTH) {
      const space = body.lastIndexOf(' ', start + MAX_SENTENCE_LENGTH);
      const cut = space > start + MAX_SENTENCE_LENGTH / 2 ? space + 1 : start + MAX_SENTENCE_LENGTH;
      capped.push(cut);
      start = cut;
    }
    if (end < paragraph.end) capped.push(end);
    start = end;
  }
  return capped;
}

export function segment(body: string): Segmented {
  const paragraphs = paragraphsOf(body);
  const quotes: QuotedSpan[] = [];
  const sentences: Sentence[] = [];
  let runsOn = false;
  paragraphs.forEach((paragraph, index) => {
    const spans = quotedSpansOf(body, paragraph, index, runsOn);
    runsOn = spans.at(-1)?.runsOn ?? false;
    // One at a time: a paragraph may hold more spans than a call may take arguments.
    for (const span of spans) quotes.push(span);
    let start = paragraph.start;
    for (const end of [...sentenceBreaks(body, paragraph, spans), paragraph.end]) {
      const text = body.slice(start, end).trimEnd();
      if (text.trim()) {
        const sentenceEnd = start + text.length;
        const tokens = tokenize(body, start, sentenceEnd);
        const quoted = quotedTokens(tokens, spans);
        sentences.push({ index: sentences.length, paragraph: index, start, end: sentenceEnd, text, tokens, quoted });
      }
      start = end;
      while (start < paragraph.end && /\s/.test(body[start] ?? '')) start++;
    }
  });
  return { body, paragraphs, quotes, sentences };
}

/** Per token, whether it lies inside one of the spans (both in body order: one sweep). */
function quotedTokens(tokens: readonly Token[], spans: readonly QuotedSpan[]): boolean[] {
  let at = 0;
  return tokens.map((token) => {
    while (at < spans.length && (spans[at] as QuotedSpan).end < token.end) at++;
    const quote = spans[at];
    return !!quote && token.start >= quote.start && token.end <= quote.end;
  });
}

/** The sentence that contains a body offset (binary search over the sentences in order). */
export function sentenceAt(segmented: Segmented, offset: number): Sentence | undefined {
  const { sentences } = segmented;
  let low = 0;
  let high = sentences.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const sentence = sentences[middle] as Sentence;
    if (offset < sentence.start) high = middle - 1;
    else if (offset > sentence.end) low = middle + 1;
    else return sentence;
  }
  return undefined;
}

/** Groups items by the sentence they belong to. */
export function bySentence<T extends { sentence: number }>(items: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(item.sentence);
    if (group) group.push(item);
    else groups.set(item.sentence, [item]);
  }
  return groups;
}

/** The first token after `k` that is not an adverb or auxiliary ("also", "repeatedly", "has"). */
export function skipAdverbs(tokens: readonly Token[], k: number): number {
  let next = k + 1;
  while (next < tokens.length && (ADVERBS.has((tokens[next] as Token).lower) || /^[a-z]+ly$/.test((tokens[next] as Token).lower))) next++;
  return next;
}

/** The first token after a short bracketed tag starting at `k` ("(D-N.C.)", "(R)"), or `k` when none starts there. */
export function skipBracketTag(tokens: readonly Token[], k: number): number {
  if (tokens[k]?.text !== '(') return k;
  for (let close = k + 1; close < Math.min(tokens.length, k + 10); close++) if ((tokens[close] as Token).text === ')') return close + 1;
  return k;
}
