import { PrismaPg } from '@prisma/adapter-pg';
import type { Db, DatabaseOptions, Storage } from '../db.js';
import { postgresFeed } from '../live-feed.js';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-postgres/client.js';
import { postgresReadStore, SNAPSHOT_STATEMENTS } from '../read/postgres-store.js';
import { createPool, describeTarget, unreachable } from './connection.js';

/** The committed transactions as of now: equal snapshots see the same data (see Storage.dataVersion). */
const DATA_VERSION = 'SELECT pg_current_snapshot()::text';
/** Counted as on SQLite: every statement but the BEGIN and COMMIT of a request's snapshot. */
const UNCOUNTED = SNAPSHOT_STATEMENTS;

/**
 * Storage on PostgreSQL: Prisma over @prisma/adapter-pg for the writes (its own pool), and the read
 * store over a pg pool of its own, so a burst of writes cannot take every connection the reads need.
 */
export async function openPostgres(url: string, options: DatabaseOptions): Promise<Storage> {
  const size = options.poolSize ?? 10;
  const onStatement = options.onStatement;
  const readPool = createPool(url, {
    max: size,
    ...(onStatement
      ? { onStatement: (text: string, params?: readonly unknown[]) => UNCOUNTED.has(text) || onStatement(text, params) }
      : {}),
  });
  const writePool = createPool(url, { max: size });
  try {
    await readPool.query('SELECT 1');
  } catch (error) {
    await Promise.all([readPool.end(), writePool.end()]);
    throw unreachable(url, error);
  }
  // The PostgreSQL client is generated from prisma/postgres/schema.prisma, which is derived from
  // prisma/schema.prisma with only the provider changed (scripts/postgres-schema.js, checked by
  // test/postgres-schema.test.ts), so its models and their methods are the SQLite client's: the
  // services, typed against that one, call nothing this one lacks. This is the one place the two
  // are treated as one type.
  const prisma = new PostgresPrismaClient({ adapter: new PrismaPg(writePool) }) as unknown as Db;
  const reads = postgresReadStore(readPool);
  return {
    dialect: 'postgresql',
    writer: prisma,
    reads,
    location: describeTarget(url),
    watchStored: (listener) => postgresFeed(url, listener),
    dataVersion: async () => String((await readPool.query<{ pg_current_snapshot: string }>(DATA_VERSION)).rows[0]?.pg_current_snapshot),
    async writeProblem() {
      const { rows } = await readPool.query<{ recovery: boolean; readOnly: string }>(
        `SELECT pg_is_in_recovery() AS recovery, current_setting('default_transaction_read_only') AS "readOnly"`,
      );
      if (rows[0]?.recovery) return 'database is a read-only replica (in recovery): point DATABASE_URL at the primary';
      if (rows[0]?.readOnly === 'on') return 'database is read-only (default_transaction_read_only is on)';
      return null;
    },
    async close() {
      reads.close();
      await prisma.$disconnect();
      await Promise.all([readPool.end(), writePool.end()]);
    },
  };
}
