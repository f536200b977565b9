import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.js';

// The server's side of the web app: files from its build directory at /app, index.html for any
// other page under /app (deep links), and GraphQL where it was. A small build made here stands in
// for web/dist, so this spec does not depend on `npm run build`; test/web-app.test.ts runs the real one.

let directory: string;
let server: TestServer;
let missing: TestServer;
let origin: string;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'newsgraph-web-'));
  mkdirSync(path.join(directory, 'assets'));
  writeFileSync(path.join(directory, 'index.html'), '<!doctype html><title>newsgraph app</title>');
  writeFileSync(path.join(directory, 'assets', 'index-abc123.js'), 'console.log("app");');
  writeFileSync(path.join(tmpdir(), 'newsgraph-outside.txt'), 'content from outside the build');
  server = await startTestServer({ seed: false, server: { webAppDirectory: directory } });
  missing = await startTestServer({ seed: false, server: { webAppDirectory: path.join(directory, 'not-built') } });
  origin = new URL(server.url).origin;
});
afterAll(async () => {
  await server.close();
  await missing.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the web app at /app', () => {
  it.each(['/app', '/app/', '/app/articles/xi-zelensky-phone-call', '/app/actors/QWN0b3I6MQ%3D%3D', '/app/search?q=peace'])(
    'answers %s with the app page, so deep links and reloads open the app',
    async (route) => {
      const response = await fetch(origin + route);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe('<!doctype html><title>newsgraph app</title>');
    },
  );

  it('serves a built asset with its type, cached for good since its name holds its hash', async () => {
    const response = await fetch(`${origin}/app/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe('console.log("app");');
  });

  it('answers a missing asset with 404, not the page', async () => {
    const response = await fetch(`${origin}/app/assets/index-old.js`);
    expect(response.status).toBe(404);
  });

  it.each([
    '/app/%2e%2e/%2e%2e/newsgraph-outside.txt',
    '/app/..%2f..%2fnewsgraph-outside.txt',
    '/app/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fnewsgraph-outside.txt',
  ])('never serves a file outside the build: %s', async (route) => {
    const response = await fetch(origin + route);
    expect(await response.text()).not.toContain('content from outside the build');
  });

  it('refuses other methods than GET and HEAD', async () => {
    const response = await fetch(`${origin}/app/`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says how to build the app when it is not built, and GraphQL still answers', async () => {
    const response = await fetch(`${new URL(missing.url).origin}/app/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
    const graphql = await missing.gql<{ __typename: string }>('{ __typename }');
    expect(graphql.data).toEqual({ __typename: 'Query' });
  });

  it('keeps GraphQL at /graphql and names both places in a 404 elsewhere', async () => {
    expect((await server.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    const response = await fetch(`${origin}/nothing-here`);
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).toContain('the web app at /app');
  });
});
