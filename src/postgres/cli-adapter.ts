import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

/**
 * The driver adapter Prisma's CLI runs on for PostgreSQL (prisma/postgres/prisma.config.ts), so
 * that `prisma migrate diff --from-migrations` can check, offline, that prisma/postgres/migrations
 * build what prisma/postgres/schema.prisma describes. @prisma/adapter-pg 6.19 cannot do that as it
 * is, for three reasons, each put right here:
 *
 * - The schema engine reads the catalog, whose columns of type `name` and `"char"` the adapter has
 *   no column type for ("Column type 'name' could not be deserialized", prisma/orm#27403): they are
 *   relabelled as text, which is what their values already are.
 * - It runs a migration by splitting it on every `;`, which breaks the `;` inside the search
 *   migration's function bodies: a script is sent as one query, which PostgreSQL's simple protocol
 *   runs statement by statement.
 * - It connects to its shadow database with `{ ...config, database }`, and pg lets a connection
 *   string override `database`, so the shadow would be the real database: connections here are made
 *   from discrete host, port, user and password, the shadow's with its own database name.
 *
 * Pools close idle connections at once, so the CLI does not sit on them after it has finished.
 */
export function cliAdapter(url: string): SqlMigrationAwareDriverAdapterFactory {
  const target = poolConfig(url);
  const adapterFor = async (config: pg.PoolConfig): Promise<SqlDriverAdapter> => {
    const pool = new pg.Pool({ ...config, max: 2, idleTimeoutMillis: 1, allowExitOnIdle: true });
    pool.on('connect', relabelCatalogColumns);
    const adapter = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
    adapter.executeScript = async (script) => {
      await pool.query(script);
    };
    return adapter;
  };
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => adapterFor(target),
    async connectToShadowDb() {
      const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
      const admin = new pg.Client(target);
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${database}"`);
      } finally {
        await admin.end();
      }
      const shadow = await adapterFor({ ...target, database });
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        const dropper = new pg.Client(target);
        await dropper.connect();
        try {
          await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        } finally {
          await dropper.end();
        }
      };
      return shadow;
    },
  };
}

/** A PostgreSQL URL as discrete settings, with no connection string left to override them. */
export function poolConfig(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  return {
    host: decodeURIComponent(parsed.hostname),
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
  };
}

const NAME = 19;
const CHAR = 18;
const TEXT = 25;

type Fields = { fields?: { dataTypeID: number }[] } | null | undefined;

function relabel(result: Fields): void {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === NAME || field.dataTypeID === CHAR) field.dataTypeID = TEXT;
  }
}

/**
 * Makes a client report catalog columns of type `name` and `"char"` as text (see cliAdapter), for
 * queries with a callback (as the pool runs them) and without one (as a transaction does).
 */
function relabelCatalogColumns(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  Reflect.set(client, 'query', (...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      return query(...args.slice(0, -1), (error: unknown, result: Fields) => {
        relabel(result);
        (callback as (error: unknown, result: unknown) => void)(error, result);
      });
    }
    const result = query(...args);
    return result instanceof Promise ? result.then((r: Fields) => (relabel(r), r)) : result;
  });
}
