import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import Database from 'better-sqlite3';
import { databaseFile } from './config.js';
import { PrismaClient } from './generated/prisma/client.js';
import type { Actor, Article, Position, Quote, Topic } from './generated/prisma/client.js';
import type { SqlReader } from './read-model.js';

export type Db = PrismaClient;
/**
 * An article as resolvers receive it. The body (a few KB, up to 1 MB) is left out by the list and
 * loader queries, which rarely need it, and loaded on its own when a query asks for it; the digest
 * of its last input matters only to the write path, so reads leave it out too.
 */
export type ArticleRow = Omit<Article, 'body' | 'inputDigest'> & { body?: string; inputDigest?: string | null };
/** What the API reads of an actor: hot read paths select only these columns. */
export type ActorRow = Pick<Actor, 'id' | 'name' | 'kind' | 'description' | 'affiliationId'>;
export type QuoteRow = Quote;
export type TopicRow = Topic;
export type PositionRow = Position;

/**
 * Two connections to one SQLite file. Prisma's adapter runs every query of a process on one
 * connection, so a read arriving while an interactive write transaction is open would see its
 * uncommitted rows (an article without its quotes yet, or one about to be rolled back). Reads
 * therefore go through their own read-only connection, which in WAL mode sees only committed data.
 */
export interface Storage {
  /** Read-only connection for queries and loaders. */
  reader: Db;
  /** The connection every write transaction runs on. */
  writer: Db;
  /** Read-only better-sqlite3 connection for the prepared statements of the hot read path (read-model.ts). */
  sql: SqlReader;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Called with the SQL of every statement SQLite runs; tests count statements with it. */
  onStatement?: (sql: string) => void;
  /** How long a connection waits for another's lock before failing, in ms. */
  busyTimeoutMs?: number;
}

/**
 * Makes the adapter's transactions start with BEGIN IMMEDIATE. A plain (deferred) BEGIN takes the
 * write lock only at the first write; if another process (a seed run beside the server) wrote in
 * between, SQLite reports SQLITE_BUSY at once instead of waiting, because waiting could deadlock.
 * Taking the lock up front lets every writer simply wait its turn on the busy timeout.
 */
class ImmediateTransactions implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite';
  readonly adapterName: string;

  constructor(private readonly inner: PrismaBetterSQLite3) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await this.inner.connect();
    // The adapter keeps its better-sqlite3 handle in `client` and prepares the literal "BEGIN".
    const client: unknown = Reflect.get(adapter, 'client');
    if (typeof client !== 'object' || client === null || typeof Reflect.get(client, 'prepare') !== 'function') {
      throw new Error('@prisma/adapter-better-sqlite3 changed shape: cannot make its transactions immediate');
    }
    const prepare = (Reflect.get(client, 'prepare') as (sql: string) => unknown).bind(client);
    Reflect.set(client, 'prepare', (sql: string) => prepare(sql === 'BEGIN' ? 'BEGIN IMMEDIATE' : sql));
    return adapter;
  }
}

function adapterOptions(url: string, options: DatabaseOptions, readonly: boolean) {
  return {
    url,
    readonly,
    timeout: options.busyTimeoutMs ?? 5000,
    ...(options.onStatement ? { verbose: (sql: unknown) => options.onStatement?.(String(sql)) } : {}),
  };
}

/**
 * Opens the process's two connections. SQLite runs in WAL mode so readers never block the writer,
 * with a busy timeout so a second process waits for the write lock instead of failing, and
 * synchronous=FULL so every acknowledged commit survives a power cut as well as a crash, which an
 * archive written a few times a minute can easily afford.
 */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Storage> {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const writer = new PrismaClient({ adapter: new ImmediateTransactions(new PrismaBetterSQLite3(adapterOptions(url, options, false))) });
  await writer.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await writer.$executeRawUnsafe('PRAGMA synchronous = FULL');
  await writer.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  await writer.$executeRawUnsafe(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  const reader = new PrismaClient({ adapter: new PrismaBetterSQLite3(adapterOptions(url, options, true)) });
  await reader.$executeRawUnsafe(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  const sql = new Database(databaseFile(url), {
    readonly: true,
    timeout: busyTimeoutMs,
    ...(options.onStatement ? { verbose: (text: unknown) => options.onStatement?.(String(text)) } : {}),
  });
  return {
    reader,
    writer,
    sql,
    async close() {
      sql.close();
      await reader.$disconnect();
      await writer.$disconnect();
    },
  };
}
