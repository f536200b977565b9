import type { QuoteKind } from '../generated/prisma/enums.js';

export interface QuoteSpan {
  startOffset: number;
  endOffset: number;
}

// Opening quote marks in news text: straight, curly, low-9 and guillemets.
const OPENING_MARKS = new Set(['"', "'", '\u201C', '\u2018', '\u201E', '\u00AB', '\u2039']);

function occurrences(body: string, text: string): number[] {
  const found: number[] = [];
  for (let at = body.indexOf(text); at !== -1; at = body.indexOf(text, at + 1)) found.push(at);
  return found;
}

/**
 * Finds where a quote's text sits in the body. The same words can occur more than once ("peace"
 * in a reported sentence and again inside quote marks), so a DIRECT or PARTIAL quote prefers an
 * occurrence that opens with a quote mark, and each occurrence is claimed by one quote only, in
 * input order. Returns null when the text does not occur (allowed only for INDIRECT paraphrase).
 */
export function locateQuote(body: string, text: string, kind: QuoteKind, claimed: Set<number>): QuoteSpan | null {
  const free = occurrences(body, text).filter((at) => !claimed.has(at));
  const quoted = kind === 'INDIRECT' ? [] : free.filter((at) => OPENING_MARKS.has(body[at - 1] ?? ''));
  const start = quoted[0] ?? free[0];
  if (start === undefined) return null;
  claimed.add(start);
  return { startOffset: start, endOffset: start + text.length };
}
