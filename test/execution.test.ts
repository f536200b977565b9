import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERIES } from '../bench/queries.js';
import { createContext } from '../src/context.js';
import { rowIdOf } from '../src/ids.js';
import type { Loaders } from '../src/loaders.js';
import { DEFAULT_LIMITS } from '../src/limits.js';
import { createLogger } from '../src/logger.js';
import { createApolloServer } from '../src/server.js';
import { startTestServer, type TestServer } from './support/harness.js';

/** Every GraphQL operation in the README, plus the benchmark's queries and some failing ones. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const operations: [string, string, Record<string, unknown>][] = [
  ...[...readme.matchAll(/```graphql\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? '')
    .filter((query) => !/^\s*mutation/.test(query))
    .map((query): [string, string, Record<string, unknown>] => [query.split('\n')[0] ?? '', query, {}]),
  ['Q1', QUERIES.Q1.query, {}],
  ['Q2', QUERIES.Q2.query, { name: 'President Xi' }],
  ['Q3', QUERIES.Q3.query, { slug: 'chinas-mediation-in-the-war-in-ukraine', stance: 'SUPPORT' }],
  ['Q4', QUERIES.Q4.query, {}],
  ['Q5', QUERIES.Q5.query, { topic: 'chinas-neutrality', after: '2000-01-01T00:00:00Z', before: '2100-01-01T00:00:00Z' }],
  ['an unknown enum value in variables', QUERIES.Q3.query, { slug: 'x', stance: 'LOUD' }],
  ['a missing variable', QUERIES.Q2.query, {}],
  ['a resolver error', '{ actor(id: "not-an-id") { name } }', {}],
  ['a null for an unknown node', '{ node(id: "QWN0b3I6OTk5OQ") { id } }', {}],
  ['introspection', '{ __schema { queryType { name } types { name } } }', {}],
  [
    'a mutation',
    'mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { id slug quotes { id text speaker { name } origin } } } }',
    { input: { title: 'Same on both', body: '"We agree," said Mayor Erik Dahl.', extract: true } },
  ],
  ['a rejected mutation', 'mutation { deleteArticle(id: "QXJ0aWNsZTo5OTk") { deletedId } }', {}],
  ['fragments and aliases', '{ a: actor(name: "Xi") { ...A } b: actor(name: "Putin") { ...A } } fragment A on Actor { name kind }', {}],
];

let compiled: TestServer;
let interpreted: TestServer;
beforeAll(async () => {
  [compiled, interpreted] = await Promise.all([startTestServer(), startTestServer({ server: { compiledExecution: false } })]);
});
afterAll(async () => {
  await Promise.all([compiled.close(), interpreted.close()]);
});

describe('compiled execution', () => {
  it.each(operations)('answers exactly as graphql-js does: %s', async (_name, query, variables) => {
    const [fast, reference] = await Promise.all([compiled.gql(query, variables), interpreted.gql(query, variables)]);
    expect(fast).toEqual(reference);
  });
});

describe('memory', () => {
  it("lets go of a request's loaded rows once its response is ready", async () => {
    const apollo = createApolloServer({ storage: compiled.storage, logger: createLogger('silent') }, DEFAULT_LIMITS);
    const seen: { during?: Loaders; after?: Loaders } = {};
    apollo.addPlugin({
      async requestDidStart() {
        return {
          async executionDidStart({ contextValue }) {
            seen.during = contextValue.loaders;
          },
          async willSendResponse({ contextValue }) {
            seen.after = contextValue.loaders;
          },
        };
      },
    });
    await apollo.start();
    const response = await apollo.executeOperation(
      { query: '{ actor(name: "Xi") { id name } }' },
      { contextValue: createContext(compiled.storage) },
    );
    expect(response.body).toMatchObject({ kind: 'single', singleResult: { data: { actor: { name: 'Xi Jinping' } } } });
    const { id } = (response.body as unknown as { singleResult: { data: { actor: { id: string } } } }).singleResult.data.actor;
    const rowId = rowIdOf('Actor', id, 'id');
    // The request's loaders knew the actor; by the time the response is sent the context holds fresh ones.
    expect(seen.during?.actorById.get(rowId)).toMatchObject({ name: 'Xi Jinping' });
    expect(seen.after).toBeDefined();
    expect(seen.after).not.toBe(seen.during);
    expect(seen.after?.actorById.get(rowId)).toBeInstanceOf(Promise);
    await apollo.stop();
  });
});
