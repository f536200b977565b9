// `npm run export -- FILE.jsonl [--csv FILE.csv]`: every article in the shape `npm run import` reads, and the quotes as CSV.
import { once } from 'node:events';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseFile, databaseUrl } from './config.js';
import { checkDatabaseFile } from './database-file.js';
import { openDatabase } from './db.js';
import { exportArticles, exportQuotesCsv } from './services/export.js';
import { exitOnStartupError } from './startup-error.js';

const { values, positionals } = parseArgs({
  options: { csv: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});
// npm runs scripts from the project's directory; a relative path means where the user typed it.
const here = (file: string | undefined) => file && path.resolve(process.env.INIT_CWD ?? '.', file);
const jsonl = here(positionals[0]);
const csv = here(values.csv);
if (values.help || (!jsonl && !csv)) {
  console.log(`Usage: npm run export -- [FILE.jsonl] [--csv FILE.csv]

Writes every article of the database at DATABASE_URL (default: file:data/newsgraph.db) to
FILE.jsonl, one AddArticleInput a line, then each topic no article is about ({"topic": name}) and
each actor no article mentions, or whose affiliation no earlier article does ({"actor": ActorInput}),
as \`npm run import\` reads them: importing it into an empty database gives the same graph. With --csv, writes every quote to FILE.csv (RFC 4180, UTF-8 with a
byte order mark for spreadsheets): quote, quote_kind, speaker, speaker_kind, channel, article,
article_slug, source, published_at. Never overwrites a file.`);
  process.exit(values.help ? 0 : 1);
}
for (const file of [jsonl, csv]) {
  if (file && existsSync(file)) {
    console.error(`${file} already exists; export never overwrites a file: remove it or name another`);
    process.exit(1);
  }
}

let url: string;
try {
  url = databaseUrl(process.env);
  checkDatabaseFile(databaseFile(url));
} catch (error) {
  exitOnStartupError('npm run export', error);
}

/** Writes to a new file, waiting whenever the disk falls behind so memory holds one page. */
function writer(file: string): { write: (text: string) => Promise<void>; close: () => Promise<void> } {
  const stream: WriteStream = createWriteStream(file, { flags: 'wx' });
  return {
    async write(text) {
      if (!stream.write(text)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

const storage = await openDatabase(url);
try {
  if (jsonl) {
    const out = writer(jsonl);
    const summary = await exportArticles(storage.writer, (input) => out.write(`${JSON.stringify(input)}\n`));
    await out.close();
    const count = (n: number, what: string) => (n === 0 ? [] : [`${n} ${what}${n === 1 ? '' : 's'}`]);
    const own = [...count(summary.topics, 'topic'), ...count(summary.actors, 'actor')];
    const extra = own.length > 0 ? ` (then ${own.join(' and ')} on lines of their own)` : '';
    console.log(`${summary.articles} articles${extra} written to ${positionals[0]}`);
  }
  if (csv) {
    const out = writer(csv);
    // Excel reads a CSV without a byte order mark in the machine's legacy code page, garbling "Zelensky’s".
    await out.write('\uFEFF');
    const count = await exportQuotesCsv(storage.writer, (record) => out.write(record));
    await out.close();
    console.log(`${count} quotes written to ${values.csv}`);
  }
} catch (error) {
  console.error(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await storage.close();
}
