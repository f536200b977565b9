import { describe, expect, it } from 'vitest';
import { nameWords, parseBrat, quotedSpans, scorePolnear, type PolnearArticle } from '../src/eval-polnear.js';
import type { Extraction } from '../src/extract/index.js';

// A made-up article and its brat standoff, written for this spec.
const text = 'Mayor Ana Ruiz said the bridge would reopen. "We are nearly done," said the mayor. Crews cheered.';
const ann = [
  'T1\tSource 0 14\tMayor Ana Ruiz',
  'T2\tCue 15 19\tsaid',
  'T3\tContent 20 44\tthe bridge would reopen',
  'E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1',
  'T4\tContent 46 65;66 67\tWe are nearly done ,',
  'T5\tSource 73 82\tthe mayor',
  'E2\tAttribution:T2 Content:T4 Source:T5',
].join('\n');

const quote = (q: Partial<Extraction['quotes'][number]>): Extraction['quotes'][number] => ({
  text: '',
  kind: 'DIRECT',
  speaker: null,
  channel: null,
  startOffset: 0,
  endOffset: 0,
  confidence: 1,
  ...q,
});

describe('PolNeAR scoring', () => {
  it('reads attributions with discontinuous spans', () => {
    const attributions = parseBrat(ann);
    expect(attributions).toHaveLength(2);
    expect(attributions[1]?.content).toEqual([
      [46, 65],
      [66, 67],
    ]);
    expect(attributions[0]?.source[0]?.text).toBe('Mayor Ana Ruiz');
  });

  it.each([
    ['Mayor Ana Ruiz', ['ana', 'ruiz']],
    ['the mayor', []],
    ['He', []],
    ["Ruiz's office", ['ruiz']],
  ])('takes the name words of %j', (source, words) => {
    expect([...nameWords(source)]).toEqual(words);
  });

  it('finds the quoted spans the way the extractor does', () => {
    expect(quotedSpans(text)).toEqual([[46, 65]]);
  });

  it('scores quotes, reported speech, INDIRECT precision and speakers by the help text rules', () => {
    const article: PolnearArticle = { name: 'made-up', text, attributions: parseBrat(ann) };
    const counts = scorePolnear(article, {
      actors: [],
      positions: [],
      topics: [],
      warnings: [],
      quotes: [
        quote({ text: 'We are nearly done,', startOffset: 46, endOffset: 65, speaker: 'Ana Ruiz' }),
        quote({ text: 'Mayor Ana Ruiz said the bridge would reopen.', kind: 'INDIRECT', startOffset: 0, endOffset: 44, speaker: 'Ruiz' }),
        quote({ text: 'Crews cheered.', kind: 'INDIRECT', startOffset: 84, endOffset: 98, speaker: 'Crews' }),
      ],
    });
    expect(counts.quotes).toEqual({ truePositives: 1, falsePositives: 0, falseNegatives: 0 });
    expect(counts.reported).toEqual({ found: 1, total: 1 });
    expect(counts.indirect).toEqual({ overlapping: 1, predicted: 2 });
    // The quote's Source ("the mayor") names no one, so only the reported statement is judged.
    expect(counts.speakers).toEqual({ correct: 1, eligible: 1 });
  });
});
