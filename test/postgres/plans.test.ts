import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Storage } from '../../src/db.js';
import { createLogger } from '../../src/logger.js';
import { startHttpServer } from '../../src/server.js';
import { freshDatabase } from '../support/harness.js';

// The plans PostgreSQL picks for the statements the server really sends, on enough rows that a
// sort of the whole table and an index scan cost very differently. A list page must not read every
// article to return twenty: that made the article page grow from 10 ms to 83 ms between 1,000 and
// 100,000 articles. Nor may a page of positions sort every match, or walk the whole table in id
// order looking for a small board's few rows.

const ARTICLES = 6_000;
const UNDATED = 500;
const TOPICS = 40;
const ACTORS = 400;
const POSITIONS = 24_000;
/** A small board among many: the rare topic's NEUTRAL positions, spread over the whole id range. */
const RARE_BOARD = 25;

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
  await admin.query(`INSERT INTO "Topic" (name, slug) SELECT 'Topic ' || n, 'topic-' || n FROM generate_series(1, $1) AS n`, [TOPICS + 1]);
  await admin.query(
    `INSERT INTO "Actor" (name, "nameKey", kind, "updatedAt") SELECT 'Actor ' || n, 'actor ' || n, 'PERSON', now() FROM generate_series(1, $1) AS n`,
    [ACTORS],
  );
  // Every topic but the last has about 600 positions of each stance; the last (the rare topic) has
  // RARE_BOARD, all NEUTRAL, one every POSITIONS / RARE_BOARD rows.
  await admin.query(
    `INSERT INTO "Position" ("actorId", "topicId", "articleId", stance, summary)
     SELECT 1 + n % $2, CASE WHEN n % ($1 / $5) = 0 THEN $4 + 1 ELSE 1 + n % $4 END, 1 + n % $3,
            CASE WHEN n % ($1 / $5) = 0 THEN 'NEUTRAL' ELSE (ARRAY['SUPPORT', 'OPPOSE', 'NEUTRAL', 'MIXED'])[1 + (n / $4) % 4] END::"Stance",
            'Position ' || n
       FROM generate_series(1, $1) AS n`,
    [POSITIONS, ACTORS, ARTICLES, TOPICS, RARE_BOARD],
  );
  await admin.query('ANALYZE "Article"; ANALYZE "Topic"; ANALYZE "Actor"; ANALYZE "Position"');
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

/** The plan of each statement of a list (those reading `from` in an order) that a query sent. */
async function listPlans(query: string, from = /FROM "Article"/): Promise<{ sql: string; nodes: PlanNode[] }[]> {
  sent.length = 0;
  await gql(query);
  const lists = sent.filter(({ sql }) => from.test(sql) && /ORDER BY/.test(sql));
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
      const plans = await listPlans(query(after));
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

describe('a page of positions on PostgreSQL', () => {
  const nodeTypes = (nodes: PlanNode[]) => nodes.map((node) => node['Node Type']);
  // How the statement reaches positions: the indexes it scans (a bitmap scan names its index on a
  // child node), and a Seq Scan if it reads the whole table.
  const positionAccess = (nodes: PlanNode[]) =>
    nodes.flatMap((node) =>
      node['Index Name']?.startsWith('Position_')
        ? [node['Index Name']]
        : node['Relation Name'] === 'Position' && node['Node Type'] === 'Seq Scan'
          ? ['Seq Scan']
          : [],
    );

  it.each([
    // A few rows are as cheaply sorted as read in order; what must not happen is a walk of the
    // primary key, in page order, past every other topic's positions.
    ['a small board (a stance of few positions among many)', `topic-${TOPICS + 1}`, 'NEUTRAL', false],
    ['a large board', 'topic-1', 'SUPPORT', true],
  ])('%s reads its index, on the first page and after a cursor', async (_, slug, stance, inOrder) => {
    const query = (after: string | null) =>
      `{ topic(slug: "${slug}") { positions(stance: ${stance}, first: 20${after ? `, after: ${JSON.stringify(after)}` : ''}) { nodes { summary actor { name } } pageInfo { endCursor } } } }`;
    const first = await gql<{ topic: { positions: { nodes: unknown[]; pageInfo: { endCursor: string } } } }>(query(null));
    expect(first.topic.positions.nodes).toHaveLength(20);
    for (const after of [null, first.topic.positions.pageInfo.endCursor]) {
      const plans = await listPlans(query(after), /FROM "Position"/);
      expect(plans).toHaveLength(1);
      for (const { sql, nodes } of plans) {
        expect(positionAccess(nodes), sql).toEqual(['Position_topicId_stance_id_idx']);
        if (inOrder) expect(nodeTypes(nodes), sql).not.toContain('Sort');
      }
    }
  });

  it("an actor's positions read their index in order", async () => {
    const { actor } = await gql<{ actor: { positions: { nodes: { summary: string }[] } } }>(
      `{ actor(name: "Actor 7") { positions { nodes { summary } } } }`,
    );
    expect(actor.positions.nodes).toHaveLength(20);
    expect(actor.positions.nodes[0]?.summary).toBe('Position 6');
    const plans = await listPlans(`{ actor(name: "Actor 7") { positions { nodes { summary topic { name } } } } }`, /FROM "Position"/);
    expect(plans).toHaveLength(1);
    for (const { sql, nodes } of plans) {
      expect(nodeTypes(nodes), sql).not.toContain('Sort');
      expect(positionAccess(nodes), sql).toEqual(['Position_actorId_id_idx']);
    }
  });
});
