import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dataOf, freshDatabaseFile, startTestServer, type TestServer } from './support/harness.js';

const run = promisify(execFile);

let server: TestServer;
let client: Client;
beforeAll(async () => {
  server = await startTestServer();
  client = wsClient(server);
});
afterAll(async () => {
  await client.dispose();
  await server.close();
});

function wsClient(target: TestServer, connectionParams?: Record<string, unknown>): Client {
  return createClient({ url: target.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

/**
 * A subscription that collects what it receives. `started` resolves once the server listens for it
 * (the subscriber count grows), so a write after it cannot race the subscription.
 */
function subscribe(on: Client, query: string, variables: Record<string, unknown> = {}) {
  const received: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
  const errors: unknown[] = [];
  const waiting: (() => void)[] = [];
  const before = server.live.subscriberCount;
  const stop = on.subscribe<Record<string, unknown>>(
    { query, variables },
    {
      next: (value) => {
        received.push(value);
        for (const wake of waiting.splice(0)) wake();
      },
      error: (error) => {
        errors.push(error);
        for (const wake of waiting.splice(0)) wake();
      },
      complete: () => {},
    },
  );
  return {
    received,
    errors,
    stop,
    started: () => until(() => server.live.subscriberCount > before),
    /** Resolves once `count` results (or an error) have arrived. */
    async results(count: number) {
      while (received.length < count && errors.length === 0) await new Promise<void>((resolve) => waiting.push(resolve));
      return received;
    },
    /** The errors it ended with: refused before it ran (an error message) or when it started (a result with errors). */
    async failure() {
      while (errors.length === 0 && received.length === 0) await new Promise<void>((resolve) => waiting.push(resolve));
      return errors[0] ?? received[0]?.errors;
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

const ADD = `mutation ($input: AddArticleInput!) { addArticle(input: $input) { created article { slug } } }`;
const harbour = (n: number, speaker: boolean) => ({
  title: `Harbour bulletin ${n}`,
  body: `Harbour master Ines Moreau said \u201Cberth ${n} is open\u201D. The pier stays shut.`,
  topics: [speaker ? 'Port of Halden' : 'Pier works'],
  ...(speaker
    ? {
        actors: [{ name: 'Ines Moreau', kind: 'PERSON', aliases: ['Harbour master Ines Moreau'] }],
        quotes: [{ text: `berth ${n} is open`, speaker: 'Ines Moreau', kind: 'PARTIAL' }],
      }
    : {}),
});

describe('live updates over graphql-ws', () => {
  it('sends an article added by a mutation to a subscriber, and a filtered one only what it asked for', async () => {
    // Moreau must exist for the filter to name her.
    dataOf(await server.gql(ADD, { input: harbour(1, true) }));
    const all = subscribe(client, 'subscription { articleAdded { slug title } }');
    await all.started();
    const moreau = subscribe(client, 'subscription ($actor: String) { articleAdded(filter: { actor: $actor }) { slug } }', {
      actor: 'Harbour master Ines Moreau',
    });
    await moreau.started();
    const quotes = subscribe(
      client,
      'subscription { quoteAdded(filter: { topic: "Port of Halden" }) { text speaker { name } article { slug } } }',
    );
    await quotes.started();

    dataOf(await server.gql(ADD, { input: harbour(2, false) }));
    dataOf(await server.gql(ADD, { input: harbour(3, true) }));
    // The same input again is not news.
    expect(dataOf(await server.gql(ADD, { input: harbour(3, true) }))).toEqual({
      addArticle: { created: false, article: { slug: 'harbour-bulletin-3' } },
    });
    dataOf(await server.gql(ADD, { input: harbour(4, false) }));

    // A matching article last: each subscription delivers in order, so what a filtered one got
    // before it is everything it will ever get from the articles before it.
    dataOf(await server.gql(ADD, { input: harbour(5, true) }));

    expect(await all.results(4)).toEqual(
      [2, 3, 4, 5].map((n) => ({ data: { articleAdded: { slug: `harbour-bulletin-${n}`, title: `Harbour bulletin ${n}` } } })),
    );
    expect(await moreau.results(2)).toEqual([3, 5].map((n) => ({ data: { articleAdded: { slug: `harbour-bulletin-${n}` } } })));
    expect(await quotes.results(2)).toEqual(
      [3, 5].map((n) => ({
        data: { quoteAdded: { text: `berth ${n} is open`, speaker: { name: 'Ines Moreau' }, article: { slug: `harbour-bulletin-${n}` } } },
      })),
    );
    for (const s of [all, moreau, quotes]) s.stop();
    await until(() => server.live.subscriberCount === 0);
  });

  it('sends a quote added to a stored article with addQuote', async () => {
    const article = await server.db.article.findUniqueOrThrow({ where: { slug: 'harbour-bulletin-3' } });
    const bySpeaker = subscribe(client, 'subscription { quoteAdded(filter: { actor: "Ines Moreau" }) { text } }');
    await bySpeaker.started();
    const { addQuote } = dataOf(
      await server.gql<{ addQuote: { quote: { text: string } } }>(
        'mutation ($article: ID!) { addQuote(input: { article: $article, text: "The pier stays shut.", speaker: "Ines Moreau", kind: INDIRECT }) { quote { text } } }',
        { article: Buffer.from(`Article:${article.id}`).toString('base64url') },
      ),
    );
    expect(addQuote.quote.text).toBe('The pier stays shut.');
    expect(await bySpeaker.results(1)).toEqual([{ data: { quoteAdded: { text: 'The pier stays shut.' } } }]);
    bySpeaker.stop();
  });

  it.each([
    [
      'an actor',
      'subscription { articleAdded(filter: { actor: "Nobody Here" }) { slug } }',
      'filter.actor "Nobody Here" is not a known actor; add it with upsertActor first',
    ],
    [
      'a topic',
      'subscription { quoteAdded(filter: { topic: "Moon landing" }) { text } }',
      'filter.topic "Moon landing" is not a known topic',
    ],
  ])('refuses a filter naming %s that does not exist', async (_case, query, message) => {
    const failing = subscribe(client, query);
    expect(await failing.failure()).toEqual([
      expect.objectContaining({ message, extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) as unknown }),
    ]);
  });

  it.each([
    [
      'depth',
      `subscription { articleAdded { actors { affiliation { affiliation { affiliation { affiliation { affiliation { affiliation { affiliation { affiliation { name } } } } } } } } } } }`,
      'DEPTH_LIMIT_EXCEEDED',
    ],
    [
      'cost',
      'subscription { articleAdded { actors { quotes(first: 100) { nodes { article { actors { quotes(first: 100) { nodes { text } } } } } } } } }',
      'COST_LIMIT_EXCEEDED',
    ],
  ])('holds an operation to the %s limit as over HTTP', async (_case, query, code) => {
    const refused = subscribe(client, query);
    const errors = (await refused.failure()) as { message: string; extensions?: { code?: string } }[];
    expect(errors.map((e) => e.extensions?.code)).toEqual([code]);
  });

  it('refuses a subscription sent over HTTP, saying where subscriptions are served', async () => {
    const res = await server.gql('subscription { articleAdded { slug } }');
    expect([res.status, res.errors?.[0]?.extensions?.code, res.errors?.[0]?.message]).toEqual([
      400,
      'BAD_REQUEST',
      'Subscriptions are served over WebSocket (graphql-ws, protocol graphql-transport-ws) at this same URL, not over HTTP',
    ]);
  });
});

describe('live updates of writes another process makes', () => {
  const tide = (n: number, said: string) => ({
    title: `Tide report ${n}`,
    slug: `tide-report-${n}`,
    body: `Harbour master Ines Moreau said \u201C${said}\u201D at dawn.`,
    actors: [{ name: 'Ines Moreau', kind: 'PERSON', aliases: ['Harbour master Ines Moreau'] }],
    quotes: [{ text: said, speaker: 'Ines Moreau', kind: 'PARTIAL' }],
  });
  const importInAnotherProcess = async (lines: object[]) => {
    const database = freshDatabaseFile();
    try {
      const file = path.join(path.dirname(database.file), 'tides.jsonl');
      writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n'));
      await run(process.execPath, ['--import', 'tsx', 'src/import.ts', file], {
        env: { ...process.env, DATABASE_URL: server.databaseUrl },
      });
    } finally {
      database.remove();
    }
  };

  it('announces what `npm run import` stores, and the quotes it stores anew on an article it replaces', async () => {
    const articles = subscribe(client, 'subscription { articleAdded { slug } }');
    await articles.started();
    const quotes = subscribe(client, 'subscription { quoteAdded(filter: { actor: "Ines Moreau" }) { text article { slug } } }');
    await quotes.started();
    await importInAnotherProcess([tide(1, 'the tide turns at six'), tide(2, 'the tide is high')]);
    expect(await articles.results(2)).toEqual([1, 2].map((n) => ({ data: { articleAdded: { slug: `tide-report-${n}` } } })));
    // The same slug with another annotation replaces the article: not news of an article, but its
    // quotes are stored anew (none the first time, one the second).
    await importInAnotherProcess([{ ...tide(1, 'the tide turns at six'), quotes: [] }]);
    await importInAnotherProcess([{ ...tide(1, 'the tide turns at six'), source: 'Harbour Office' }]);
    expect(await quotes.results(3)).toEqual(
      [
        ['the tide turns at six', 1],
        ['the tide is high', 2],
        ['the tide turns at six', 1],
      ].map(([text, n]) => ({ data: { quoteAdded: { text, article: { slug: `tide-report-${n}` } } } })),
    );
    expect(articles.received).toHaveLength(2);
    articles.stop();
    quotes.stop();
  }, 120_000);
});

describe('live updates on a server with a write token', () => {
  it('lets anyone subscribe, but a mutation over the socket needs the token', async () => {
    const guarded = await startTestServer({ server: { writeToken: 'secret' } });
    const anonymous = wsClient(guarded);
    const writer = wsClient(guarded, { authorization: 'Bearer secret' });
    try {
      const mutation = 'mutation { upsertActor(input: { name: "Wang Yi", kind: PERSON }) { created } }';
      const refused = await anonymous
        .iterate({ query: mutation })
        .next()
        .catch((error: unknown) => error);
      expect(refused).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) as unknown })]);
      expect(await guarded.db.actor.count({ where: { nameKey: 'wang yi' } })).toBe(0);
      const allowed = await writer.iterate({ query: mutation }).next();
      expect(allowed.value).toEqual({ data: { upsertActor: { created: true } } });
      const read = await anonymous.iterate({ query: '{ actor(name: "Wang Yi") { name } }' }).next();
      expect(read.value).toEqual({ data: { actor: { name: 'Wang Yi' } } });
    } finally {
      await anonymous.dispose();
      await writer.dispose();
      await guarded.close();
    }
  });
});
