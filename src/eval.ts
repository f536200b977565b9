/**
 * `npm run eval [-- --verbose] [--check] [DIR_OR_FILE ...]`: scores the extractor against annotated
 * articles (NAME.json in the AddArticleInput shape with the gold set's evaluation fields) and prints
 * per-article and overall precision, recall and F1 for quotes, INDIRECT statements and actors, and
 * speaker accuracy. By default it reads ../shared/gold when it exists beside the checkout, and the
 * project's own fixtures in test/fixtures/articles.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readPolnear, scorePolnear, totalPolnear } from './eval-polnear.js';
import { extract } from './extract/index.js';
import { type ArticleScore, type Counts, type GoldArticle, precisionRecallF1, scoreArticle, totalOf } from './extract/score.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_SOURCES = [path.join(projectRoot, '..', 'shared', 'gold'), path.join(projectRoot, 'test', 'fixtures', 'articles')];

/** The bar the extractor is held to on the gold set. */
export const TARGETS = { quoteF1: 0.95, speakerAccuracy: 0.92, indirectF1: 0.8, actorF1: 0.9 };

const { values, positionals } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h' },
    verbose: { type: 'boolean', short: 'v' },
    check: { type: 'boolean' },
    polnear: { type: 'string' },
    split: { type: 'string', default: 'dev' },
  },
  allowPositionals: true,
});

if (values.help) {
  console.log(`Usage: npm run eval [-- [--verbose] [--check] [DIR_OR_FILE ...]]
       npm run eval -- --polnear DIR [--split dev] [--verbose]

Scores the extractor against annotated articles (NAME.json files with a body and gold actors and
quotes), as ../shared/gold/README.md defines scoring. Without arguments it reads ../shared/gold
(when present) and test/fixtures/articles.

  --verbose  list every missed, spurious or misattributed item
  --check    exit with status 1 when the overall scores miss the targets
             (quote F1 ${TARGETS.quoteF1}, speaker accuracy ${TARGETS.speakerAccuracy}, INDIRECT F1 ${TARGETS.indirectF1}, actor F1 ${TARGETS.actorF1})

  --polnear DIR  score on PolNeAR (github.com/networkdynamics/PolNeAR) instead, read from DIR, a bare
             git directory or a checkout, in memory; nothing is written. --split names the split
             (train, dev or test; dev by default: keep test for the final measurement). Rules:
             - a span between quote marks is a gold quote when at least half of it lies in an
               attribution's Content; a predicted DIRECT or PARTIAL quote matches a gold quote it
               overlaps by at least half of the shorter span, one to one (quote P/R/F1);
             - reported speech is every attribution whose Content lies mostly outside quote marks;
               it is found when a predicted INDIRECT statement overlaps its Content by at least half
               of the shorter span, one to one (reported recall);
             - INDIRECT precision: the share of predicted INDIRECT statements that overlap some
               attribution (Source to Content) by at least half of the shorter span;
             - a matched item's speaker is right when it shares a name word (a capitalized word) with
               a Source of its attribution that names someone; items whose Sources name no one
               ("he", "the campaign") are left out of speaker accuracy.
             An article with several annotators is scored against the first annotation by name.`);
  process.exit(0);
}

if (values.polnear) {
  const articles = readPolnear(values.polnear, values.split ?? 'dev');
  if (articles.length === 0) {
    console.error(`No PolNeAR articles found in ${values.polnear} (split ${values.split ?? 'dev'})`);
    process.exit(1);
  }
  const all = articles.map((article) => {
    const counts = scorePolnear(article, extract(article.text));
    if (values.verbose) for (const note of counts.notes) console.log(`${article.name}: ${note}`);
    return counts;
  });
  const total = totalPolnear(all);
  const quotes = precisionRecallF1(total.quotes);
  const share = (a: number, b: number) => (b === 0 ? 1 : a / b).toFixed(3);
  console.log(`PolNeAR ${values.split ?? 'dev'}: ${articles.length} articles
quotes (DIRECT+PARTIAL)  P ${quotes.precision.toFixed(3)}  R ${quotes.recall.toFixed(3)}  F1 ${quotes.f1.toFixed(3)}  (${total.quotes.truePositives} matched, ${total.quotes.falsePositives} spurious, ${total.quotes.falseNegatives} missed)
reported speech recall   ${share(total.reported.found, total.reported.total)}  (${total.reported.found} of ${total.reported.total})
INDIRECT precision       ${share(total.indirect.overlapping, total.indirect.predicted)}  (${total.indirect.overlapping} of ${total.indirect.predicted})
speaker accuracy         ${share(total.speakers.correct, total.speakers.eligible)}  (${total.speakers.correct} of ${total.speakers.eligible})`);
  process.exit(0);
}

function annotationFiles(source: string): string[] {
  if (!existsSync(source)) return [];
  if (statSync(source).isFile()) return [source];
  return readdirSync(source)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => path.join(source, file));
}

const sources = positionals.length > 0 ? positionals : DEFAULT_SOURCES;
const files = sources.flatMap(annotationFiles);
if (files.length === 0) {
  console.error(`No annotated articles found in ${sources.join(', ')}`);
  process.exit(1);
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`.padStart(7);
const prf = (counts: Counts) => {
  const { precision, recall, f1 } = precisionRecallF1(counts);
  return `${pct(precision)} ${pct(recall)} ${pct(f1)}`;
};
const accuracy = ({ correct, matched }: { correct: number; matched: number }) => (matched === 0 ? 1 : correct / matched);

const header = `${'article'.padEnd(38)} ${'quotes P/R/F1'.padStart(23)} ${'speaker'.padStart(8)} ${'INDIRECT P/R/F1'.padStart(23)} ${'speaker'.padStart(8)} ${'actors P/R/F1'.padStart(23)} ${'kind'.padStart(7)}`;
console.log(header);
const scores: ArticleScore[] = [];
for (const file of files) {
  const gold = JSON.parse(readFileSync(file, 'utf8')) as GoldArticle & { title?: string };
  const score = scoreArticle(gold, extract(gold.body, gold.title));
  scores.push(score);
  const name = path.basename(file, '.json').slice(0, 38).padEnd(38);
  console.log(
    `${name} ${prf(score.quotes)} ${pct(accuracy(score.quoteSpeakers))} ${prf(score.indirect)} ${pct(accuracy(score.indirectSpeakers))} ${prf(score.actors)} ${pct(accuracy(score.actorKinds))}`,
  );
  if (values.verbose) for (const miss of score.misses) console.log(`    ${miss}`);
}
const total = totalOf(scores);
console.log(
  `${'overall'.padEnd(38)} ${prf(total.quotes)} ${pct(accuracy(total.quoteSpeakers))} ${prf(total.indirect)} ${pct(accuracy(total.indirectSpeakers))} ${prf(total.actors)} ${pct(accuracy(total.actorKinds))}`,
);

const reached = {
  quoteF1: precisionRecallF1(total.quotes).f1,
  speakerAccuracy: accuracy(total.quoteSpeakers),
  indirectF1: precisionRecallF1(total.indirect).f1,
  actorF1: precisionRecallF1(total.actors).f1,
};
const failing = (Object.keys(TARGETS) as (keyof typeof TARGETS)[]).filter((key) => reached[key] < TARGETS[key]);
console.log(
  failing.length === 0
    ? '\nAll targets met.'
    : `\nBelow target: ${failing.map((key) => `${key} ${pct(reached[key]).trim()} < ${TARGETS[key]}`).join(', ')}`,
);
if (values.check && failing.length > 0) process.exit(1);
