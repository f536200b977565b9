import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openDatabase, type Storage } from '../../src/db.js';
import { freshDatabase } from '../support/harness.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';

// Three server processes on one PostgreSQL database, as a newsroom runs them behind a load balancer.

const ADD_ARTICLE = 'mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { slug } } }';

interface Answer {
  data?: { addArticle?: { article: { slug: string } } | null; articles?: { totalCount: number } } | null;
  errors?: unknown[];
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

const article = (n: number, speaker: string) => ({
  title: `Ferry strike day ${n}`,
  slug: `ferry-strike-${n}`,
  body: `${speaker} said \u201Cthe ferries stay in port ${n}\u201D on Monday.`,
  actors: [{ name: speaker, kind: 'PERSON' }],
  quotes: [{ text: `the ferries stay in port ${n}`, speaker, kind: 'DIRECT' }],
});

let database: Awaited<ReturnType<typeof freshDatabase>>;
let servers: ServerProcess[];
let storage: Storage;

beforeAll(async () => {
  database = await freshDatabase();
  servers = await Promise.all([0, 1, 2].map(() => startServerProcess({ DATABASE_URL: database.url })));
  storage = await openDatabase(database.url);
}, 120_000);

afterAll(async () => {
  const running = servers.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  const exited = running.map(({ child }) => new Promise((resolve) => child.once('exit', resolve)));
  for (const { child } of running) child.kill('SIGTERM');
  await Promise.all(exited);
  await storage.close();
  await database.remove();
});

const COUNT = '{ articles { totalCount } }';

describe('several servers on one PostgreSQL database', () => {
  it('each reports the database ready at /ready', async () => {
    for (const { url } of servers) {
      const ready = await fetch(url.replace('/graphql', '/ready'));
      expect(await ready.json()).toEqual({ status: 'ready' });
    }
  });

  it('read a write made through one of them at once, though each had the old answer cached', async () => {
    const before = await Promise.all(servers.map(({ url }) => post(url, COUNT)));
    const counts = before.map((answer) => answer.data?.articles?.totalCount);
    expect(new Set(counts).size).toBe(1);
    const [first, ...others] = servers;
    const written = await post(first?.url ?? '', ADD_ARTICLE, { input: article(0, 'Maren Holt') });
    expect(written.errors).toBeUndefined();
    for (const { url } of others) expect((await post(url, COUNT)).data?.articles?.totalCount).toBe((counts[0] ?? 0) + 1);
  });

  it('tell a subscriber on one of them of an article added through another, and of a quote added through a third', async () => {
    const [first, second, third] = servers;
    if (!first || !second || !third) throw new Error('three servers expected');
    const client = createClient({ url: second.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    /** What a subscription on the second server receives, each event's one field as text. */
    const listen = (query: string, field: (data: Record<string, unknown>) => string) => {
      const events: string[] = [];
      client.subscribe<Record<string, unknown>>(
        { query },
        {
          next: ({ data }) => void (data && events.push(field(data))),
          error: (error) => events.push(`error: ${String(error)}`),
          complete: () => {},
        },
      );
      return events;
    };
    /** Writes until the subscription has received something: it is live on the second server from then on. */
    const writeUntilHeard = async (events: string[], write: (n: number) => Promise<Answer>) => {
      for (let n = 0; events.length === 0; n += 1) {
        expect(n).toBeLessThan(100);
        expect((await write(n)).errors).toBeUndefined();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const waitFor = async (events: string[], last: string) => {
      for (let i = 0; i < 500 && events.at(-1) !== last; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    try {
      const articles = listen('subscription { articleAdded(filter: { actor: "Maren Holt" }) { slug } }', (data) =>
        String((data.articleAdded as { slug: string }).slug),
      );
      await writeUntilHeard(articles, (n) => post(first.url, ADD_ARTICLE, { input: article(300 + n, 'Maren Holt') }));
      expect(articles[0]).toMatch(/^ferry-strike-3\d\d$/);
      expect((await post(first.url, ADD_ARTICLE, { input: article(400, 'Maren Holt') })).errors).toBeUndefined();
      await waitFor(articles, 'ferry-strike-400');
      // Every article written through the first server since the subscription started, in order.
      const from = Number(articles[0]?.slice('ferry-strike-'.length));
      const upTo = Number(articles.at(-2)?.slice('ferry-strike-'.length) ?? from);
      expect(articles).toEqual([...Array.from({ length: upTo - from + 1 }, (_, i) => `ferry-strike-${from + i}`), 'ferry-strike-400']);

      const quotes = listen('subscription { quoteAdded(filter: { actor: "Maren Holt" }) { text } }', (data) =>
        String((data.quoteAdded as { text: string }).text),
      );
      const target = (await post(third.url, '{ article(slug: "ferry-strike-400") { id } }')).data as { article?: { id: string } } | null;
      const addQuote =
        'mutation ($article: ID!, $text: String!) { addQuote(input: { article: $article, text: $text, speaker: "Maren Holt", kind: INDIRECT }) { quote { text } } }';
      await writeUntilHeard(quotes, (n) =>
        post(third.url, addQuote, { article: target?.article?.id, text: `Holt said talks go on, ${n}.` }),
      );
      expect(quotes[0]).toMatch(/^Holt said talks go on, \d+\.$/);
    } finally {
      await client.dispose();
    }
  }, 120_000);

  it('take 200 concurrent articles naming the same new actor: no error, one actor, every article', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => post(servers[i % 3]?.url ?? '', ADD_ARTICLE, { input: article(100 + i, 'Ingrid Solberg') })),
    );
    expect(answers.filter((answer) => answer.errors !== undefined)).toEqual([]);
    expect(await storage.writer.actor.count({ where: { name: 'Ingrid Solberg' } })).toBe(1);
    const slugs = answers.map((answer) => answer.data?.addArticle?.article.slug);
    expect(new Set(slugs).size).toBe(200);
    expect(await storage.writer.article.count({ where: { slug: { in: slugs.filter((s): s is string => s !== undefined) } } })).toBe(200);
  }, 120_000);

  it('lose no acknowledged write when one is killed with SIGKILL in the middle of a burst', async () => {
    const victim = servers[2];
    if (!victim) throw new Error('no third server');
    const acknowledged: string[] = [];
    const burst = Array.from({ length: 60 }, async (_, i) => {
      const answer = await post(victim.url, ADD_ARTICLE, { input: article(1000 + i, 'Tove Lunde') }).catch(() => null);
      const slug = answer?.data?.addArticle?.article.slug;
      if (slug) acknowledged.push(slug);
      if (acknowledged.length === 10) victim.child.kill('SIGKILL');
    });
    await Promise.all(burst);
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);
    expect(await storage.writer.article.count({ where: { slug: { in: acknowledged } } })).toBe(acknowledged.length);
    // The others carry on.
    expect((await post(servers[0]?.url ?? '', ADD_ARTICLE, { input: article(2000, 'Tove Lunde') })).errors).toBeUndefined();
  }, 120_000);
});
