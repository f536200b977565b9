/**
 * `npm run abuse`: replays hostile clients against the real server (`src/index.ts` in a process of
 * its own, on a fresh database, with a write token) and checks, for each attack, that the server stays
 * up, that /health answers within HEALTH_BUDGET_MS all the while, that the server's resident memory
 * stays under RSS_BOUND_MB, and that the attacked request gets a clear error or a correct answer.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { startServerProcess } from '../test/support/server-process.js';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HEALTH_BUDGET_MS = 200;
const RSS_BOUND_MB = 1_024;
const TOKEN = 'abuse-suite-token';

let server: ChildProcess;
let origin = '';
let directory = '';

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'newsgraph-abuse-'));
  const started = await startServerProcess({ DATABASE_URL: `file:${path.join(directory, 'abuse.db')}`, WRITE_TOKEN: TOKEN });
  server = started.child;
  origin = new URL(started.url).origin;
}, 120_000);

afterAll(() => {
  server.kill('SIGTERM');
  rmSync(directory, { recursive: true, force: true });
});

function residentMegabytes(): number {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

interface GraphQLAnswer {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function gql(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLAnswer> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, ...(JSON.parse(text) as object) };
}

/**
 * Asks /health every 20 ms from a thread of its own, so what the attacking client does on this
 * thread (building megabyte strings) does not count against the server's answer times.
 */
const HEALTH_PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
let slowest = 0, checks = 0, failures = 0, stop = false;
parentPort.on('message', () => { stop = true; });
(async () => {
  while (!stop) {
    const started = performance.now();
    try {
      const response = await fetch(workerData);
      if (response.status !== 200) failures += 1;
      await response.text();
    } catch {
      failures += 1;
    }
    slowest = Math.max(slowest, performance.now() - started);
    checks += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  parentPort.postMessage({ slowest, checks, failures });
})();
`;

interface Held {
  slowestHealthMs: number;
  healthChecks: number;
  healthFailures: number;
  peakRssMb: number;
}

/** Runs an attack while /health is probed and the server's RSS sampled. */
async function underAttack<T>(attack: () => Promise<T>): Promise<Held & { result: T }> {
  const probe = new Worker(HEALTH_PROBE, { eval: true, workerData: `${origin}/health` });
  let peakRssMb = residentMegabytes();
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, residentMegabytes())), 20);
  try {
    const result = await attack();
    peakRssMb = Math.max(peakRssMb, residentMegabytes());
    return { result, peakRssMb, ...(await stopProbe(probe)) };
  } finally {
    clearInterval(sampler);
    await probe.terminate();
  }
}

async function stopProbe(probe: Worker): Promise<Omit<Held, 'peakRssMb'>> {
  const report = new Promise<{ slowest: number; checks: number; failures: number }>((resolve) => probe.once('message', resolve));
  probe.postMessage('stop');
  const { slowest, checks, failures } = await report;
  return { slowestHealthMs: slowest, healthChecks: checks, healthFailures: failures };
}

function expectServerHeld(run: Held): void {
  expect(run.healthChecks).toBeGreaterThan(0);
  expect(run.healthFailures).toBe(0);
  expect(run.slowestHealthMs).toBeLessThan(HEALTH_BUDGET_MS);
  expect(run.peakRssMb).toBeLessThan(RSS_BOUND_MB);
  expect(server.exitCode).toBeNull();
}

describe('hostile clients', () => {
  it('distinct read queries with megabyte variables do not grow the response cache without bound', async () => {
    const run = await underAttack(async () => {
      const statuses: number[] = [];
      // The body is written once and only its first characters change, so this client spends its
      // time sending, not building megabyte strings.
      const filler = 'x'.repeat(1_000_000);
      for (let i = 0; i < 300; i += 1) {
        const response = await fetch(`${origin}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"query":"query ($name: String!) { actor(name: $name) { name } }","variables":{"name":"${i}${filler}"}}`,
        });
        await response.text();
        statuses.push(response.status);
      }
      return statuses;
    });
    expect(run.result.length).toBe(300);
    expect(new Set(run.result)).toEqual(new Set([200]));
    expectServerHeld(run);
  }, 120_000);

  it('fragments spreading fragments are refused, not run', async () => {
    const fragments = ['fragment F0 on Query { __typename }'];
    for (let level = 1; level <= 4; level += 1) fragments.push(`fragment F${level} on Query { ${`...F${level - 1} `.repeat(10)}}`);
    const run = await underAttack(() => gql(`{ ...F4 } ${fragments.join(' ')}`));
    expect(run.result.status).toBe(400);
    expect(run.result.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expectServerHeld(run);
  });

  it('aliases of article bodies over large articles get RESPONSE_TOO_LARGE, not a response of hundreds of megabytes', async () => {
    const body = Array.from({ length: 60_000 }, (_, i) => `Paragraph ${i} of a very long report says little.`)
      .join(' ')
      .slice(0, 1_000_000);
    for (let i = 0; i < 20; i += 1) {
      const added = await gql(
        'mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { slug } } }',
        { input: { title: `Long report ${i}`, body, source: 'Abuse Wire', publishedAt: '2026-02-01T00:00:00Z' } },
        TOKEN,
      );
      expect(added.errors).toBeUndefined();
    }
    // Fifteen aliases weigh more than the cost limit allows; five pass it and would answer 100 MB.
    const aliases = (count: number) =>
      `{ ${Array.from({ length: count }, (_, i) => `a${i}: articles(first: 20) { nodes { body } }`).join(' ')} }`;
    const costly = await underAttack(() => gql(aliases(15)));
    expect(costly.result.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expectServerHeld(costly);
    const large = await underAttack(() => gql(aliases(5)));
    expect(large.result.errors?.map((error) => error.extensions?.code)).toContain('RESPONSE_TOO_LARGE');
    expectServerHeld(large);
  }, 120_000);

  it('a search of 60,000 words, or of many short prefixes, is refused at once', async () => {
    const run = await underAttack(async () => {
      const words = await gql('query ($q: String!) { search(query: $q) { __typename } }', {
        q: Array.from({ length: 60_000 }, (_, i) => `w${i}`).join(' '),
      });
      const prefixes = await gql('query ($q: String!) { search(query: $q) { __typename } }', { q: 'a* '.repeat(10).trim() });
      return [words.errors?.[0]?.extensions?.code, prefixes.errors?.[0]?.extensions?.code];
    });
    expect(run.result).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expectServerHeld(run);
  });

  it('extraction of a pathological body answers or stops in time while /health answers', async () => {
    const run = await underAttack(() =>
      gql('query ($body: String!) { extract(body: $body) { quotes { text } } }', { body: '"a" '.repeat(64_000) }),
    );
    const answered = run.result.status === 200 && run.result.errors === undefined;
    expect(answered || run.result.errors?.[0]?.extensions?.code === 'EXTRACTION_TIMEOUT').toBe(true);
    expectServerHeld(run);
  }, 120_000);

  it('several operations without operationName and variables nested thousands deep are 400s', async () => {
    const run = await underAttack(async () => {
      const several = await gql('query A { __typename } query B { __typename }');
      const deep = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"query":"query ($q: String!) { search(query: $q) { __typename } }","variables":{"q":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}}`,
      });
      return [several.status, deep.status];
    });
    expect(run.result).toEqual([400, 400]);
    expectServerHeld(run);
  });

  it('thousands of idle sockets do not stop /health', async () => {
    const { hostname, port } = new URL(origin);
    const sockets: Socket[] = [];
    for (let i = 0; i < 2_000; i += 1) sockets.push(connect(Number(port), hostname).on('error', () => undefined));
    await Promise.all(
      sockets.map((socket) => new Promise<void>((resolve) => (socket.connecting ? socket.once('connect', () => resolve()) : resolve()))),
    );
    // With every socket open and idle, /health and a query still answer at once.
    const run = await underAttack(async () => {
      const answer = await gql('{ articles(first: 1) { totalCount } }');
      await new Promise((resolve) => setTimeout(resolve, 500));
      return answer.status;
    });
    expect(run.result).toBe(200);
    expect(sockets.filter((socket) => !socket.destroyed).length).toBe(2_000);
    expectServerHeld(run);
    for (const socket of sockets) socket.destroy();
  }, 60_000);
});
