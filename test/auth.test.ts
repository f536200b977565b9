import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { assertWritesProtected, isLoopback, startHttpServer } from '../src/server.js';
import { startTestServer, type TestServer } from './support/harness.js';

const TOKEN = 's3cret-token-for-tests';
const ADD = JSON.stringify({ query: 'mutation { upsertActor(input: { name: "Ana Ruiz", kind: PERSON }) { actor { name } } }' });

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: false, server: { writeToken: TOKEN } });
});
afterAll(async () => {
  await server.close();
});

function post(body: string, authorization?: string) {
  return fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body,
  });
}

describe('with WRITE_TOKEN set', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer not-the-token'],
    ['a token of a different length', 'Bearer s3cret'],
    ['the token without the Bearer scheme', TOKEN],
    ['Basic credentials', `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`],
  ])('refuses a mutation with %s as UNAUTHENTICATED and writes nothing', async (_case, authorization) => {
    const response = await post(ADD, authorization);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Mutations need the header "Authorization: Bearer <WRITE_TOKEN>"', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(await server.db.actor.count()).toBe(0);
  });

  it('runs a mutation that carries the token', async () => {
    const response = await post(ADD, `Bearer ${TOKEN}`);
    expect(await response.json()).toEqual({ data: { upsertActor: { actor: { name: 'Ana Ruiz' } } } });
    expect(await server.db.actor.count()).toBe(1);
  });

  it('keeps queries public', async () => {
    const response = await post(JSON.stringify({ query: '{ actors { totalCount } }' }));
    expect(await response.json()).toEqual({ data: { actors: { totalCount: 1 } } });
  });
});

describe('without WRITE_TOKEN', () => {
  it.each([['127.0.0.1'], ['127.1.2.3'], ['localhost'], ['::1'], ['[::1]']])('allows writes on the loopback address %s', (host) => {
    expect(isLoopback(host)).toBe(true);
    expect(() => assertWritesProtected(host, null)).not.toThrow();
  });

  it.each([['0.0.0.0'], ['::'], ['192.168.1.10'], ['example.com']])('refuses to start on %s', async (host) => {
    expect(isLoopback(host)).toBe(false);
    await expect(startHttpServer({ storage: server.storage, logger: createLogger('silent'), port: 0, host })).rejects.toThrow(
      `Refusing to listen on ${host} without WRITE_TOKEN: anyone who can reach it could change the data. Set WRITE_TOKEN, or listen on 127.0.0.1.`,
    );
  });

  it('starts on a public address once a token is set', () => {
    expect(() => assertWritesProtected('0.0.0.0', TOKEN)).not.toThrow();
  });
});
