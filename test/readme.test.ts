import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

/** Every ```graphql block in the README that is followed by a ```json block: the query and what it returns. */
function readmeExamples(): { query: string; expected: unknown }[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] ?? '' }));
  return blocks.flatMap((block, i) => {
    const next = blocks[i + 1];
    return block.lang === 'graphql' && next?.lang === 'json' ? [{ query: block.code, expected: JSON.parse(next.code) as unknown }] : [];
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('the README', () => {
  const examples = readmeExamples();

  it('has seven example queries with their results', () => {
    expect(examples).toHaveLength(7);
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

describe('every GraphQL block in the README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

  it.each(blocks.map((block) => [block.split('\n')[0] ?? '', block]))('is valid against the schema: %s', (_first, block) => {
    expect(validate(schema, parse(block))).toEqual([]);
  });
});

describe('the README section on Apollo Client', () => {
  it('shows the type policies that the web app uses and test/apollo-client.test.ts runs', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('../web/src/apollo/type-policies.ts', import.meta.url), 'utf8');
    const policies = source.slice(source.indexOf('export const newsgraphTypePolicies'));
    expect(readme).toContain(policies.trim());
  });
});
