import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';
import { type GoldArticle, precisionRecallF1, scoreArticle, totalOf } from '../src/extract/score.js';

/** The project's own annotated articles (hard cases written for the tests) and the seed article's gold annotation. */
const directories = ['./fixtures/articles/', './fixtures/gold/'].map((dir) => new URL(dir, import.meta.url));
const articles = directories.flatMap((dir) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file, gold: JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as GoldArticle & { title: string } })),
);

describe('the extractor on the annotated fixtures', () => {
  const scores = articles.map(({ gold }) => scoreArticle(gold, extract(gold.body, gold.title)));
  const total = totalOf(scores);

  it('reads six articles', () => {
    expect(articles.map((a) => a.file).sort()).toEqual([
      'grain-corridor-talks.json',
      'harbour-strike.json',
      'kenya-finance-bill.json',
      'norland-forecast-cut.json',
      'riverside-housing-vote.json',
      'xi-zelensky-phone-call.json',
    ]);
  });

  it('meets the bar set for the gold set', () => {
    expect(precisionRecallF1(total.quotes).f1).toBeGreaterThanOrEqual(0.95);
    expect(total.quoteSpeakers.correct / total.quoteSpeakers.matched).toBeGreaterThanOrEqual(0.92);
    expect(precisionRecallF1(total.indirect).f1).toBeGreaterThanOrEqual(0.8);
    expect(precisionRecallF1(total.actors).f1).toBeGreaterThanOrEqual(0.9);
  });
});
