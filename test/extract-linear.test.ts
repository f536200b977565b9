import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';

// Pieces of text that stress the extractor's rules: quote marks open and closed in every way, names
// and titles, speech verbs, commas and full stops, and long runs of none of them.
const PIECES = [
  '"a" ',
  '"',
  '“',
  '” ',
  '‘',
  'a ',
  'Ann Lee ',
  'Mr. ',
  'said ',
  ', ',
  '. ',
  'according to ',
  'Dahl, ',
  '\n',
  'the ministry ',
];

const fastest = (run: () => unknown) => {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
};

const ofLength = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

describe('extraction time', () => {
  it('grows at most linearly with the size of any input', () => {
    extract(ofLength('"a" Ann Lee said, ', 4000));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }), (pieces) => {
        const unit = pieces.join('');
        const small = fastest(() => extract(ofLength(unit, 12_000)));
        const large = fastest(() => extract(ofLength(unit, 48_000)));
        // Four times the input may take four times as long, with slack for a noisy machine; a square would take sixteen.
        expect(large).toBeLessThan(small * 4 * 2.5 + 25);
      }),
      { numRuns: 6, seed: 10 },
    );
  });

  it.each([
    ['more quote marks than a call takes arguments', '"'.repeat(300_000)],
    ['a megabyte without punctuation', 'word '.repeat(200_000)],
    ['64k quoted words', '"a" '.repeat(64_000)],
  ])('extracts %s in well under a few seconds', (_, body) => {
    const start = performance.now();
    expect(() => extract(body)).not.toThrow();
    expect(performance.now() - start).toBeLessThan(4000);
  });
});
