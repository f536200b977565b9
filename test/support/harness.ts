import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db, type Storage } from '../../src/db.js';
import type { LiveEvents } from '../../src/live.js';
import { createLogger } from '../../src/logger.js';
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

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  url: string;
  /** The `file:` URL of the suite's own database. */
  databaseUrl: string;
  /** The server's read-only connection, for checking what was stored. */
  db: Db;
  storage: Storage;
  /** The server's live updates, to see when a subscription has started listening. */
  live: LiveEvents;
  /** SQL statements SQLite has run since the last reset. */
  statements: string[];
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
  const database = freshDatabaseFile();
  const statements: string[] = [];
  const storage = await openDatabase(database.url, { onStatement: (sql) => statements.push(sql) });
  if (options.seed ?? true) await seedDirectory(storage.writer, SEEDS_DIRECTORY);
  const running = await startHttpServer({ logger: createLogger('silent'), ...options.server, storage, port: 0, host: '127.0.0.1' });
  statements.length = 0;
  return {
    url: running.url,
    live: running.live,
    databaseUrl: database.url,
    db: storage.reader,
    storage,
    statements,
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
      database.remove();
    },
  };
}

/** The data of a response that must have no errors. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  assert.deepEqual(response.errors, undefined, `unexpected errors: ${JSON.stringify(response.errors)}`);
  assert.ok(response.data);
  return response.data;
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
