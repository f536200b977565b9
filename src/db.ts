import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { DriverAdapterError, type SqlDriverAdapter, type SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import Database from 'better-sqlite3';
import { closeSync, openSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { isPostgresUrl } from './config.js';
import { type FeedListener, sqliteFeed, type StoredFeed } from './live-feed.js';
import { databaseFile } from './database-file.js';
import { PrismaClient } from './generated/prisma/client.js';
import { openPostgres } from './postgres/storage.js';
import { sqliteReadStore } from './read/sqlite-store.js';
import type { ReadStore } from './read/store.js';

export type Db = PrismaClient;

/**
 * The process's storage. Writes go through Prisma on `writer`; the API's reads never do: they go
 * through the read store. On SQLite these are separate connections to one file: Prisma's adapter
 * runs every query of a process on one connection, so a read arriving while an interactive write
 * transaction is open would see its uncommitted rows (an article without its quotes yet, or one about
 * to be rolled back); the read store's read-only connections, in WAL mode, see only committed data.
 * On PostgreSQL every connection sees only committed data; the writer and the read store each have
 * a pool.
 */
export interface Storage {
  dialect: 'sqlite' | 'postgresql';
  /** The connection every write transaction runs on; Prisma owns the writes and the migrations. */
  writer: Db;
  /** Every read the API makes (src/read/). */
  reads: ReadStore;
  /**
   * A value that changes whenever a write by any process has committed (the response cache
   * compares it): SQLite's data_version, PostgreSQL's snapshot (the set of committed transactions).
   */
  dataVersion(): Promise<string>;
  /** Tells `listener` what any process stores from now on, after each commit (see src/live-feed.ts). */
  watchStored(listener: FeedListener): Promise<StoredFeed>;
  /** Why the database cannot take a write now (read-only, disk full), or null: what /ready reports. */
  writeProblem(): Promise<string | null>;
  /** Where the data is, for logs: the SQLite file, or PostgreSQL's host, port and database. */
  location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /**
   * Called with the SQL of every statement the read store runs; tests count statements with it. On
   * PostgreSQL it is also given the statement's parameters, so a test can EXPLAIN what really ran.
   */
  onStatement?: (sql: string, params?: readonly unknown[]) => void;
  /** How long a connection waits for another's lock before failing, in ms. */
  busyTimeoutMs?: number;
  /** PostgreSQL: connections in each of the read store's and the writer's pools (default 10). */
  poolSize?: number;
}

/**
 * Makes the adapter's transactions start with BEGIN IMMEDIATE, and makes a failed transaction
 * always let go of the connection.
 *
 * A plain (deferred) BEGIN takes the write lock only at the first write; if another process (a seed
 * run beside the server) wrote in between, SQLite reports SQLITE_BUSY at once instead of waiting,
 * because waiting could deadlock. Taking the lock up front lets every writer wait its turn.
 *
 * The adapter holds a lock from BEGIN until Prisma reports commit or rollback, and Prisma ends a
 * transaction by running COMMIT or ROLLBACK first. On a full disk SQLite rolls the transaction back
 * by itself, so Prisma's ROLLBACK then fails ("no transaction is active"), the adapter's lock is never
 * released, and every later write waited forever; a BEGIN that fails (a read-only file) did the
 * same. So here BEGIN runs under a lock of ours that is released however the transaction ends, and
 * ROLLBACK with nothing to roll back is a no-op.
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
    if (!(client instanceof Database))
      throw new Error('@prisma/adapter-better-sqlite3 changed shape: cannot make its transactions immediate');
    const prepare = client.prepare.bind(client);
    // BEGIN has already run (below) by the time the adapter prepares its own.
    const noop = () => prepare('SELECT 1');
    Reflect.set(client, 'prepare', (sql: string) => {
      if (sql === 'BEGIN') return noop();
      if (sql === 'ROLLBACK' && !client.inTransaction) return noop();
      return prepare(sql);
    });

    let queue: Promise<void> = Promise.resolve();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      let release = () => {};
      const turn = queue;
      queue = new Promise<void>((resolve) => (release = resolve));
      await turn;
      try {
        prepare('BEGIN IMMEDIATE').run();
      } catch (error) {
        release();
        throw asDriverError(error);
      }
      try {
        const transaction = await startTransaction(isolationLevel);
        const commit = transaction.commit.bind(transaction);
        const rollback = transaction.rollback.bind(transaction);
        const executeRaw = transaction.executeRaw.bind(transaction);
        let ended = false;
        const end = (finish: () => Promise<void>) => async () => {
          if (ended) return;
          ended = true;
          try {
            await finish();
          } finally {
            if (client.inTransaction) prepare('ROLLBACK').run();
            release();
          }
        };
        transaction.commit = end(commit);
        transaction.rollback = end(rollback);
        // When COMMIT itself fails (SQLITE_FULL as the WAL grows), Prisma reports the error and
        // neither commits nor rolls back: end the transaction here, or the connection stays locked.
        transaction.executeRaw = async (query) => {
          try {
            return await executeRaw(query);
          } catch (error) {
            if (query.sql === 'COMMIT') await transaction.rollback();
            throw error;
          }
        };
        return transaction;
      } catch (error) {
        if (client.inTransaction) prepare('ROLLBACK').run();
        release();
        throw error;
      }
    };
    return adapter;
  }
}

/** A SQLite error as the adapter reports one, so Prisma maps it as it does the adapter's own. */
function asDriverError(error: unknown): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  return new DriverAdapterError({ kind: 'sqlite', extendedCode: 0, message: `${error.code}: ${error.message}` });
}

function adapterOptions(url: string, options: DatabaseOptions) {
  return {
    url,
    timeout: options.busyTimeoutMs ?? 5000,
    ...(options.onStatement ? { verbose: (sql: unknown) => options.onStatement?.(String(sql)) } : {}),
  };
}

/** Opens the storage DATABASE_URL names: a SQLite `file:`, or a `postgresql://` server. */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Storage> {
  return isPostgresUrl(url) ? openPostgres(url, options) : openSqlite(url, options);
}

/** Below this much free space on the database's file system a write may fail, so /ready says no. */
const MIN_FREE_DISK_BYTES = 1024 * 1024;

/**
 * Opens the write connection and the read store's connections to one file. SQLite runs in WAL mode so readers never block the writer,
 * with a busy timeout so a second process waits for the write lock instead of failing, and
 * synchronous=FULL so every acknowledged commit survives a power cut as well as a crash, which an
 * archive written a few times a minute can easily afford.
 */
async function openSqlite(url: string, options: DatabaseOptions): Promise<Storage> {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const writer = new PrismaClient({ adapter: new ImmediateTransactions(new PrismaBetterSQLite3(adapterOptions(url, options))) });
  await writer.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await writer.$executeRawUnsafe('PRAGMA synchronous = FULL');
  await writer.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  await writer.$executeRawUnsafe(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  const readOnly = (counted: (text: string) => boolean) =>
    new Database(databaseFile(url), {
      readonly: true,
      timeout: busyTimeoutMs,
      ...(options.onStatement ? { verbose: (text: unknown) => counted(String(text)) && options.onStatement?.(String(text)) } : {}),
    });
  const sql = readOnly(() => true);
  // A request's snapshot begins and ends with BEGIN and COMMIT on its read connection; they read
  // nothing, so the statements counted per request stay the ones that read.
  const reads = sqliteReadStore(() => readOnly((text) => text !== 'BEGIN' && text !== 'COMMIT'), sql);
  const file = databaseFile(url);
  return {
    dialect: 'sqlite',
    writer,
    reads,
    location: file,
    dataVersion: async () => String(sql.pragma('data_version', { simple: true })),
    // A connection of its own: its statements are not a request's, and are not counted as one's.
    watchStored: async (listener) => sqliteFeed(new Database(databaseFile(url), { readonly: true, timeout: busyTimeoutMs }), listener),
    // The file system must take writes (opening the file for writing fails on a read-only mount)
    // and have room.
    async writeProblem() {
      try {
        closeSync(openSync(file, 'r+'));
      } catch (error) {
        const code = error instanceof Error ? String(Reflect.get(error, 'code')) : 'unknown';
        return `database cannot be written to (${code})`;
      }
      const disk = statfsSync(path.dirname(file));
      return disk.bavail * disk.bsize < MIN_FREE_DISK_BYTES ? 'database disk is full' : null;
    },
    async close() {
      reads.close();
      sql.close();
      await writer.$disconnect();
      // Move everything in the WAL into the database file, so the .db alone is a complete copy once
      // the server has stopped (a copy of it was empty before: the data still lived in -wal).
      const last = new Database(databaseFile(url), { fileMustExist: true });
      try {
        last.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        last.close();
      }
    },
  };
}
