import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_KEY_CHARACTERS } from '../src/response-cache.js';
import { dataOf, startTestServer, type TestServer, VERSION_CHECK, writeFromOutside } from './support/harness.js';

const ACTOR = `query ($name: String!) { actor(name: $name) { name description quotes(first: 2) { totalCount } } }`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ server: { responseCacheEntries: 2 } });
});
afterAll(() => server.close());

/** Runs a query and reports how many SQL statements it took besides the cache's own version check. */
async function timed(query: string, variables: Record<string, unknown>) {
  server.statements.length = 0;
  const response = await server.gql(query, variables);
  const checks = server.statements.filter((sql) => sql === VERSION_CHECK[server.storage.dialect]).length;
  // One check when the answer is looked up, and one more when a fresh answer is stored.
  expect([1, 2]).toContain(checks);
  return { response, statements: server.statements.length - checks };
}

describe('the response cache', () => {
  it('answers a repeated query with no SQL but one version check', async () => {
    const first = await timed(ACTOR, { name: 'Xi' });
    const second = await timed(ACTOR, { name: 'Xi' });
    expect(first.statements).toBeGreaterThan(0);
    expect(second.statements).toBe(0);
    expect(server.statements).toEqual([VERSION_CHECK[server.storage.dialect]]);
    expect(second.response).toEqual(first.response);
    expect(dataOf(second.response)).toEqual({
      actor: { name: 'Xi Jinping', description: 'President of China', quotes: { totalCount: 5 } },
    });
  });

  it('neither looks up nor keeps a query whose variables are longer than a key may be', async () => {
    // Within the default byte budget, but longer than MAX_KEY_CHARACTERS: hashing such keys per
    // request is what held the event loop under a stream of megabyte variables.
    const query = 'query ($source: String!) { articles(filter: { source: $source }) { totalCount } }';
    const source = `Wire ${'x'.repeat(MAX_KEY_CHARACTERS)}`;
    const first = await timed(query, { source });
    const second = await timed(query, { source });
    expect(first.statements).toBeGreaterThan(0);
    expect(second.statements).toBe(first.statements);
  });

  it('keys on the variables', async () => {
    const putin = dataOf(await server.gql<{ actor: { name: string } }>(ACTOR, { name: 'Putin' }));
    expect(putin.actor.name).toBe('Vladimir Putin');
  });

  it('is emptied by a write through the API', async () => {
    dataOf(
      await server.gql(
        `mutation { upsertActor(input: { name: "Xi Jinping", kind: PERSON, description: "Paramount leader" }) { created } }`,
      ),
    );
    const after = await timed(ACTOR, { name: 'Xi' });
    expect(after.statements).toBeGreaterThan(0);
    expect(dataOf(after.response)).toMatchObject({ actor: { description: 'Paramount leader' } });
  });

  it('is emptied by a write from another process', async () => {
    await server.gql(ACTOR, { name: 'Xi' });
    await writeFromOutside(server.databaseUrl, `UPDATE "Actor" SET description = 'Written by another process' WHERE name = 'Xi Jinping'`);
    const after = dataOf<{ actor: { description: string } }>(await server.gql(ACTOR, { name: 'Xi' }));
    expect(after.actor.description).toBe('Written by another process');
  });

  it('keeps no answer with errors, and only as many answers as configured', async () => {
    const failing = `query { actor(id: "not-an-id") { name } }`;
    await server.gql(failing, {});
    expect((await timed(failing, {})).response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Three distinct queries through a cache of two: the oldest is evicted and runs again.
    for (const name of ['Xi', 'Putin', 'Kirby']) await server.gql(ACTOR, { name });
    expect((await timed(ACTOR, { name: 'Kirby' })).statements).toBe(0);
    expect((await timed(ACTOR, { name: 'Xi' })).statements).toBeGreaterThan(0);
  });
});
