import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseFile, rowCounts, startTestServer, type TestServer } from './support/harness.js';

const ADD_ARTICLE = 'mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { id slug } } }';

interface SpawnedServer {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** The server's entry point (src/index.ts; `npm start` runs it compiled) as a separate process, as a user runs it. */
async function spawnServer(env: Record<string, string>): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /newsgraph is serving (http:\/\/[^\s"]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return { url, child, output: () => output };
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

function article(n: number, extra: Record<string, unknown> = {}) {
  return {
    title: `Burst article ${n}`,
    slug: `burst-${n}`,
    body: `Spokesperson ${n % 7} said \u201Cstatement ${n}\u201D today.`,
    ...extra,
  };
}

async function postJson(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data?: { addArticle?: { article: { slug: string } } } | null; errors?: unknown[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as never;
}

describe('a crash in the middle of a write burst', () => {
  const database = freshDatabaseFile();
  afterAll(() => database.remove());

  it('loses no acknowledged write and leaves an intact database', async () => {
    const first = await spawnServer({ DATABASE_URL: database.url });
    const acknowledged: string[] = [];
    let sent = 0;
    const writers = Array.from({ length: 8 }, async () => {
      for (;;) {
        const n = sent++;
        try {
          const result = await postJson(first.url, ADD_ARTICLE, { input: article(n) });
          const slug = result.data?.addArticle?.article.slug;
          if (slug) acknowledged.push(slug);
        } catch {
          return; // the connection died with the server
        }
      }
    });
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill('SIGKILL');
    await Promise.all(writers);
    await stopped(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await spawnServer({ DATABASE_URL: database.url });
    try {
      const stored = new Set<string>();
      let after: string | null = null;
      for (;;) {
        const response = await fetch(second.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: 'query ($after: String) { articles(first: 100, after: $after) { nodes { slug } pageInfo { hasNextPage endCursor } } }',
            variables: { after },
          }),
        });
        const { data } = (await response.json()) as {
          data: { articles: { nodes: { slug: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
        };
        for (const node of data.articles.nodes) stored.add(node.slug);
        if (!data.articles.pageInfo.hasNextPage) break;
        after = data.articles.pageInfo.endCursor;
      }
      expect(acknowledged.length).toBeGreaterThanOrEqual(40);
      expect(acknowledged.filter((slug) => !stored.has(slug))).toEqual([]);
    } finally {
      second.child.kill('SIGTERM');
      await stopped(second.child);
    }
    const db = new Database(database.file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});

describe('the server started on a public address without WRITE_TOKEN', () => {
  const database = freshDatabaseFile();
  afterAll(() => database.remove());

  it('refuses to start and says why', async () => {
    await expect(spawnServer({ DATABASE_URL: database.url, HOST: '0.0.0.0' })).rejects.toThrow(
      /Refusing to listen on 0\.0\.0\.0 without WRITE_TOKEN/,
    );
  });
});

describe('200 concurrent addArticle calls', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seed: false });
  });
  afterAll(async () => {
    await server.close();
  });

  it('all succeed, share new actors by name without duplicates, and add up exactly', async () => {
    const inputs = Array.from({ length: 200 }, (_, n) =>
      article(n, {
        actors: [
          { name: `Spokesperson ${n % 7}`, kind: 'PERSON', aliases: [`Speaker ${n % 7}`] },
          { name: `Reporter ${n}`, kind: 'PERSON' },
        ],
        quotes: [{ text: `statement ${n}`, speaker: `Speaker ${n % 7}`, kind: 'PARTIAL' }],
      }),
    );
    const results = await Promise.all(inputs.map((input) => postJson(server.url, ADD_ARTICLE, { input })));
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(new Set(results.map((r) => r.data?.addArticle?.article.slug)).size).toBe(200);
    expect(await rowCounts(server.db)).toEqual({
      articles: 200,
      actors: 207,
      aliases: 7,
      mentions: 400,
      quotes: 200,
      topics: 0,
      articleTopics: 0,
      positions: 0,
    });
    const busiest = await server.db.actor.findUniqueOrThrow({
      where: { nameKey: 'spokesperson 0' },
      include: { _count: { select: { quotes: true } } },
    });
    expect(busiest._count.quotes).toBe(29);
  });
});

describe('seeding while the server writes', () => {
  let server: TestServer;
  let seeds: string;
  beforeAll(async () => {
    server = await startTestServer({ seed: false });
    seeds = mkdtempSync(path.join(tmpdir(), 'newsgraph-concurrent-seeds-'));
    for (let n = 0; n < 40; n += 1) {
      writeFileSync(path.join(seeds, `seeded-${n}.txt`), `Seeded article ${n}\nThe Shared Ministry said \u201Cseed ${n}\u201D.`);
      writeFileSync(
        path.join(seeds, `seeded-${n}.json`),
        JSON.stringify({
          actors: [{ name: 'Shared Ministry', kind: 'ORGANIZATION' }],
          quotes: [{ text: `seed ${n}`, speaker: 'Shared Ministry', kind: 'PARTIAL' }],
        }),
      );
    }
  });
  afterAll(async () => {
    await server.close();
    rmSync(seeds, { recursive: true, force: true });
  });

  it('corrupts nothing and loses nothing', async () => {
    const seeding = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/seed.ts', seeds], {
      env: { ...process.env, DATABASE_URL: server.databaseUrl },
    });
    const writes = Array.from({ length: 40 }, (_, n) =>
      postJson(server.url, ADD_ARTICLE, {
        input: article(n, {
          actors: [{ name: 'Shared Ministry', kind: 'ORGANIZATION' }],
          quotes: [{ text: `statement ${n}`, speaker: 'Shared Ministry', kind: 'PARTIAL' }],
        }),
      }),
    );
    const [seeded, ...written] = await Promise.all([seeding, ...writes]);
    expect(seeded.stdout.match(/^created/gm)).toHaveLength(40);
    expect(written.filter((r) => r.errors)).toEqual([]);
    expect(await rowCounts(server.db)).toMatchObject({ articles: 80, actors: 1, quotes: 80, mentions: 80 });
    expect(await server.db.$queryRawUnsafe('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });
});

describe('SIGTERM', () => {
  const database = freshDatabaseFile();
  afterAll(() => database.remove());

  it('finishes the request in flight, then exits cleanly', async () => {
    const server = await spawnServer({ DATABASE_URL: database.url });
    const body = JSON.stringify({ query: ADD_ARTICLE, variables: { input: article(1) } });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        server.url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // Half the body now, the rest after the signal: the request is in flight when SIGTERM lands.
      req.write(body.slice(0, 40));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(40)), 300);
      }, 100);
    });
    const { status, text } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ data: { addArticle: { article: { slug: 'burst-1' } } } });
    await stopped(server.child);
    expect(server.child.exitCode).toBe(0);
    expect(server.output()).toContain('shutting down: finishing in-flight requests');
  });
});
