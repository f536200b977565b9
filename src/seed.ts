// `npm run seed`: loads every annotated article in seeds/ (or the directory given) into the database.
import { parseArgs } from 'node:util';
import { openDatabase } from './db.js';
import { SEEDS_DIRECTORY } from './paths.js';
import { seedDirectory } from './services/seeding.js';
import { migratedDatabaseUrl } from './script-database.js';

const { values, positionals } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
if (values.help) {
  console.log(`Usage: npm run seed [-- DIRECTORY]

Validates and loads every NAME.json (an AddArticleInput, with NAME.txt beside it for the title and
body) from DIRECTORY (default: seeds/) into the database at DATABASE_URL (default: file:data/newsgraph.db).
A NAME.txt without NAME.json is annotated by the extractor. Applies pending migrations first.
Unchanged articles are skipped; changed ones are updated in place.`);
  process.exit(0);
}

const url = await migratedDatabaseUrl('npm run seed');
const storage = await openDatabase(url);
try {
  for (const result of await seedDirectory(storage.writer, positionals[0] ?? SEEDS_DIRECTORY)) {
    console.log(`${result.outcome.padEnd(9)} ${result.slug} (${result.file})`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await storage.close();
}
