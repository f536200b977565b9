import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type FailedStart, runUntilExit } from './support/server-process.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'newsgraph-startup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let files = 0;
/** A path in a directory of its own, for a database file the case writes. */
const databasePath = () => path.join(mkdtempSync(path.join(scratch, `case-${files++}-`)), 'newsgraph.db');

/** What a refused start must look like: exit code 1 and one line on stderr that names the problem, no stack. */
function expectOneLineRefusal(result: FailedStart, words: RegExp): void {
  expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^newsgraph cannot start: /);
  expect(lines[0]).toMatch(words);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('a mistake in the settings', () => {
  it.each([
    [{ PORT: 'abc' }, /PORT must be an integer from 0 to 65535, got "abc": set it to one, or unset it for the default of 4000/],
    [{ PORT: '70000' }, /PORT must be an integer from 0 to 65535, got "70000"/],
    [{ MAX_DEPTH: '0' }, /MAX_DEPTH must be a positive integer, got "0": set it to one, or unset it for the default of 10/],
    [{ MAX_DEPTH: 'deep' }, /MAX_DEPTH must be a positive integer, got "deep"/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/],
    [{ INTROSPECTION: 'maybe' }, /INTROSPECTION must be true or false, got "maybe"/],
    [
      { DATABASE_URL: 'mysql://localhost/news' },
      /DATABASE_URL must be a SQLite "file:" URL or a "postgresql:\/\/" one, got "mysql:\/\/localhost\/news"/,
    ],
    [{ HOST: '0.0.0.0' }, /Refusing to listen on 0\.0\.0\.0 without WRITE_TOKEN.*Set WRITE_TOKEN, or listen on 127\.0\.0\.1/],
  ])('%j is refused in one line', async (env, words) => {
    const file = databasePath();
    expectOneLineRefusal(await runUntilExit({ DATABASE_URL: `file:${file}`, ...env }), words);
    // Refused before the database was touched.
    expect(existsSync(file)).toBe(false);
  });

  it('an unknown option is refused in one line that points to the environment', async () => {
    const result = await runUntilExit({ DATABASE_URL: `file:${databasePath()}` }, 'src/index.ts', ['--port', '5000']);
    expectOneLineRefusal(result, /Unknown option '--port'.*: settings are environment variables, see npm start -- --help/);
  });

  it('a port another process listens on is refused in one line that says what to do', async () => {
    const other: Server = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const address = other.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const result = await runUntilExit({ DATABASE_URL: `file:${databasePath()}`, PORT: String(address.port) });
      expectOneLineRefusal(
        result,
        new RegExp(`port ${address.port} on 127\\.0\\.0\\.1 is already in use .*stop that process, or set PORT to a free port`),
      );
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});

describe('a database directory that does not exist', () => {
  it('is refused, and not created', async () => {
    const missing = path.join(scratch, 'no-such-directory');
    const result = await runUntilExit({ DATABASE_URL: `file:${path.join(missing, 'deeper', 'x.db')}` });
    expectOneLineRefusal(result, new RegExp(`the directory of DATABASE_URL, ${path.join(missing, 'deeper')}, does not exist: create it`));
    expect(existsSync(missing)).toBe(false);
  });

  it('is refused by npm run seed too, and not created', async () => {
    const missing = path.join(scratch, 'no-such-seed-directory');
    const result = await runUntilExit({ DATABASE_URL: `file:${path.join(missing, 'x.db')}` }, 'src/seed.ts');
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd()).toMatch(/^npm run seed: the directory of DATABASE_URL, .* does not exist/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(missing)).toBe(false);
  });
});

describe('a database file newsgraph cannot use', () => {
  /** A freshly migrated newsgraph database, with `damage` done to it. */
  function damagedCopy(damage: (file: string) => void): string {
    const file = databasePath();
    copyFileSync(inject('migratedTemplate'), file);
    damage(file);
    return file;
  }

  it.each([
    [
      'random bytes',
      (file: string) => writeFileSync(file, randomBytes(64 * 1024)),
      /is not a SQLite database \(SQLite: "file is not a database"\): restore it from a backup/,
    ],
    [
      'a database cut off halfway',
      (file: string) => truncateSync(file, Math.floor(statSync(file).size / 2)),
      /the database .* is damaged.*: restore it from a backup/,
    ],
    [
      'a database with a page of garbage in the middle',
      (file: string) => {
        const descriptor = openSync(file, 'r+');
        writeSync(descriptor, randomBytes(4096), 0, 4096, Math.floor(statSync(file).size / 4096 / 2) * 4096);
        closeSync(descriptor);
      },
      /the database .* is damaged.*: restore it from a backup/,
    ],
  ])('%s is refused in one line, and left as it was', async (_name, damage, words) => {
    const file = damagedCopy(damage);
    const before = readFileSync(file);
    expectOneLineRefusal(await runUntilExit({ DATABASE_URL: `file:${file}` }), words);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("another application's database is refused, naming its tables, and gets no migrations", async () => {
    const file = databasePath();
    const foreign = new Database(file);
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)');
    foreign.close();
    const result = await runUntilExit({ DATABASE_URL: `file:${file}` });
    expectOneLineRefusal(
      result,
      /is a SQLite database of something else \(tables invoices; no newsgraph migrations\): point DATABASE_URL at a newsgraph database or a new file/,
    );
    const after = new Database(file, { readonly: true });
    expect(after.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()).toEqual(['invoices']);
    after.close();
  });

  it('a database whose last migration failed halfway is refused with what Prisma says', async () => {
    const file = damagedCopy((copy) => {
      const db = new Database(copy);
      db.exec(
        `UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)`,
      );
      db.close();
    });
    const result = await runUntilExit({ DATABASE_URL: `file:${file}` });
    expectOneLineRefusal(
      result,
      /applying the migrations in prisma\/migrations to .* failed \(Prisma P3009.*\): restore the database from a backup/,
    );
  });
});
