// `npm run backup -- FILE`: an online copy of the database (SQLite's backup API, safe while the server
// runs and writes), then a restore check: the copy is opened on its own, must pass SQLite's integrity
// check, and its row counts are printed (the server may have written since, so they are the copy's).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { databaseFile, databaseUrl } from './config.js';

const { values, positionals } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
if (values.help || positionals.length !== 1) {
  console.log(`Usage: npm run backup -- FILE

Copies the database at DATABASE_URL (default: file:data/newsgraph.db) to FILE with SQLite's online
backup, which is safe while the server runs, then opens the copy on its own: SQLite's integrity check
must pass, and its row counts are printed. Exits 1 when the copy fails. FILE must not exist yet.
Restore by stopping the server and putting FILE in place of the database file.`);
  process.exit(values.help ? 0 : 1);
}

const source = databaseFile(databaseUrl(process.env));
const target = path.resolve(positionals[0] ?? '');
if (!existsSync(source)) fail(`There is no database at ${source}: set DATABASE_URL to the database to back up`);
if (existsSync(target)) fail(`${target} already exists: name a new file, so no backup is overwritten`);
mkdirSync(path.dirname(target), { recursive: true });

const database = new Database(source, { readonly: true, fileMustExist: true });
await database.backup(target);
const copy = new Database(target, { readonly: true, fileMustExist: true });
const integrity = copy.pragma('integrity_check', { simple: true });
if (integrity !== 'ok') fail(`The copy at ${target} fails SQLite's integrity check: ${String(integrity)}`);
const tables = (
  database
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE '%Search_%' ORDER BY name",
    )
    .all() as { name: string }[]
).map((row) => row.name);
const count = (db: Database.Database, table: string) => (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
console.log(`Backed up ${source} to ${target}: integrity ok; ${tables.map((table) => `${table} ${count(copy, table)}`).join(', ')}`);
copy.close();
database.close();

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
