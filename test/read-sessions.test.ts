import Database from 'better-sqlite3';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createContext, finishRequest } from '../src/context.js';
import { databaseFile } from '../src/database-file.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

// Reads that start after a request's answer is ready (a resolver still running when an error
// elsewhere nulled the answer, or a field of a subscription event after the event was sent) run
// outside any snapshot, each on its own, and leave no snapshot, and no connection, held.

let server: TestServer;
let client: Client;
beforeAll(async () => {
  // graphql-js rather than the compiled execution, which waits for every resolver before it
  // answers: graphql-js answers as soon as an error reaches the root, and the resolvers still running
  // go on reading after the response. Subscription events run on graphql-js either way. A small
  // response limit lets an article's body end an event's answer early.
  server = await startTestServer({ server: { compiledExecution: false, limits: { maxResponseBytes: 2_000 } } });
  client = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
});
afterAll(async () => {
  await client.dispose();
  await server.close();
});

/**
 * Whether a read snapshot is still open on the database. On PostgreSQL an open snapshot is a session
 * idle in a transaction. On SQLite it is a read transaction, which keeps a checkpoint from emptying
 * the write-ahead log once anything has been written after it began: so something is written first.
 */
async function snapshotHeld(): Promise<boolean> {
  if (server.storage.dialect === 'postgresql') {
    const admin = new pg.Client(server.databaseUrl);
    await admin.connect();
    try {
      const { rows } = await admin.query<{ held: number }>(
        `SELECT count(*)::int AS held FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`,
      );
      return (rows[0]?.held ?? 0) > 0;
    } finally {
      await admin.end();
    }
  }
  await server.db.topic.upsert({
    where: { slug: 'checkpoint-probe' },
    create: { name: 'Checkpoint probe', slug: 'checkpoint-probe' },
    update: {},
  });
  const sqlite = new Database(databaseFile(server.databaseUrl));
  try {
    const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return result?.busy !== 0;
  } finally {
    sqlite.close();
  }
}

/** Waits until the server has run no statement for 200 ms: the late reads are over. */
async function quiet(): Promise<void> {
  let seen = -1;
  while (seen !== server.statements.length) {
    seen = server.statements.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// The actors' quotes are read only once the actor list has come back, which is after the answer:
// `articles(first: -1)` is refused at once, and its error nulls the whole answer.
const LATE =
  '{ actors(first: 20) { nodes { name quotes(first: 3) { nodes { text article { title } } } } } articles(first: -1) { totalCount } }';

describe('reads after the response', () => {
  it('run outside any snapshot: each sees what has committed by then', async () => {
    const context = createContext(server.storage);
    finishRequest(context);
    const title = async () => (await context.loaders.reads.topics.bySlug('chinas-neutrality'))?.name;
    expect(await title()).toBe("China's neutrality");
    await server.db.topic.update({ where: { slug: 'chinas-neutrality' }, data: { name: 'Neutrality of China' } });
    expect(await title()).toBe('Neutrality of China');
    await server.db.topic.update({ where: { slug: 'chinas-neutrality' }, data: { name: "China's neutrality" } });
  });

  it('hold no snapshot and no connection, however many requests read late', async () => {
    await quiet();
    server.statements.length = 0;
    // More requests than the PostgreSQL read pool has connections (10): had each late read begun
    // a snapshot of its own that nothing ends, the pool would be empty and the last request would wait forever.
    for (let i = 0; i < 15; i += 1) {
      const answer = await server.gql(LATE);
      expect(answer.data).toBeNull();
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
    await quiet();
    // The quotes were read, each request's after its answer.
    expect(server.statements.filter((sql) => sql.includes('"Quote" q')).length).toBe(15);
    expect(await snapshotHeld()).toBe(false);
    expect(dataOf(await server.gql<{ topics: { totalCount: number } }>('{ topics { totalCount } }')).topics.totalCount).toBeGreaterThan(0);
  });
});

describe('a subscription', () => {
  const ADD = `mutation ($input: AddArticleInput!) { addArticle(input: $input) { created } }`;
  const article = (n: number, filler: number) => ({
    title: `Dock report ${n}`,
    body: `Dock chief Ada Lund said \u201Cberth ${n} reopens\u201D. ${'The cranes are idle. '.repeat(filler)}`,
    actors: [{ name: 'Ada Lund', kind: 'PERSON' }],
    quotes: [{ text: `berth ${n} reopens`, speaker: 'Ada Lund', kind: 'PARTIAL' }],
  });

  it('answers each event from a snapshot and a response budget of its own, and holds neither after the event', async () => {
    const received: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
    const before = server.live.subscriberCount;
    // The body first: when it is too large, the answer is sent while the quotes' speakers are still to be read.
    const stop = client.subscribe<Record<string, unknown>>(
      { query: 'subscription { articleAdded { body quotes { text speaker { name } } } }' },
      { next: (value) => received.push(value), error: () => {}, complete: () => {} },
    );
    for (let i = 0; i < 500 && server.live.subscriberCount === before; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.live.subscriberCount).toBe(before + 1);

    // Over the 2,000-byte limit, then well within it: the second event has a budget of its own.
    dataOf(await server.gql(ADD, { input: article(1, 120) }));
    dataOf(await server.gql(ADD, { input: article(2, 1) }));
    for (let i = 0; i < 500 && received.length < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received[0]?.errors?.map((e) => e.extensions?.code)).toEqual(['RESPONSE_TOO_LARGE']);
    expect(received[1]).toEqual({
      data: {
        articleAdded: {
          body: article(2, 1).body,
          quotes: [{ text: 'berth 2 reopens', speaker: { name: 'Ada Lund' } }],
        },
      },
    });
    stop();
    await quiet();
    expect(await snapshotHeld()).toBe(false);
  });
});
