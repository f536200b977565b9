import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestServer, type TestServer, VERSION_CHECK } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  // A small response limit so the seed article's body (about 4,000 characters) can cross it.
  server = await startTestServer({
    server: { limits: { maxResponseBytes: 20_000 }, responseCacheEntries: 100, responseCacheBytes: 64_000 },
  });
});
afterAll(async () => {
  await server.close();
});

async function post(
  body: unknown,
  raw?: string,
): Promise<{ status: number; json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as never };
}

/** `...F{levels}` where F0 is `{ __typename }` and each next fragment spreads the one before ten times. */
function fragmentBomb(levels: number): string {
  const fragments = ['fragment F0 on Query { __typename }'];
  for (let level = 1; level <= levels; level += 1) {
    fragments.push(`fragment F${level} on Query { ${Array.from({ length: 10 }, () => `...F${level - 1}`).join(' ')} }`);
  }
  return `{ ...F${levels} } ${fragments.join(' ')}`;
}

describe('hostile requests', () => {
  it('refuses a query whose cost cannot be worked out, instead of running it', async () => {
    server.statements.length = 0;
    const { status, json } = await post({ query: fragmentBomb(4) });
    expect(status).toBe(400);
    expect(json.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    expect(json.errors?.[0]?.message).toMatch(/^Query cost cannot be worked out/);
    expect(json.data).toBeUndefined();
    expect(server.statements).toEqual([]);
  });

  it('still runs a small fragment tree', async () => {
    const { status, json } = await post({ query: fragmentBomb(2) });
    expect(status).toBe(200);
    expect(json.data).toEqual({ __typename: 'Query' });
  });

  it('weighs an article body above a name', async () => {
    // 15 aliases x 100 articles: titles pass, bodies (200 each) cross the cost limit of 250,000.
    const aliases = (field: string) => Array.from({ length: 15 }, (_, i) => `a${i}: articles(first: 100) { nodes { ${field} } }`).join(' ');
    const titles = await post({ query: `{ ${aliases('title')} }` });
    expect(titles.json.errors).toBeUndefined();
    expect(titles.status).toBe(200);
    const refused = await post({ query: `{ ${aliases('body')} }` });
    expect(refused.status).toBe(400);
    expect(refused.json.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
  });

  it('fails a response that would carry more article text than the limit, at the body that crosses it', async () => {
    const one = await post({ query: '{ articles(first: 1) { nodes { body } } }' });
    expect(one.status).toBe(200);
    const body = (one.json.data as { articles: { nodes: { body: string }[] } }).articles.nodes[0]?.body ?? '';
    expect(body.length).toBeGreaterThan(2_000);
    const copies = Math.ceil(20_000 / body.length) + 1;
    const query = `{ ${Array.from({ length: copies }, (_, i) => `a${i}: articles(first: 1) { nodes { body } }`).join(' ')} }`;
    const { json } = await post({ query });
    expect(json.errors?.map((e) => e.extensions?.code)).toContain('RESPONSE_TOO_LARGE');
    expect(json.errors?.[0]?.message).toMatch(/exceed the limit of 20000 bytes/);
  });

  it('counts the bytes of a body as sent, not its characters', async () => {
    // 6,000 characters of Chinese are 18,000 bytes of UTF-8: two copies fit the limit of 20,000 in
    // characters but not in bytes, so the second body crosses it where it resolves.
    const body = '中国外交部表示支持和平谈判。'.repeat(430).slice(0, 6_000);
    const added = await server.gql<{ addArticle: { article: { slug: string } } }>(
      'mutation ($body: String!) { addArticle(input: { title: "Wide characters", body: $body }) { article { slug } } }',
      { body },
    );
    const slug = dataOf(added).addArticle.article.slug;
    const { status, json } = await post({ query: `{ a: article(slug: "${slug}") { body } b: article(slug: "${slug}") { body } }` });
    expect(status).toBe(200);
    expect(json.errors?.map((error) => error.extensions?.code)).toEqual(['RESPONSE_TOO_LARGE']);
    expect((json.errors?.[0] as { path?: unknown }).path).toEqual(['b', 'body']);
  });

  it('refuses an answer larger than the limit even without article bodies', async () => {
    const query = `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: quotes(first: 100) { nodes { text speaker { name aliases description } } }`).join(' ')} }`;
    const { status, json } = await post({ query });
    expect(status).toBe(400);
    expect(json.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE');
  });

  it('answers several operations without operationName with a 400 that says what to do', async () => {
    const several = await post({ query: 'query A { __typename } query B { __typename }' });
    expect(several.status).toBe(400);
    expect(several.json.errors?.[0]).toMatchObject({
      message: 'The document holds several operations: operationName must say which one to run',
      extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
    });
    const unknown = await post({ query: 'query A { __typename }', operationName: 'B' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors?.[0]?.message).toMatch(/^Unknown operation named "B"/);
  });

  it('refuses variables nested thousands deep with a 400 rather than overflowing the stack', async () => {
    // Written out by hand: JSON.stringify itself overflows on a value this deep.
    const deep = `${'{"a":'.repeat(5_000)}"x"${'}'.repeat(5_000)}`;
    const query = JSON.stringify('query ($q: String!) { search(query: $q) { __typename } }');
    const { status, json } = await post(undefined, `{"query":${query},"variables":{"q":${deep}}}`);
    expect(status).toBe(400);
    expect(json.errors?.[0]?.message).toMatch(/^Request body nests deeper than 64 levels/);
  });

  it('keeps no cache entry for a query with large variables', async () => {
    const query = 'query ($source: String!) { articles(filter: { source: $source }) { totalCount } }';
    const large = `Wire ${'x'.repeat(8_000)}`;
    for (const source of ['Wire', large]) {
      dataOf(await server.gql(query, { source }));
      server.statements.length = 0;
      dataOf(await server.gql(query, { source }));
      // A cached answer runs no statement; one that is not kept runs its count again.
      const reads = server.statements.filter((sql) => sql !== VERSION_CHECK[server.storage.dialect]);
      if (source === 'Wire') expect(reads).toEqual([]);
      else expect(reads.length).toBeGreaterThan(0);
    }
  });
});

describe('shutdown with a slow client', () => {
  it('closes a connection whose body never finishes once the grace period is over', async () => {
    const slow = await startTestServer({ seed: false, server: { shutdownGraceMs: 300 } });
    const { hostname, port } = new URL(slow.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":');
    await slow.close();
    await socketClosed;
    expect(socket.destroyed).toBe(true);
  });
});

describe('connection timeouts', () => {
  /** Opens a socket, collects what the server sends, and resolves `closed` with it when the server closes. */
  async function open(url: string) {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
    return { socket, closed };
  }

  /** Writes `piece` every 50 ms until the socket closes, so no idle timeout can be what closes it. */
  function trickle(socket: Socket, piece: string): void {
    const timer = setInterval(() => (socket.writable ? socket.write(piece) : clearInterval(timer)), 50);
    socket.once('close', () => clearInterval(timer));
  }

  let strict: TestServer;
  let idle: TestServer;
  beforeAll(async () => {
    strict = await startTestServer({
      seed: false,
      server: { timeouts: { headersMs: 300, requestMs: 800, keepAliveMs: 200, idleSocketMs: 60_000 } },
    });
    idle = await startTestServer({ seed: false, server: { timeouts: { headersMs: 60_000, requestMs: 60_000, idleSocketMs: 300 } } });
  });
  afterAll(async () => {
    await strict.close();
    await idle.close();
  });

  it('answers headers that never end with 408 and closes the connection', async () => {
    const { socket, closed } = await open(strict.url);
    socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
    trickle(socket, 'X-Slow: y\r\n');
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers a body that trickles in for longer than the request timeout with 408', async () => {
    const { socket, closed } = await open(strict.url);
    socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"query":"');
    trickle(socket, ' ');
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a kept-alive connection that sends no next request', async () => {
    const { socket, closed } = await open(strict.url);
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    // Closed by the keep-alive timeout (Node adds a second to it), long before the idle timeout.
    expect(await closed).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('closes a socket that sends nothing at all', async () => {
    const { closed } = await open(idle.url);
    expect(await closed).toBe('');
  });
});
