import pg from 'pg';
import { StartupError } from '../startup-error.js';

/** Where a PostgreSQL URL points, for messages: host, port, database and user, never the password. */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    const database = parsed.pathname.replace(/^\//, '') || '(default database)';
    return `PostgreSQL ${parsed.hostname}:${parsed.port || '5432'}/${decodeURIComponent(database)}${parsed.username ? ` as ${decodeURIComponent(parsed.username)}` : ''}`;
  } catch {
    return 'PostgreSQL (an unreadable DATABASE_URL)';
  }
}

/** A failed connection as a one-line start-up error naming the server and what to do. */
export function unreachable(url: string, error: unknown): StartupError {
  const code = String(Reflect.get(Object(error), 'code') ?? '');
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    code === '3D000'
      ? 'create the database first (createdb), or point DATABASE_URL at one that exists'
      : code === '28P01' || code === '28000'
        ? 'check the user and password in DATABASE_URL'
        : 'check that the server is running and DATABASE_URL names its host and port';
  return new StartupError(`cannot connect to ${describeTarget(url)} (${code || message}): ${hint}`, { cause: error });
}

/**
 * Type parsers for the read store's pool. Prisma stores DateTime as `timestamp(3)` without a time
 * zone, holding UTC; pg would read one as local time, so it is read as UTC here. Counts come back as
 * bigint, which pg hands over as text; they are far below 2^53.
 */
const TIMESTAMP: number = pg.types.builtins.TIMESTAMP;
const INT8: number = pg.types.builtins.INT8;
const types = {
  getTypeParser(oid: number): (value: string) => unknown {
    if (oid === TIMESTAMP) return (value) => new Date(`${value.replace(' ', 'T')}Z`);
    if (oid === INT8) return (value) => Number(value);
    return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
  },
};

export interface PoolOptions {
  max?: number;
  /** Called with the text and parameters of every statement the pool runs; tests count statements with it. */
  onStatement?: (sql: string, params?: readonly unknown[]) => void;
}

/**
 * A pool on one database. Idle connections close after a few seconds, so a CLI run or a test does
 * not linger on them; a busy server keeps its connections, as each is reused well within that.
 */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, idleTimeoutMillis: 5_000, types });
  // An idle connection that breaks (the server restarted, or close() let go of it) is dropped by the
  // pool, which then emits 'error'; unhandled, that event would end the process. The next query
  // opens a new connection, and fails on its own if the server is gone.
  pool.on('error', () => {});
  const onStatement = options.onStatement;
  if (onStatement) {
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      Reflect.set(client, 'query', (...args: unknown[]) => {
        const first = args[0];
        const config = typeof first === 'string' ? { text: first, values: args[1] } : (first as { text?: string; values?: unknown } | null);
        const values = config?.values ?? args[1];
        if (config?.text !== undefined) onStatement(config.text, Array.isArray(values) ? values : undefined);
        return query(...args);
      });
    });
  }
  return pool;
}
