import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/limits.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function post(
  body: unknown,
  url = server.url,
): Promise<{ status: number; json: { errors?: { message: string; extensions?: Record<string, unknown> }[]; data?: unknown } | unknown[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as never };
}

function firstError(json: unknown): { message: string; extensions?: Record<string, unknown> } | undefined {
  return (json as { errors?: { message: string; extensions?: Record<string, unknown> }[] }).errors?.[0];
}

/** actor -> quotes -> article -> actors -> quotes -> ... nested `levels` times. */
function cyclicQuery(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels; i += 1) inner = `name quotes(first: 100) { nodes { article { actors { ${inner} } } } }`;
  return `{ actor(name: "Xi") { ${inner} } }`;
}

describe('request limits', () => {
  it('refuses a deeply nested cyclic query before executing it', async () => {
    server.statements.length = 0;
    const { status, json } = await post({ query: cyclicQuery(5) });
    expect(status).toBe(400);
    expect(firstError(json)).toMatchObject({
      message: 'Query depth limit of 10 (MAX_DEPTH) exceeded: the query nests 22 levels deep',
      extensions: { code: 'DEPTH_LIMIT_EXCEEDED' },
    });
    expect(server.statements).toEqual([]);
  });

  it('refuses a shallow query whose list sizes multiply past the cost limit', async () => {
    const query = '{ actors(first: 100) { nodes { quotes(first: 100) { nodes { article { actors { name } } } } } } }';
    const { status, json } = await post({ query });
    expect(status).toBe(400);
    expect(firstError(json)?.message).toMatch(/^Query cost \d+ exceeds the limit of 250000/);
  });

  it('counts `first` from variables', async () => {
    const query = 'query ($n: Int) { actors(first: $n) { nodes { quotes(first: $n) { nodes { article { actors { name } } } } } } }';
    expect((await post({ query, variables: { n: 5 } })).status).toBe(200);
    expect((await post({ query, variables: { n: 100 } })).status).toBe(400);
  });

  it('costs each set of variables on its own, whatever was asked before (costs are cached per document)', async () => {
    const query =
      'query ($n: Int, $who: String) { actors(first: $n) { nodes { quotes(first: $n) { nodes { article { actors { name } } } } } } actor(name: $who) { name } }';
    for (const n of [5, 100, 5, 100]) {
      expect((await post({ query, variables: { n, who: `someone ${n}` } })).status).toBe(n === 5 ? 200 : 400);
    }
    // A string where the Int goes cannot be costed (execution refuses it); it must not stand in for
    // a number that can be. `first: 0` still costs this query over the limit through its fixed lists.
    const heavy =
      'query ($n: Int) { actors(first: $n) { totalCount } articles(first: 100) { nodes { actors { quotes(first: 100) { nodes { text } } } } } }';
    expect((await post({ query: heavy, variables: { n: 'x' } })).status).toBe(400);
    const refused = await post({ query: heavy, variables: { n: 0 } });
    expect(firstError(refused.json)?.message).toMatch(/^Query cost \d+ exceeds the limit of 250000/);
  });

  it('counts a list only when @include lets it through', async () => {
    const query =
      'query ($deep: Boolean!) { actors(first: 100) { nodes { name quotes(first: 100) @include(if: $deep) { nodes { article { actors { name } } } } } } }';
    expect((await post({ query, variables: { deep: false } })).status).toBe(200);
    expect((await post({ query, variables: { deep: true } })).status).toBe(400);
    expect((await post({ query, variables: { deep: false } })).status).toBe(200);
  });

  it('lets an ordinary nested page through', async () => {
    const { status } = await post({
      query: '{ articles(first: 20) { nodes { title quotes { text speaker { name } } positions { stance topic { name } } } } }',
    });
    expect(status).toBe(200);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: DEFAULT_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: topics { totalCount }`).join(' ');
    const { status, json } = await post({ query: `{ ${aliases} }` });
    expect(status).toBe(400);
    expect(firstError(json)).toMatchObject({
      message: `Aliases limit of ${DEFAULT_LIMITS.maxAliases} (MAX_ALIASES) exceeded: the query has ${DEFAULT_LIMITS.maxAliases + 1} aliases`,
      extensions: { code: 'ALIAS_LIMIT_EXCEEDED' },
    });
  });

  it('refuses a document with too many tokens with 400, naming the limit', async () => {
    const fields = Array.from({ length: DEFAULT_LIMITS.maxTokens }, () => '__typename').join(' ');
    const { status, json } = await post({ query: `{ ${fields} }` });
    expect(status).toBe(400);
    expect(firstError(json)).toMatchObject({
      message: `Token limit of ${DEFAULT_LIMITS.maxTokens} (MAX_TOKENS) exceeded: the document is longer than the server parses`,
      extensions: { code: 'TOKEN_LIMIT_EXCEEDED' },
    });
  });

  it('answers a syntax error with 400, not 500', async () => {
    const { status, json } = await post({ query: '{ actors { nodes { name }' });
    expect(status).toBe(400);
    expect(firstError(json)?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('accepts a 1 MB article body and refuses a bigger one with a clear message', async () => {
    const mutation = 'mutation ($i: AddArticleInput!) { addArticle(input: $i) { article { slug } } }';
    const accepted = await post({ query: mutation, variables: { i: { title: 'Long read', body: 'word '.repeat(200_000) } } });
    expect(accepted.json).toEqual({ data: { addArticle: { article: { slug: 'long-read' } } } });
    const refused = await post({ query: mutation, variables: { i: { title: 'Too long', body: 'x'.repeat(1_000_001) } } });
    expect(firstError(refused.json)?.message).toBe('input.body is 1000001 characters long; the limit is 1000000');
  });

  it('refuses a request body over the byte limit with 413', async () => {
    const { status, json } = await post({ query: '{ __typename }', variables: { pad: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes) } });
    expect(status).toBe(413);
    expect(firstError(json)?.message).toBe(`Request body is larger than ${DEFAULT_LIMITS.maxBodyBytes} bytes`);
  });

  it('runs a batch of operations up to the limit and refuses a longer one', async () => {
    const batch = (n: number) => Array.from({ length: n }, () => ({ query: '{ topics { totalCount } }' }));
    const ok = await post(batch(DEFAULT_LIMITS.maxBatchSize));
    expect(ok.status).toBe(200);
    expect(ok.json).toHaveLength(DEFAULT_LIMITS.maxBatchSize);
    const refused = await post(batch(DEFAULT_LIMITS.maxBatchSize + 1));
    expect(refused.status).toBe(400);
    expect(firstError(refused.json)?.message).toBe(
      `A batched request may hold at most ${DEFAULT_LIMITS.maxBatchSize} operations; this one holds ${DEFAULT_LIMITS.maxBatchSize + 1}`,
    );
  });

  it('suggests field names by default', async () => {
    const response = await server.gql('{ actorz { totalCount } }');
    expect(response.errors?.[0]?.message).toBe('Cannot query field "actorz" on type "Query". Did you mean "actor" or "actors"?');
  });
});

describe('in production', () => {
  let production: TestServer;
  beforeAll(async () => {
    production = await startTestServer({ seed: false, server: { hideSchemaDetails: true, limits: { maxDepth: 3 } } });
  });
  afterAll(async () => {
    await production.close();
  });

  it('hides "did you mean" hints about the schema', async () => {
    const { json } = await post({ query: '{ actorz { totalCount } }' }, production.url);
    expect(firstError(json)?.message).toBe('Cannot query field "actorz" on type "Query".');
  });

  it('applies configured limits', async () => {
    const { status } = await post({ query: '{ actors { nodes { affiliation { name } } } }' }, production.url);
    expect(status).toBe(400);
    const shallow = await post({ query: '{ actors { nodes { name } } }' }, production.url);
    expect(dataOf({ status: shallow.status, ...(shallow.json as object) })).toEqual({ actors: { nodes: [] } });
  });
});
