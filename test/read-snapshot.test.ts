import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Storage } from '../src/db.js';
import { createLogger } from '../src/logger.js';
import { startHttpServer } from '../src/server.js';
import { saveArticle } from '../src/services/articles.js';
import { dataOf, freshDatabaseFile, type GraphQLResponse } from './support/harness.js';

// A write that commits between two statements of one request. The statement hook runs just before
// SQLite runs each statement, so a write made from it, on a connection of its own (as another
// process would), commits after the request's first statement and before the next one.
let beforeStatement: ((sql: string) => void) | null = null;

let database: ReturnType<typeof freshDatabaseFile>;
let storage: Storage;
let server: Awaited<ReturnType<typeof startHttpServer>>;
let other: Database.Database;

beforeAll(async () => {
  database = freshDatabaseFile();
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
  other = new Database(database.file);
});

afterAll(async () => {
  other.close();
  await server.close();
  await storage.close();
  database.remove();
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
        other.prepare("UPDATE Article SET title = 'Harbour talks collapse', source = 'Evening Wire'").run();
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
