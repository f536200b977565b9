import { describe, expect, it } from 'vitest';
import {
  normalizeQuote,
  overlapShare,
  precisionRecallF1,
  sameSpeaker,
  scoreArticle,
  totalOf,
  type GoldArticle,
} from '../src/extract/score.js';

const body =
  'Xi said peace was “the only way out”. He added that talks must go on. The “position paper” was vague. Kirby called it “a good thing”.';
const gold: GoldArticle = {
  body,
  actors: [
    { name: 'Xi Jinping', kind: 'PERSON', aliases: ['Xi', 'President Xi'] },
    { name: 'John Kirby', kind: 'PERSON', aliases: ['Kirby'] },
    { name: 'China', kind: 'COUNTRY', aliases: ['Beijing'] },
  ],
  quotes: [
    { text: 'the only way out', speaker: 'Xi Jinping', kind: 'PARTIAL' },
    { text: 'He added that talks must go on.', speaker: 'Xi Jinping', kind: 'INDIRECT' },
  ],
  notQuotes: ['position paper'],
  ambiguous: ['a good thing'],
};

describe('scoring', () => {
  it.each([
    ['“The only way out.”', 'the only way out'],
    ['Russia’s  foreign\nministry —', "russia's foreign ministry"],
    ['  ...a new era.  ', 'a new era'],
  ])('normalizes %j to %j', (text, normalized) => {
    expect(normalizeQuote(text)).toBe(normalized);
  });

  it('counts a speaker right under any of the gold speaker’s names, in any case', () => {
    expect(sameSpeaker('president xi', 'Xi Jinping', gold.actors ?? [])).toBe(true);
    expect(sameSpeaker('Kirby', 'Xi Jinping', gold.actors ?? [])).toBe(false);
    expect(sameSpeaker(null, 'Xi Jinping', gold.actors ?? [])).toBe(false);
  });

  it('measures span overlap against the shorter span', () => {
    expect(overlapShare([0, 10], [5, 30])).toBe(0.5);
    expect(overlapShare([0, 10], [10, 20])).toBe(0);
    expect(overlapShare([0, 100], [20, 30])).toBe(1);
  });

  it('scores quotes by normalized text, leaves ambiguous ones out and counts non-quotes as false positives', () => {
    const score = scoreArticle(gold, {
      actors: [],
      quotes: [
        { text: 'The only way out', kind: 'DIRECT', speaker: 'Xi' },
        { text: 'a good thing', kind: 'PARTIAL', speaker: 'Xi' },
        { text: 'position paper', kind: 'PARTIAL', speaker: 'China' },
      ],
    });
    expect(score.quotes).toEqual({ truePositives: 1, falsePositives: 1, falseNegatives: 0 });
    expect(score.quoteSpeakers).toEqual({ correct: 1, matched: 1 });
  });

  it('matches INDIRECT statements by overlap of at least half the shorter span', () => {
    const start = body.indexOf('He added');
    const score = scoreArticle(gold, {
      actors: [],
      quotes: [
        { text: 'He added that talks must go on', kind: 'INDIRECT', speaker: 'Kirby', startOffset: start, endOffset: start + 30 },
        { text: 'The “position paper” was vague.', kind: 'INDIRECT', speaker: 'Xi' },
      ],
    });
    expect(score.indirect).toEqual({ truePositives: 1, falsePositives: 1, falseNegatives: 0 });
    expect(score.indirectSpeakers).toEqual({ correct: 0, matched: 1 });
  });

  it('matches actors one to one when they share a name or alias', () => {
    const score = scoreArticle(gold, {
      quotes: [],
      actors: [
        { name: 'President Xi', kind: 'PERSON', aliases: [] },
        { name: 'Xi', kind: 'PERSON', aliases: [] },
        { name: 'Beijing', kind: 'ORGANIZATION', aliases: [] },
      ],
    });
    expect(score.actors).toEqual({ truePositives: 2, falsePositives: 1, falseNegatives: 1 });
    expect(score.actorKinds).toEqual({ correct: 1, matched: 2 });
  });

  it('sums counts over articles before computing precision, recall and F1', () => {
    const perfect = scoreArticle(gold, { actors: gold.actors ?? [], quotes: gold.quotes ?? [] });
    const empty = scoreArticle(gold, { actors: [], quotes: [] });
    const total = totalOf([perfect, empty]);
    expect(total.quotes).toEqual({ truePositives: 1, falsePositives: 0, falseNegatives: 1 });
    const { precision, recall, f1 } = precisionRecallF1(total.quotes);
    expect([precision, recall, f1]).toEqual([1, 0.5, 2 / 3]);
  });
});
