/**
 * Scores the extractor on PolNeAR (Newell et al., LREC 2018): news articles whose attributions
 * (Source, Cue, Content) are annotated in brat standoff. The corpus is read where the user keeps it,
 * a bare git directory or a checkout, in memory; nothing is written and nothing of it is kept.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Extraction } from './extract/index.js';
import { PERSON_TITLES, ROLE_NOUNS } from './extract/lexicon.js';
import { overlapShare } from './extract/score.js';
import { quotedSpansOf, paragraphsOf } from './extract/segment.js';

export type Span = [number, number];

/** One annotated attribution: who (Source), the cue, and what is attributed (Content), each possibly discontinuous. */
export interface Attribution {
  source: { spans: Span[]; text: string }[];
  cue: Span[];
  content: Span[];
}

export interface PolnearArticle {
  name: string;
  text: string;
  attributions: Attribution[];
}

/** Reads the brat standoff of one article: T lines are spans ("T3\tContent 115 290;300 310\ttext"), E lines tie them together. */
export function parseBrat(ann: string): Attribution[] {
  const spans = new Map<string, { label: string; spans: Span[]; text: string }>();
  const events: Map<string, string[]>[] = [];
  for (const line of ann.split('\n')) {
    const [id, body, text = ''] = line.split('\t');
    if (!id || !body) continue;
    if (id.startsWith('T')) {
      const [label = '', ...offsets] = body.split(' ');
      const pieces = offsets
        .join(' ')
        .split(';')
        .map((piece) => piece.split(' ').map(Number) as Span)
        .filter(([start, end]) => Number.isFinite(start) && Number.isFinite(end) && end > start);
      spans.set(id, { label, spans: pieces, text });
    } else if (id.startsWith('E')) {
      const roles = new Map<string, string[]>();
      for (const part of body.split(' ')) {
        const [role, ref] = part.split(':');
        if (!role || !ref) continue;
        const key = role.replace(/\d+$/, '');
        roles.set(key, [...(roles.get(key) ?? []), ref]);
      }
      events.push(roles);
    }
  }
  const piecesOf = (refs: string[] | undefined) => (refs ?? []).flatMap((ref) => spans.get(ref)?.spans ?? []);
  return events
    .map((roles) => ({
      source: (roles.get('Source') ?? []).flatMap((ref) => {
        const span = spans.get(ref);
        return span ? [{ spans: span.spans, text: span.text }] : [];
      }),
      cue: piecesOf(roles.get('Cue')),
      content: piecesOf(roles.get('Content')),
    }))
    .filter((attribution) => attribution.content.length > 0);
}

/** Lists and reads files of the corpus from a bare git directory (`git --git-dir DIR`) or a checkout. */
function corpusReader(dir: string): { list: (folder: string) => string[]; read: (file: string) => string } {
  const bare = existsSync(path.join(dir, 'HEAD')) && existsSync(path.join(dir, 'objects'));
  if (bare) {
    const git = (...args: string[]) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return {
      list: (folder) =>
        git('ls-tree', '--name-only', `HEAD:${folder}`)
          .split('\n')
          .filter((name) => name !== ''),
      read: (file) => git('show', `HEAD:${file}`),
    };
  }
  return {
    list: (folder) =>
      existsSync(path.join(dir, folder)) && statSync(path.join(dir, folder)).isDirectory() ? readdirSync(path.join(dir, folder)) : [],
    read: (file) => readFileSync(path.join(dir, file), 'utf8'),
  };
}

/**
 * The articles of one split. Articles annotated by several annotators (the `_ANNOTATOR` suffix of
 * the .ann name) are scored against the first annotation in name order, so every run is the same.
 */
export function readPolnear(dir: string, split: string): PolnearArticle[] {
  const reader = corpusReader(dir);
  const annotations = new Map<string, string>();
  for (const file of reader.list(`data/${split}/attributions`).sort()) {
    const match = /^(.*)_[0-9a-f]{4}\.ann$/.exec(file);
    if (match?.[1] && !annotations.has(match[1])) annotations.set(match[1], file);
  }
  return [...annotations].map(([name, file]) => ({
    name,
    text: reader.read(`data/${split}/text/${name}.txt`),
    attributions: parseBrat(reader.read(`data/${split}/attributions/${file}`)),
  }));
}

/** Words that start a Source without naming anyone ("He", "The campaign", "A spokesman"). */
const NOT_NAMES = new Set(
  `he she it they we i you his her their its our my the a an this that these those some many most several one two officials
   mr mr. mrs mrs. ms ms. dr dr. and of in for at on to with by from who which`.split(/\s+/),
);

/** The capitalized words of a name, lower-cased, titles left out: what "shares a name word" compares. */
export function nameWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const match of text.matchAll(/\p{Lu}[\p{L}'’.-]*/gu)) {
    const word = match[0].toLowerCase().replace(/['’]s$|[.'’]+$/u, '');
    if (word.length > 1 && !NOT_NAMES.has(word) && !ROLE_NOUNS.has(word) && !PERSON_TITLES.has(word)) words.add(word);
  }
  return words;
}

export interface PolnearCounts {
  quotes: { truePositives: number; falsePositives: number; falseNegatives: number };
  reported: { found: number; total: number };
  indirect: { overlapping: number; predicted: number };
  speakers: { correct: number; eligible: number };
  /** Items for error analysis: what was missed, spurious or misattributed, with its text. */
  notes: string[];
}

const length = (spans: Span[]) => spans.reduce((sum, [start, end]) => sum + end - start, 0);
const inside = (span: Span, pieces: Span[]) =>
  pieces.reduce((sum, [start, end]) => sum + Math.max(0, Math.min(span[1], end) - Math.max(span[0], start)), 0);
const extent = (pieces: Span[]): Span => [Math.min(...pieces.map((p) => p[0])), Math.max(...pieces.map((p) => p[1]))];

/** The spans of a text between quote marks, read the way the extractor reads them. */
export function quotedSpans(text: string): Span[] {
  const spans: Span[] = [];
  let runsOn = false;
  paragraphsOf(text).forEach((paragraph, index) => {
    const found = quotedSpansOf(text, paragraph, index, runsOn);
    runsOn = found.at(-1)?.runsOn ?? false;
    for (const span of found) if (span.end > span.start) spans.push([span.start, span.end]);
  });
  return spans;
}

/** Whether a predicted speaker shares a name word with a Source that names someone (undefined when no Source names anyone). */
function speakerRight(speaker: string | null, attribution: Attribution): boolean | undefined {
  const named = attribution.source.map((source) => nameWords(source.text)).filter((words) => words.size > 0);
  if (named.length === 0) return undefined;
  if (!speaker) return false;
  const predicted = nameWords(speaker);
  return named.some((words) => [...words].some((word) => predicted.has(word)));
}

/**
 * Scores one article (the rules are the --help text's):
 * - a quoted span is gold when at least half of it lies in an attribution's Content; a predicted
 *   DIRECT or PARTIAL quote matches a gold span that it overlaps by at least half of the shorter
 *   one, one to one;
 * - reported speech is every attribution whose Content is mostly outside quote marks; it is found
 *   when a predicted INDIRECT statement overlaps its Content by half the shorter span, one to one;
 * - a predicted INDIRECT statement is right when it overlaps some attribution (Source to Content)
 *   by half the shorter span;
 * - the speaker of a matched item is right when it shares a name word with a Source of its
 *   attribution; items whose attribution has no Source that names someone are not counted.
 */
export function scorePolnear(article: PolnearArticle, extraction: Extraction): PolnearCounts {
  const { text, attributions } = article;
  const counts: PolnearCounts = {
    quotes: { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
    reported: { found: 0, total: 0 },
    indirect: { overlapping: 0, predicted: 0 },
    speakers: { correct: 0, eligible: 0 },
    notes: [],
  };
  const owner = (span: Span) => {
    let best: Attribution | undefined;
    let share = 0;
    for (const attribution of attributions) {
      const within = inside(span, attribution.content) / (span[1] - span[0]);
      if (within > share) [best, share] = [attribution, within];
    }
    return share >= 0.5 ? best : undefined;
  };
  const judge = (speaker: string | null, attribution: Attribution, what: string) => {
    const right = speakerRight(speaker, attribution);
    if (right === undefined) return;
    counts.speakers.eligible++;
    if (right) counts.speakers.correct++;
    else counts.notes.push(`speaker ${speaker ?? 'none'} (gold ${attribution.source.map((s) => s.text).join(' / ')}): ${what}`);
  };

  const quoted = quotedSpans(text);
  const gold = quoted.flatMap((span) => {
    const attribution = owner(span);
    return attribution ? [{ span, attribution }] : [];
  });
  const open = [...gold];
  for (const quote of extraction.quotes.filter((q) => q.kind !== 'INDIRECT')) {
    const span: Span = [quote.startOffset, quote.endOffset];
    const at = open.findIndex((candidate) => overlapShare(candidate.span, span) >= 0.5);
    const match = open[at];
    if (!match) {
      counts.quotes.falsePositives++;
      counts.notes.push(`spurious quote: "${quote.text}"`);
      continue;
    }
    open.splice(at, 1);
    counts.quotes.truePositives++;
    judge(quote.speaker, match.attribution, `"${quote.text}"`);
  }
  counts.quotes.falseNegatives = open.length;
  for (const missed of open) counts.notes.push(`missed quote: "${text.slice(...missed.span)}"`);

  const reported = attributions.filter((attribution) => {
    const quotedShare = quoted.reduce((sum, span) => sum + inside(span, attribution.content), 0);
    return quotedShare < length(attribution.content) / 2;
  });
  counts.reported.total = reported.length;
  const openReported = [...reported];
  for (const statement of extraction.quotes.filter((q) => q.kind === 'INDIRECT')) {
    const span: Span = [statement.startOffset, statement.endOffset];
    counts.indirect.predicted++;
    const overlapping = attributions.some(
      (attribution) =>
        overlapShare(extent([...attribution.content, ...attribution.cue, ...attribution.source.flatMap((s) => s.spans)]), span) >= 0.5,
    );
    if (overlapping) counts.indirect.overlapping++;
    else counts.notes.push(`INDIRECT outside any attribution: "${statement.text}"`);
    const at = openReported.findIndex((attribution) => overlapShare(extent(attribution.content), span) >= 0.5);
    const match = openReported[at];
    if (!match) continue;
    openReported.splice(at, 1);
    counts.reported.found++;
    judge(statement.speaker, match, `"${statement.text}"`);
  }
  for (const missed of openReported) counts.notes.push(`missed reported: "${text.slice(...extent(missed.content))}"`);
  return counts;
}

/** Sums article counts. */
export function totalPolnear(all: PolnearCounts[]): Omit<PolnearCounts, 'notes'> {
  const total: Omit<PolnearCounts, 'notes'> = {
    quotes: { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
    reported: { found: 0, total: 0 },
    indirect: { overlapping: 0, predicted: 0 },
    speakers: { correct: 0, eligible: 0 },
  };
  for (const counts of all) {
    for (const group of ['quotes', 'reported', 'indirect', 'speakers'] as const) {
      const into = total[group] as unknown as Record<string, number>;
      const from = counts[group] as unknown as Record<string, number>;
      for (const key of Object.keys(into)) into[key] = (into[key] ?? 0) + (from[key] ?? 0);
    }
  }
  return total;
}
