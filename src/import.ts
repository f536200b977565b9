// `npm run import -- FILE.jsonl`: loads articles, one AddArticleInput a line, through the write path addArticle uses.
import { createReadStream, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { openDatabase } from './db.js';
import { closeExtractionPool, configureExtractionPool } from './services/extraction-pool.js';
import { importArticles, type ImportProgress } from './services/import.js';
import { migratedDatabaseUrl } from './script-database.js';

const { values, positionals } = parseArgs({
  options: {
    extract: { type: 'boolean', default: false },
    'batch-size': { type: 'string', default: '500' },
    help: { type: 'boolean', short: 'h' },
  },
  allowPositionals: true,
});
// npm runs scripts from the project's directory; a relative path means where the user typed it.
const file = positionals[0] && path.resolve(process.env.INIT_CWD ?? '.', positionals[0]);
if (values.help || !file) {
  console.log(`Usage: npm run import -- FILE.jsonl [--extract] [--batch-size N]

Loads FILE.jsonl, one article a line in the shape of addArticle's input (title, body, and optionally
slug, source, url, publishedAt, topics, actors, quotes, positions), into the database at
DATABASE_URL (default: file:data/newsgraph.db), N lines (default 500) per transaction, through the
same checks and write path as addArticle. Applies pending migrations first.
  --extract   run the extractor on every article that has no actors, quotes or positions
Running it again writes nothing for unchanged lines; a line whose slug names a stored article with
another annotation replaces that article. Each refused line is reported with its number and why,
and the other lines are stored; the exit code is then 1.`);
  process.exit(values.help ? 0 : 1);
}
const batchSize = Number(values['batch-size']);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5_000) {
  console.error(`--batch-size must be an integer from 1 to 5000, got ${values['batch-size']}`);
  process.exit(1);
}
let size: number;
try {
  size = statSync(file).size;
} catch (error) {
  console.error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const url = await migratedDatabaseUrl('npm run import');
// This process does nothing else: extraction may use every core.
if (values.extract) configureExtractionPool({ threads: availableParallelism() });

const storage = await openDatabase(url);
// The bar is for a person at a terminal; in a pipe or a log it would only be noise, and cli-progress
// then holds back what is logged above it, so refused lines go straight to stderr instead.
const bars = process.stderr.isTTY
  ? new cliProgress.MultiBar({
      format: 'importing |{bar}| {percentage}% | {articles} articles | {rate} articles/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 20,
    })
  : null;
const bar = bars?.create(size, 0, { articles: 0, rate: '0' });
const started = performance.now();
const done = (p: ImportProgress) => p.created + p.replaced + p.unchanged;
const rate = (p: ImportProgress) => {
  const perSecond = done(p) / Math.max((performance.now() - started) / 1000, 0.001);
  return perSecond < 10 ? perSecond.toFixed(1) : String(Math.round(perSecond));
};
let summary: ImportProgress | null = null;
try {
  summary = await importArticles(storage.writer, createReadStream(file), {
    extract: values.extract,
    batchSize,
    onProgress: (p) => bar?.update(p.bytes, { articles: done(p), rate: rate(p) }),
    // Printed as they come (above the bar), so a file full of bad lines costs no memory.
    onRejected: ({ line, message }) => {
      const report = `${positionals[0]}:${line}: ${message.replaceAll('\n', ' ')}`;
      if (bars) bars.log(`${report}\n`);
      else console.error(report);
    },
  });
} catch (error) {
  bars?.stop();
  console.error(`Import stopped: ${error instanceof Error ? error.message : String(error)}`);
  console.error('Batches written before this one are stored; run the import again to continue (stored lines are skipped).');
  process.exitCode = 1;
} finally {
  bars?.stop();
  await closeExtractionPool();
  await storage.close();
}
if (summary) {
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${summary.lines} lines in ${seconds.toFixed(1)} s (${rate(summary)} articles/s): ${summary.created} created, ${summary.replaced} replaced, ${summary.unchanged} unchanged, ${summary.rejected} rejected`,
  );
  if (summary.rejected > 0) process.exitCode = 1;
}
