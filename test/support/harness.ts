import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { databaseFile } from '../../src/database-file.js';
import { openDatabase, type Db, type Storage } from '../../src/db.js';
import type { LiveEvents } from '../../src/live.js';
import { createLogger } from '../../src/logger.js';
import type { Reads } from '../../src/read/store.js';
import { type ServerOptions, startHttpServer } from '../../src/server.js';
import { SEEDS_DIRECTORY } from '../../src/paths.js';
import { seedDirectory } from '../../src/services/seeding.js';

/** A fresh copy of the migrated database in its own temporary directory. */
export function freshDatabaseFile(): { file: string; url: string; remove: () => void } {
  const directory = mkdtempSync(path.join(tmpdir(), 'newsgraph-test-'));
  const file = path.join(directory, 'newsgraph.db');
  copyFileSync(inject('migratedTemplate'), file);
  return { file, url: `file:${file}`, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

let databases = 0;

/**
 * A fresh migrated database for one suite: a copy of the template file on SQLite, or, in the
 * PostgreSQL run (`npm run test:postgres`), a database created from the migrated template database.
 */
export async function freshDatabase(): Promise<{ url: string; remove: () => Promise<void> }> {
  const postgres = inject('postgresTemplate');
  if (!postgres) {
    const file = freshDatabaseFile();
    return { url: file.url, remove: async () => file.remove() };
  }
  databases += 1;
  const name = `suite_${process.pid}_${databases}`;
  const admin = new pg.Client(postgres.adminUrl);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${postgres.template}"`);
  } finally {
    await admin.end();
  }
  return {
    url: postgres.adminUrl.replace(/\/[^/]*$/, `/${name}`),
    async remove() {
      const client = new pg.Client(postgres.adminUrl);
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  url: string;
  /** The URL of the suite's own database (`file:` or `postgresql:`). */
  databaseUrl: string;
  /** Prisma on the server's write connection, for checking what was stored (the API reads through the read store). */
  db: Db;
  storage: Storage;
  /** The server's live updates, to see when a subscription has started listening. */
  live: LiveEvents;
  /**
   * SQL statements the database has run since the last reset: the ones that read or write. The BEGIN and
   * COMMIT that open and close a request's read snapshot are left out (openDatabase), so a count
   * says what a query shape costs in reads.
   */
  statements: string[];
  /** Runs reads through the server's read store in a session of their own, as one request would. */
  read<T>(use: (reads: Reads) => Promise<T>): Promise<T>;
  /** Sends one operation over HTTP as a client would, with a JSON body. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Load seeds/ first (default true). */
  seed?: boolean;
  /** Server settings under test: write token, limits, logger, introspection... */
  server?: Partial<Omit<ServerOptions, 'storage'>>;
}

/** The real server on an ephemeral port over a fresh database, seeded with seeds/ unless told not to. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = await freshDatabase();
  const statements: string[] = [];
  const storage = await openDatabase(database.url, { onStatement: (sql) => statements.push(sql) });
  if (options.seed ?? true) await seedDirectory(storage.writer, SEEDS_DIRECTORY);
  const running = await startHttpServer({ logger: createLogger('silent'), ...options.server, storage, port: 0, host: '127.0.0.1' });
  statements.length = 0;
  return {
    url: running.url,
    live: running.live,
    databaseUrl: database.url,
    db: storage.writer,
    storage,
    statements,
    async read(use) {
      const reads = storage.reads.session({ article() {}, actor() {}, quote() {}, topic() {}, position() {} });
      try {
        return await use(reads);
      } finally {
        reads.end();
      }
    },
    async gql(query, variables) {
      const response = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphQLResponse;
      return { ...body, status: response.status } as GraphQLResponse<never>;
    },
    async close() {
      await running.close();
      await storage.close();
      await database.remove();
    },
  };
}

/** What the response cache runs to learn whether anything was written since it kept an answer. */
export const VERSION_CHECK = { sqlite: 'PRAGMA data_version', postgresql: 'SELECT pg_current_snapshot()::text' } as const;

/**
 * Runs one statement on a connection of its own, as another process writing to the database
 * would, and returns once it has committed. Quote identifiers ("Actor"): both databases read them so.
 */
export async function writeFromOutside(databaseUrl: string, sql: string): Promise<void> {
  if (databaseUrl.startsWith('file:')) {
    const other = new Database(databaseFile(databaseUrl));
    try {
      other.prepare(sql).run();
    } finally {
      other.close();
    }
    return;
  }
  const other = new pg.Client(databaseUrl);
  await other.connect();
  try {
    await other.query(sql);
  } finally {
    await other.end();
  }
}

/** The data of a response that must have no errors. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  assert.deepEqual(response.errors, undefined, `unexpected errors: ${JSON.stringify(response.errors)}`);
  assert.ok(response.data);
  return response.data;
}

/** The article with this slug as `query` (which takes `$slug`) reads it; fails when there is none. */
export async function articleBySlug<T>(server: TestServer, query: string, slug: string): Promise<T> {
  const { article } = dataOf(await server.gql<{ article: T | null }>(query, { slug }));
  if (!article) throw new Error(`no article ${slug}`);
  return article;
}

/** Row counts of every table, to prove a rejected write changed nothing. */
export interface RowCounts {
  articles: number;
  actors: number;
  aliases: number;
  mentions: number;
  quotes: number;
  topics: number;
  articleTopics: number;
  positions: number;
}

export async function rowCounts(db: Db): Promise<RowCounts> {
  const [articles, actors, aliases, mentions, quotes, topics, articleTopics, positions] = await Promise.all([
    db.article.count(),
    db.actor.count(),
    db.actorAlias.count(),
    db.mention.count(),
    db.quote.count(),
    db.topic.count(),
    db.articleTopic.count(),
    db.position.count(),
  ]);
  return { articles, actors, aliases, mentions, quotes, topics, articleTopics, positions };
}
