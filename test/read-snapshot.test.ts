import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../src/database-file.js';
import { openDatabase, type Storage } from '../src/db.js';
import { createLogger } from '../src/logger.js';
import { postgresBin } from '../src/postgres/cluster.js';
import { startHttpServer } from '../src/server.js';
import { saveArticle } from '../src/services/articles.js';
import { dataOf, freshDatabase, type GraphQLResponse } from './support/harness.js';

// A write that commits between two statements of one request. The statement hook runs just before
// the read store sends each statement, and a write made from it commits, from a connection of its
// own (as another process would), before the hook returns: after the request's first statement and
// before the next one. On SQLite that is a second better-sqlite3 connection; on PostgreSQL, psql,
// run synchronously, since no PostgreSQL client in this process can wait for a commit inside the hook.
let beforeStatement: ((sql: string) => void) | null = null;

let database: Awaited<ReturnType<typeof freshDatabase>>;
let storage: Storage;
let server: Awaited<ReturnType<typeof startHttpServer>>;
/** Runs one statement on a connection of its own and returns once it has committed. */
let writeNow: (sql: string) => void;
let closeWriter = () => {};

beforeAll(async () => {
  database = await freshDatabase();
  storage = await openDatabase(database.url, { onStatement: (sql) => beforeStatement?.(sql) });
  await saveArticle(storage.writer, {
    title: 'Harbour talks resume',
    body: 'Minister Ana Varga said “we are close”.',
    source: 'Harbour Post',
    publishedAt: new Date(Date.UTC(2024, 3, 1)),
    actors: [{ name: 'Ana Varga', kind: 'PERSON' }],
    quotes: [{ text: 'we are close', speaker: 'Ana Varga', kind: 'DIRECT' }],
  });
  server = await startHttpServer({ logger: createLogger('silent'), storage, port: 0, host: '127.0.0.1' });
  if (storage.dialect === 'postgresql') {
    const psql = path.join(postgresBin(), 'psql');
    writeNow = (sql) => void execFileSync(psql, [database.url, '--no-psqlrc', '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
  } else {
    const other = new Database(databaseFile(database.url));
    writeNow = (sql) => void other.prepare(sql).run();
    closeWriter = () => other.close();
  }
});

afterAll(async () => {
  closeWriter();
  await server.close();
  await storage.close();
  await database.remove();
});

async function gql<T>(query: string): Promise<GraphQLResponse<T>> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { ...((await response.json()) as GraphQLResponse<T>), status: response.status };
}

const ARTICLE = '{ articles(first: 1) { nodes { title source } } }';
type Articles = { articles: { nodes: { title: string; source: string | null }[] } };

describe('one snapshot per request', () => {
  it('answers from the data as it was at the request’s first read, though a write commits before its second', async () => {
    let wrote = false;
    beforeStatement = (sql) => {
      // The article's lean columns are read; its source comes in the next statement, after this write.
      if (!wrote && sql.includes('a.source')) {
        wrote = true;
        writeNow(`UPDATE "Article" SET title = 'Harbour talks collapse', source = 'Evening Wire'`);
      }
    };
    try {
      const during = dataOf(await gql<Articles>(ARTICLE));
      expect(wrote).toBe(true);
      expect(during.articles.nodes).toEqual([{ title: 'Harbour talks resume', source: 'Harbour Post' }]);
    } finally {
      beforeStatement = null;
    }
    // The next request starts a snapshot of its own, which has the write.
    expect(dataOf(await gql<Articles>(ARTICLE)).articles.nodes).toEqual([{ title: 'Harbour talks collapse', source: 'Evening Wire' }]);
  });
});
