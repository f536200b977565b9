import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Storage } from '../../src/db.js';
import { createLogger } from '../../src/logger.js';
import { startHttpServer } from '../../src/server.js';
import { freshDatabase } from '../support/harness.js';

// The plans PostgreSQL picks for the statements the server really sends, on enough rows that a
// sort of the whole table and an index scan cost very differently. A list page must not read every
// article to return twenty: that made the article page grow from 10 ms to 83 ms between 1,000 and
// 100,000 articles.

const ARTICLES = 6_000;
const UNDATED = 500;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

let database: Awaited<ReturnType<typeof freshDatabase>>;
let storage: Storage;
let server: Awaited<ReturnType<typeof startHttpServer>>;
let admin: pg.Client;
const sent: { sql: string; params: readonly unknown[] }[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  admin = new pg.Client(database.url);
  await admin.connect();
  // Dated articles a minute apart, several sharing each date (ties broken by id), and undated ones.
  await admin.query(
    `INSERT INTO "Article" (slug, title, body, "publishedAt", "updatedAt")
     SELECT 'article-' || n, 'Article ' || n, 'Body of article ' || n,
            CASE WHEN n <= $2 THEN NULL ELSE timestamp '2020-01-01' + ((n / 3) * interval '1 minute') END, now()
       FROM generate_series(1, $1) AS n`,
    [ARTICLES, UNDATED],
  );
  await admin.query('ANALYZE "Article"');
  storage = await openDatabase(database.url, { onStatement: (sql, params) => sent.push({ sql, params: params ?? [] }) });
  server = await startHttpServer({ logger: createLogger('silent'), storage, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server?.close();
  await storage?.close();
  await admin?.end();
  await database?.remove();
});

async function gql<T>(query: string): Promise<T> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data as T;
}

/** The plan of each statement of the article list that a query sent. */
async function articleListPlans(query: string): Promise<{ sql: string; nodes: PlanNode[] }[]> {
  sent.length = 0;
  await gql(query);
  const lists = sent.filter(({ sql }) => /FROM "Article"/.test(sql) && /ORDER BY/.test(sql));
  expect(lists.length).toBeGreaterThan(0);
  return Promise.all(
    lists.map(async ({ sql, params }) => {
      const { rows } = await admin.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, [...params]);
      const [explained] = rows[0]?.['QUERY PLAN'] ?? [];
      if (!explained) throw new Error(`no plan for ${sql}`);
      return { sql, nodes: nodesOf(explained.Plan) };
    }),
  );
}

const PAGE = `{ articles(first: 20) { nodes { slug publishedAt } pageInfo { endCursor } } }`;

describe('an article page on PostgreSQL', () => {
  it.each([
    ['newest first (the default)', 'PUBLISHED_AT_DESC', 'Article_publishedAt_desc_id_idx'],
    ['oldest first', 'PUBLISHED_AT_ASC', 'Article_publishedAt_id_idx'],
  ])('%s reads its index in order, sorting nothing, on the first page and after a cursor', async (_, order, index) => {
    const query = (after: string | null) =>
      `{ articles(first: 20, orderBy: ${order}${after ? `, after: ${JSON.stringify(after)}` : ''}) { nodes { slug publishedAt } pageInfo { endCursor } } }`;
    const first = await gql<{ articles: { nodes: { publishedAt: string | null }[]; pageInfo: { endCursor: string } } }>(query(null));
    expect(first.articles.nodes).toHaveLength(20);
    for (const after of [null, first.articles.pageInfo.endCursor]) {
      const plans = await articleListPlans(query(after));
      for (const { sql, nodes } of plans) {
        expect(
          nodes.map((node) => node['Node Type']),
          sql,
        ).not.toContain('Sort');
        expect(nodes.filter((node) => node['Relation Name'] === 'Article').map((node) => node['Index Name'])).toContain(index);
      }
    }
  });

  it('still answers newest first, ties by the last added', async () => {
    const { articles } = await gql<{ articles: { nodes: { slug: string; publishedAt: string | null }[] } }>(PAGE);
    expect(articles.nodes[0]?.slug).toBe(`article-${ARTICLES}`);
    const dates = articles.nodes.map((node) => node.publishedAt);
    expect(dates.every((date) => date !== null)).toBe(true);
    expect([...dates].sort().reverse()).toEqual(dates);
  });
});
