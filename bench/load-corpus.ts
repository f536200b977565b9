// `npm run corpus -- --articles N`: loads the synthetic corpus through newsgraph's own write path.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseFile, databaseUrl, isPostgresUrl } from '../src/config.js';
import { openDatabase } from '../src/db.js';
import { applyMigrations } from '../src/migrate.js';
import { saveArticles } from '../src/services/articles.js';
import { corpus } from './corpus.js';

/** Articles per transaction: large enough that per-statement overhead vanishes, small enough to stay responsive. */
export const CHUNK = 250;

/** Loads articles [start, start + count) of the corpus; returns the seconds it took. */
export async function loadCorpus(url: string, count: number, start = 0, seed = 42): Promise<number> {
  if (!isPostgresUrl(url)) mkdirSync(path.dirname(databaseFile(url)), { recursive: true });
  await applyMigrations(url);
  const storage = await openDatabase(url);
  try {
    const started = performance.now();
    let chunk = [];
    for (const article of corpus(count, seed, start)) {
      chunk.push(article);
      if (chunk.length === CHUNK) {
        await saveArticles(storage.writer, chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) await saveArticles(storage.writer, chunk);
    return (performance.now() - started) / 1000;
  } finally {
    await storage.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '42' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(`Usage: npm run corpus -- [--articles N] [--seed S]

Generates N synthetic articles (deterministic for a seed: 2,000 actors, 50 topics, ~8 quotes and 3
positions per ~3 KB article) and loads them through newsgraph's write path into DATABASE_URL
(default file:data/newsgraph.db), in transactions of ${CHUNK} articles.`);
    process.exit(0);
  }
  const count = Number(values.articles);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--articles must be a positive integer, got ${values.articles}`);
  const seconds = await loadCorpus(databaseUrl(process.env), count, 0, Number(values.seed));
  console.log(`loaded ${count} articles in ${seconds.toFixed(1)} s (${Math.round(count / seconds)} articles/s)`);
}
