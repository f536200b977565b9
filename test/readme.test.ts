import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, validate } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
/** The README's fenced blocks, in order, with their language. */
const BLOCKS = [...README.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] ?? '', code: m[2] ?? '' }));

/**
 * Every ```graphql block in the README that is followed by a ```json block (other than a block
 * between them): the operation and what it returns. Subscriptions are answered over WebSocket and
 * checked below.
 */
function readmeExamples(kind: 'query or mutation' | 'subscription' = 'query or mutation'): { query: string; expected: unknown }[] {
  return BLOCKS.flatMap((block, i) => {
    const next = BLOCKS[i + 1];
    if (block.lang !== 'graphql' || next?.lang !== 'json') return [];
    if (block.code.startsWith('subscription') !== (kind === 'subscription')) return [];
    return [{ query: block.code, expected: JSON.parse(next.code) as unknown }];
  });
}

/** The first block in `lang` after the block that contains `marker`. */
function blockAfter(marker: string, lang: string): string {
  const start = BLOCKS.findIndex((b) => b.code.includes(marker));
  const found = BLOCKS.slice(start + 1).find((b) => b.lang === lang);
  if (start < 0 || !found) throw new Error(`the README has no ${lang} block after ${marker}`);
  return found.code;
}

const run = promisify(execFile);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('the README', () => {
  const examples = readmeExamples();

  it('has fifteen example operations with their results', () => {
    expect(examples).toHaveLength(15);
  });

  it.each(examples.map((e) => [e.query.split('\n')[1]?.trim() ?? '', e]))(
    'example %s returns what the README says',
    async (_name, example) => {
      const answer = dataOf(await server.gql(example.query));
      if (server.storage.dialect === 'sqlite') expect(answer).toEqual(example.expected);
      // PostgreSQL ranks within a band with ts_rank rather than BM25 (README, Beyond one machine):
      // the hits, their order, bands and snippets are the README's, the fractions of the scores not.
      else expect(bandsOnly(answer)).toEqual(bandsOnly(example.expected));
    },
  );
});

/** A search answer with each hit's score cut to its band (the integer part). */
function bandsOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(bandsOnly);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, key === 'score' && typeof inner === 'number' ? Math.floor(inner) : bandsOnly(inner)]),
  );
}

describe('the README on live updates', () => {
  it('shows what its subscription receives when its addArticles example runs', async () => {
    const [subscription] = readmeExamples('subscription');
    const addTwo = readmeExamples().find((e) => e.query.startsWith('mutation AddTwoArticles'));
    assert.ok(subscription && addTwo);
    const fresh = await startTestServer();
    const client = createClient({ url: fresh.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const events = client.iterate({ query: subscription.query });
      const first = events.next();
      for (let i = 0; i < 500 && fresh.live.subscriberCount === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(fresh.live.subscriberCount).toBe(1);
      expect(dataOf(await fresh.gql(addTwo.query))).toEqual(addTwo.expected);
      expect((await first).value).toEqual({ data: subscription.expected });
      await events.return?.();
    } finally {
      await client.dispose();
      await fresh.close();
    }
  });
});

describe('the README on import and export', () => {
  /** Runs `npm run <script> -- ARGS` as the README's sh block has it, from `directory` as npm would. */
  async function runAsReadme(script: string, directory: string, databaseUrl: string) {
    const command = BLOCKS.find((b) => b.lang === 'sh' && b.code.startsWith(`npm run ${script} -- `))?.code;
    assert.ok(command, `the README has no sh block running npm run ${script}`);
    const args = command.trim().slice(`npm run ${script} -- `.length).split(/\s+/);
    return run(process.execPath, ['--import', 'tsx', `src/${script}.ts`, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, INIT_CWD: directory },
    }).catch((error: unknown) => error as { stdout: string; stderr: string; code: number });
  }

  it('imports its wire.jsonl as it says, then exports the quotes it shows', async () => {
    const fresh = await startTestServer();
    const directory = mkdtempSync(path.join(tmpdir(), 'newsgraph-readme-'));
    try {
      writeFileSync(path.join(directory, 'wire.jsonl'), BLOCKS.find((b) => b.lang === 'jsonl')?.code ?? '');
      const imported = await runAsReadme('import', directory, fresh.databaseUrl);
      const timing = (text: string) => text.replace(/in [\d.]+ s \([\d.]+ articles\/s\)/, 'in T s (R articles/s)');
      expect(timing(`${imported.stderr}${imported.stdout}`)).toBe(timing(blockAfter('npm run import -- wire.jsonl', 'text')));
      expect('code' in imported && imported.code).toBe(1);

      const exported = await runAsReadme('export', directory, fresh.databaseUrl);
      expect(exported.stdout).toMatch(/^3 articles written to archive\.jsonl\n\d+ quotes written to quotes\.csv\n$/);
      const csv = readFileSync(path.join(directory, 'quotes.csv'), 'utf8')
        .replace(/^\uFEFF/, '')
        .split('\r\n');
      const shown = blockAfter('npm run export -- archive.jsonl', 'csv').trim().split('\n');
      expect(shown.length).toBe(3);
      expect(csv[0]).toBe(shown[0]);
      for (const record of shown) expect(csv).toContain(record);
    } finally {
      rmSync(directory, { recursive: true, force: true });
      await fresh.close();
    }
  }, 60_000);
});

describe('every GraphQL block in the README', () => {
  const blocks = BLOCKS.filter((b) => b.lang === 'graphql').map((b) => b.code);

  it.each(blocks.map((block) => [block.split('\n')[0] ?? '', block]))('is valid against the schema: %s', (_first, block) => {
    expect(validate(schema, parse(block))).toEqual([]);
  });
});

describe('the README section on Apollo Client', () => {
  it('shows the type policies that the web app uses and test/apollo-client.test.ts runs', () => {
    const readme = README;
    const source = readFileSync(new URL('../web/src/apollo/type-policies.ts', import.meta.url), 'utf8');
    const policies = source.slice(source.indexOf('export const newsgraphTypePolicies'));
    expect(readme).toContain(policies.trim());
  });
});
