import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { StartupError } from '../startup-error.js';
import { describeTarget, unreachable } from './connection.js';

/**
 * Migrations on PostgreSQL, applied by newsgraph itself rather than by `prisma migrate deploy`.
 * Prisma 6.19's CLI on @prisma/adapter-pg 6.19 cannot deploy offline without four workarounds: the
 * adapter fails on the catalog's `name` and `"char"` columns (prisma/orm#27403), it splits a script
 * on every `;` (breaking the trigger functions of the search migration), it can point the shadow
 * database at the real one, and the CLI lingers up to a minute after finishing. What deploy does is
 * small: run each pending migration.sql once, in order, and record it. Here each runs as one query
 * in its own transaction (PostgreSQL's DDL is transactional, so a failed migration leaves nothing
 * half-done), under an advisory lock so that several servers starting at once apply it once, and is
 * recorded in Prisma's own `_prisma_migrations` table with Prisma's checksum (SHA-256 of the file),
 * so `prisma migrate status` reads the same history.
 */

/** Any fixed number; the lock serialises newsgraph's migration runs on one database. */
const MIGRATION_LOCK = 7_202_612;

const HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

const APPLIED = `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw unreachable(url, error);
  }
  return client;
}

/** The names of the migrations this database has finished applying; none for a new database. */
export async function appliedPostgresMigrations(url: string): Promise<string[]> {
  const client = await connect(url);
  try {
    const table = await client.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
    if (!table.rows[0]?.exists) return [];
    return (await client.query<{ migration_name: string }>(APPLIED)).rows.map((row) => row.migration_name);
  } finally {
    await client.end();
  }
}

export async function applyPostgresMigrations(url: string, directory: string): Promise<void> {
  const names = (await readdir(directory, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const client = await connect(url);
  let current = '';
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(HISTORY);
    const applied = new Set((await client.query<{ migration_name: string }>(APPLIED)).rows.map((row) => row.migration_name));
    for (const name of names.filter((n) => !applied.has(n))) {
      current = name;
      const script = readFileSync(path.join(directory, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(script).digest('hex');
      await client.query('BEGIN');
      try {
        // One query with no parameters goes over the simple protocol, which takes many statements.
        await client.query(script);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } catch (error) {
    const what = current === '' ? 'reading the migration history' : `applying migration ${current}`;
    const message = error instanceof Error ? error.message : String(error);
    throw new StartupError(
      `${what} on ${describeTarget(url)} failed (PostgreSQL: ${message}): nothing of it was applied; fix the cause, or point DATABASE_URL at another database`,
      { cause: error },
    );
  } finally {
    await client.end();
  }
}
