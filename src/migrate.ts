import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { databaseFile, isPostgresUrl } from './config.js';
import { applyPostgresMigrations, appliedPostgresMigrations } from './postgres/migrate.js';
import { StartupError } from './startup-error.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const prismaCli = fileURLToPath(new URL('../node_modules/prisma/build/index.js', import.meta.url));
const migrationsDirectories = {
  sqlite: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
  postgresql: fileURLToPath(new URL('../prisma/postgres/migrations', import.meta.url)),
};

export type Dialect = keyof typeof migrationsDirectories;

export const dialectOf = (databaseUrl: string): Dialect => (isPostgresUrl(databaseUrl) ? 'postgresql' : 'sqlite');

/** Where a dialect's migrations are checked in: prisma/migrations, or prisma/postgres/migrations. */
export const migrationsDirectory = (dialect: Dialect): string => migrationsDirectories[dialect];

/** The migrations checked in for a dialect, oldest first. */
export function knownMigrations(dialect: Dialect = 'sqlite'): string[] {
  return readdirSync(migrationsDirectories[dialect], { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Names of the migrations a database has finished applying (and not rolled back). */
export const APPLIED_MIGRATIONS_SQL =
  'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

/** The checked-in migrations missing from a list of applied ones. */
export function unapplied(applied: string[], dialect: Dialect = 'sqlite'): string[] {
  const done = new Set(applied);
  return knownMigrations(dialect).filter((name) => !done.has(name));
}

/** The checked-in migrations this database has not applied yet. */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  if (isPostgresUrl(databaseUrl)) return unapplied(await appliedPostgresMigrations(databaseUrl), 'postgresql');
  const file = databaseFile(databaseUrl);
  if (!existsSync(file)) return knownMigrations();
  const db = new Database(file, { readonly: true, timeout: 15_000 });
  try {
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!hasTable) return knownMigrations();
    return unapplied(db.prepare(APPLIED_MIGRATIONS_SQL).pluck().all() as string[]);
  } finally {
    db.close();
  }
}

/**
 * Applies pending migrations. On SQLite that is `prisma migrate deploy`, which runs offline on the
 * JavaScript schema engine configured in prisma.config.ts; it is skipped when nothing is pending:
 * the engine takes locks that a server already writing to the same file would make it wait for,
 * and there is no reason to make `npm run seed` beside a live server pay for that. On PostgreSQL
 * see applyPostgresMigrations.
 */
export async function applyMigrations(databaseUrl: string): Promise<void> {
  if (isPostgresUrl(databaseUrl)) return applyPostgresMigrations(databaseUrl, migrationsDirectories.postgresql);
  if ((await pendingMigrations(databaseUrl)).length === 0) return;
  try {
    await runPrismaCli(['migrate', 'deploy'], databaseUrl);
  } catch (error) {
    throw new StartupError(
      `applying the migrations in prisma/migrations to ${databaseFile(databaseUrl)} failed (${prismaError(error)}): restore the database from a backup (see Backups in README.md), or point DATABASE_URL at another file`,
      { cause: error },
    );
  }
}

/** The gist of a failed Prisma CLI run: its error code and first sentence, on one line. */
function prismaError(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  const lines = (typeof stderr === 'string' ? stderr : String(error)).split('\n').map((line) => line.trim());
  const start = lines.findIndex((line) => /^Error\b/.test(line));
  const gist = lines.slice(start === -1 ? 0 : start).filter((line) => line !== '');
  return gist
    .slice(0, 2)
    .join(' ')
    .replace(/^Error: /, 'Prisma ');
}

/**
 * Runs the project's Prisma CLI against one database. CHECKPOINT_DISABLE stops its version check,
 * which looks up checkpoint.prisma.io: on a machine whose DNS never answers (CI here) that lookup
 * held a 2-second `db push` past 30 seconds.
 */
export async function runPrismaCli(args: string[], databaseUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [prismaCli, ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  return stdout;
}
