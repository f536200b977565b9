/**
 * Scores an extraction against a gold annotation exactly as the gold set's README defines it:
 * DIRECT+PARTIAL quotes by normalized text, INDIRECT statements by span overlap, speakers by any
 * name of the gold speaker, actors by one shared name or alias.
 */
import { nameKey } from '../text/names.js';

export interface GoldActor {
  name: string;
  kind: string;
  aliases?: string[];
}

export interface GoldQuote {
  text: string;
  kind: string;
  speaker?: string | null;
}

export interface GoldArticle {
  body: string;
  actors?: GoldActor[];
  quotes?: GoldQuote[];
  notQuotes?: string[];
  ambiguous?: string[];
}

export interface PredictedArticle {
  actors: GoldActor[];
  quotes: { text: string; kind: string; speaker?: string | null; startOffset?: number | null; endOffset?: number | null }[];
}

export interface Counts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface ArticleScore {
  quotes: Counts;
  quoteSpeakers: { correct: number; matched: number };
  indirect: Counts;
  indirectSpeakers: { correct: number; matched: number };
  actors: Counts;
  actorKinds: { correct: number; matched: number };
  /** What went wrong, for reading: missed and spurious items. */
  misses: string[];
}

/** Lower case, curly quotes and dashes folded, white space collapsed, surrounding punctuation trimmed. */
export function normalizeQuote(text: string): string {
  return nameKey(text).replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
}

/** Whether `speaker` is the gold speaker under any of its names. */
export function sameSpeaker(predicted: string | null | undefined, gold: string | null | undefined, actors: GoldActor[]): boolean {
  if (!predicted || !gold) return !predicted && !gold;
  const goldActor = actors.find((actor) => nameKey(actor.name) === nameKey(gold));
  const forms = new Set([gold, ...(goldActor ? [goldActor.name, ...(goldActor.aliases ?? [])] : [])].map(nameKey));
  return forms.has(nameKey(predicted));
}

/** The body span of an INDIRECT statement: its offsets, or where its text occurs. */
function spanOf(
  body: string,
  quote: { text: string; startOffset?: number | null; endOffset?: number | null },
): [number, number] | undefined {
  if (quote.startOffset != null && quote.endOffset != null) return [quote.startOffset, quote.endOffset];
  const at = body.indexOf(quote.text);
  if (at >= 0) return [at, at + quote.text.length];
  const folded = nameKey(body).indexOf(nameKey(quote.text));
  return folded >= 0 ? [folded, folded + quote.text.length] : undefined;
}

/** Overlap of two spans, as a share of the shorter one. */
export function overlapShare(a: [number, number], b: [number, number]): number {
  const overlap = Math.min(a[1], b[1]) - Math.max(a[0], b[0]);
  const shorter = Math.min(a[1] - a[0], b[1] - b[0]);
  return overlap <= 0 || shorter <= 0 ? 0 : overlap / shorter;
}

const formsOf = (actor: GoldActor) => new Set([actor.name, ...(actor.aliases ?? [])].map(nameKey));

/**
 * Pairs each prediction with the first still-unmatched gold item it matches (each gold item is
 * matched at most once, so a duplicate prediction is a false positive).
 */
function matchOneToOne<P, G>(predicted: readonly P[], gold: readonly G[], matches: (p: P, g: G) => boolean) {
  const open = [...gold];
  const pairs: [P, G][] = [];
  const spurious: P[] = [];
  for (const item of predicted) {
    const at = open.findIndex((candidate) => matches(item, candidate));
    const match = open[at];
    if (match === undefined) spurious.push(item);
    else {
      open.splice(at, 1);
      pairs.push([item, match]);
    }
  }
  const counts: Counts = { truePositives: pairs.length, falsePositives: spurious.length, falseNegatives: open.length };
  return { pairs, spurious, missed: open, counts };
}

export function scoreArticle(gold: GoldArticle, predicted: PredictedArticle): ArticleScore {
  const goldActors = gold.actors ?? [];
  const misses: string[] = [];
  const ambiguous = new Set((gold.ambiguous ?? []).map(normalizeQuote));
  const speakerAccuracy = <P extends { speaker?: string | null }>(
    pairs: [P, { speaker?: string | null; text: string }][],
    label: string,
  ) => {
    let correct = 0;
    for (const [quote, match] of pairs) {
      if (sameSpeaker(quote.speaker, match.speaker, goldActors)) correct++;
      else misses.push(`wrong ${label}speaker for "${match.text}": ${quote.speaker ?? 'none'} (gold ${match.speaker ?? 'none'})`);
    }
    return { correct, matched: pairs.length };
  };

  // DIRECT and PARTIAL quotes: one-to-one on normalized text; ambiguous spans are not scored.
  const quoteMatch = matchOneToOne(
    predicted.quotes.filter((quote) => quote.kind !== 'INDIRECT' && !ambiguous.has(normalizeQuote(quote.text))),
    (gold.quotes ?? []).filter((quote) => quote.kind !== 'INDIRECT'),
    (quote, candidate) => normalizeQuote(candidate.text) === normalizeQuote(quote.text),
  );
  for (const quote of quoteMatch.spurious) misses.push(`spurious quote: "${quote.text}"`);
  const quoteSpeakers = speakerAccuracy(quoteMatch.pairs, '');
  for (const quote of quoteMatch.missed) misses.push(`missed quote: "${quote.text}"`);

  // INDIRECT statements: one-to-one on span overlap of at least half of the shorter span.
  const indirectMatch = matchOneToOne(
    predicted.quotes.filter((quote) => quote.kind === 'INDIRECT').map((quote) => ({ ...quote, span: spanOf(gold.body, quote) })),
    (gold.quotes ?? []).filter((quote) => quote.kind === 'INDIRECT').map((quote) => ({ ...quote, span: spanOf(gold.body, quote) })),
    (quote, candidate) => !!quote.span && !!candidate.span && overlapShare(candidate.span, quote.span) >= 0.5,
  );
  for (const quote of indirectMatch.spurious) misses.push(`spurious INDIRECT: "${quote.text}"`);
  const indirectSpeakers = speakerAccuracy(indirectMatch.pairs, 'INDIRECT ');
  for (const quote of indirectMatch.missed) misses.push(`missed INDIRECT: "${quote.text}"`);

  // Actors: one-to-one when they share one name or alias.
  const actorMatch = matchOneToOne(predicted.actors, goldActors, (actor, candidate) => {
    const forms = formsOf(actor);
    return [...formsOf(candidate)].some((form) => forms.has(form));
  });
  for (const actor of actorMatch.spurious) misses.push(`spurious actor: ${actor.name} (${actor.kind})`);
  for (const actor of actorMatch.missed) misses.push(`missed actor: ${actor.name} (${actor.kind})`);
  const actorKinds = {
    correct: actorMatch.pairs.filter(([actor, match]) => actor.kind === match.kind).length,
    matched: actorMatch.pairs.length,
  };

  return {
    quotes: quoteMatch.counts,
    quoteSpeakers,
    indirect: indirectMatch.counts,
    indirectSpeakers,
    actors: actorMatch.counts,
    actorKinds,
    misses,
  };
}

export function precisionRecallF1(counts: Counts): { precision: number; recall: number; f1: number } {
  const predicted = counts.truePositives + counts.falsePositives;
  const actual = counts.truePositives + counts.falseNegatives;
  const precision = predicted === 0 ? (actual === 0 ? 1 : 0) : counts.truePositives / predicted;
  const recall = actual === 0 ? 1 : counts.truePositives / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Sums article scores: precision, recall and F1 over all articles, not averaged per article. */
export function totalOf(scores: ArticleScore[]): Omit<ArticleScore, 'misses'> {
  const sum = (pick: (score: ArticleScore) => Counts): Counts => ({
    truePositives: scores.reduce((total, score) => total + pick(score).truePositives, 0),
    falsePositives: scores.reduce((total, score) => total + pick(score).falsePositives, 0),
    falseNegatives: scores.reduce((total, score) => total + pick(score).falseNegatives, 0),
  });
  const ratio = (pick: (score: ArticleScore) => { correct: number; matched: number }) => ({
    correct: scores.reduce((total, score) => total + pick(score).correct, 0),
    matched: scores.reduce((total, score) => total + pick(score).matched, 0),
  });
  return {
    quotes: sum((s) => s.quotes),
    quoteSpeakers: ratio((s) => s.quoteSpeakers),
    indirect: sum((s) => s.indirect),
    indirectSpeakers: ratio((s) => s.indirectSpeakers),
    actors: sum((s) => s.actors),
    actorKinds: ratio((s) => s.actorKinds),
  };
}
