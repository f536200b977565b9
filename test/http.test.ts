import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('the HTTP endpoint', () => {
  it('answers GET queries', async () => {
    const response = await fetch(`${server.url}?query=${encodeURIComponent('{ topics { totalCount } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { topics: { totalCount: 5 } } });
  });

  it('refuses a malformed JSON body with 400 and a clear message', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ topics',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('refuses a syntax error with 400', async () => {
    const response = await server.gql('{ topics { totalCount }');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('blocks a simple cross-site form POST (CSRF prevention)', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"{ topics { totalCount } }"}',
    });
    expect(response.status).toBe(400);
  });

  it('serves a liveness probe at /health, readiness at /ready and 404 elsewhere', async () => {
    const base = server.url.replace('/graphql', '');
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('is not ready while a migration is pending', async () => {
    const base = server.url.replace('/graphql', '');
    const [last] = await server.storage.writer.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1',
    );
    await server.storage.writer.$executeRawUnsafe(
      `UPDATE _prisma_migrations SET rolled_back_at = CURRENT_TIMESTAMP WHERE migration_name = '${last?.migration_name}'`,
    );
    try {
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not ready', reason: 'migrations pending', pending: [last?.migration_name] });
    } finally {
      await server.storage.writer.$executeRawUnsafe(
        `UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = '${last?.migration_name}'`,
      );
    }
  });

  it('keeps introspection on by default', async () => {
    const response = await server.gql<{ __schema: { queryType: { name: string } } }>('{ __schema { queryType { name } } }');
    expect(response.data?.__schema.queryType.name).toBe('Query');
  });
});

describe('an unexpected failure', () => {
  it('reaches the client masked, with a request id, and never the database message', async () => {
    const lines: string[] = [];
    const failing = await startTestServer({
      seed: false,
      server: { logger: createLogger('error', { write: (line: string) => void lines.push(line) }) },
    });
    try {
      await failing.storage.writer.$executeRawUnsafe('ALTER TABLE "Topic" RENAME TO "TopicGone"');
      const response = await fetch(failing.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ topics { totalCount } }' }),
      });
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string; requestId: string } }[] };
      const [error] = body.errors;
      expect(error?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.message).toBe(`Internal server error (request id ${error?.extensions.requestId})`);
      expect(JSON.stringify(body)).not.toMatch(/TopicGone|SQLITE|no such table|does not exist|main\./i);
      expect(response.headers.get('x-request-id')).toBe(error?.extensions.requestId);
      expect(
        lines.some(
          (line) => line.includes(error?.extensions.requestId ?? '?') && /no such table|relation \W*Topic\W* does not exist/.test(line),
        ),
      ).toBe(true);
    } finally {
      await failing.close();
    }
  });

  it('can turn introspection off', async () => {
    const closed = await startTestServer({ seed: false, server: { introspection: false } });
    try {
      const response = await closed.gql('{ __schema { queryType { name } } }');
      expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    } finally {
      await closed.close();
    }
  });
});
