// Extraction time for a 5,000-word article, built from the project's own article texts (the seed
// and the test fixtures) repeated paragraph by paragraph, so it is real news prose.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extract } from '../src/extract/index.js';
import { parseArticleText } from '../src/services/seeding.js';

const SOURCES = ['seeds', path.join('test', 'fixtures', 'articles')];

export function articleOfWords(words: number): string {
  const paragraphs = SOURCES.flatMap((dir) =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.txt'))
      .sort()
      .flatMap((file) => parseArticleText(readFileSync(path.join(dir, file), 'utf8')).body.split(/\n+/)),
  ).filter((paragraph) => paragraph.trim() !== '');
  const chosen: string[] = [];
  let count = 0;
  for (let i = 0; count < words; i++) {
    const paragraph = paragraphs[i % paragraphs.length] ?? '';
    chosen.push(paragraph);
    count += paragraph.split(/\s+/).length;
  }
  return chosen.join('\n\n');
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;

function time(run: () => unknown, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * Median and p95 milliseconds to extract a 5,000-word article on this (single-threaded) process,
 * and the same for the floor of any reader of the text: one pass that splits it into words and
 * finds its quotation marks.
 */
export function measureExtraction(
  words = 5000,
  runs = 30,
): { words: number; medianMs: number; p95Ms: number; baselineMs: number; quotes: number } {
  const body = articleOfWords(words);
  const floor = () => [body.split(/\s+/).length, body.match(/["“”]/g)?.length ?? 0];
  time(() => extract(body), 5);
  time(floor, 5);
  const times = time(() => extract(body), runs);
  const baseline = time(floor, runs);
  return {
    words: body.split(/\s+/).length,
    medianMs: median(times),
    p95Ms: percentile(times, 0.95),
    baselineMs: median(baseline),
    quotes: extract(body).quotes.length,
  };
}
