// The bulk import measured as `npm run import` runs it: a JSONL file streamed from disk through
// importArticles into a fresh database, annotated articles and (with the extractor) bare ones.
import { createReadStream, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { openDatabase } from '../src/db.js';
import { closeExtractionPool, configureExtractionPool } from '../src/services/extraction-pool.js';
import { importArticles } from '../src/services/import.js';
import { corpus } from './corpus.js';

/** Writes `count` corpus articles as JSONL; `bare` keeps only what an unannotated feed has. */
export function writeCorpusJsonl(file: string, count: number, bare = false): void {
  const lines: string[] = [];
  for (const article of corpus(count)) {
    const { title, body, source, url, publishedAt } = article;
    lines.push(JSON.stringify(bare ? { title, body, source, url, publishedAt } : article));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** Seconds to import `file` into the (migrated, empty) database at `url`, and the articles stored. */
export async function timeImport(url: string, file: string, extract: boolean): Promise<{ seconds: number; stored: number }> {
  if (extract) configureExtractionPool({ threads: availableParallelism() });
  const storage = await openDatabase(url);
  try {
    const started = performance.now();
    const summary = await importArticles(storage.writer, createReadStream(file), { extract });
    const seconds = (performance.now() - started) / 1000;
    if (summary.rejected > 0) throw new Error(`the benchmark corpus had ${summary.rejected} rejected lines`);
    return { seconds, stored: summary.created };
  } finally {
    await storage.close();
    if (extract) await closeExtractionPool();
  }
}
