import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticleText } from '../src/services/seeding.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

// The seed article, read over real HTTP from a freshly migrated and seeded database.
const { body } = parseArticleText(readFileSync(new URL('../seeds/xi-zelensky-phone-call.txt', import.meta.url), 'utf8'));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface NamedActor {
  id: string;
  name: string;
}

describe('the seed article', () => {
  it('is found by slug with its title, body and topics', async () => {
    const { article } = dataOf(
      await server.gql<{ article: { title: string; body: string; source: string | null; topics: { name: string }[] } }>(
        `{ article(slug: "xi-zelensky-phone-call") { title body source topics { name } } }`,
      ),
    );
    expect(article.title).toBe('Xi Jinping, Zelensky discuss peace negotiations in historic phone call');
    expect(article.body).toBe(body);
    expect(article.source).toBeNull();
    expect(article.topics.map((t) => t.name)).toEqual([
      "China's mediation in the war in Ukraine",
      "China's neutrality",
      'Peace negotiations on the war in Ukraine',
      "Russia's invasion of Ukraine",
      'Russia–China partnership',
    ]);
  });

  it('returns the full body from list queries, which load bodies only when asked', async () => {
    const { articles } = dataOf(await server.gql<{ articles: { nodes: { body: string }[] } }>(`{ articles { nodes { body } } }`));
    expect(articles.nodes).toEqual([{ body }]);
  });

  it('lists its quotes in order of appearance, with offsets that slice the body', async () => {
    const { article } = dataOf(
      await server.gql<{ article: { quotes: { text: string; kind: string; startOffset: number; endOffset: number }[] } }>(
        `{ article(slug: "xi-zelensky-phone-call") { quotes { text kind startOffset endOffset } } }`,
      ),
    );
    expect(article.quotes).toHaveLength(16);
    const starts = article.quotes.map((q) => q.startOffset);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const quote of article.quotes) expect(body.slice(quote.startOffset, quote.endOffset)).toBe(quote.text);
    expect(article.quotes.slice(0, 2).map((q) => q.kind)).toEqual(['INDIRECT', 'DIRECT']);
  });

  it('filters its quotes and actors by kind', async () => {
    const { article } = dataOf(
      await server.gql<{ article: { quotes: { text: string }[]; actors: { name: string }[] } }>(
        `{ article(slug: "xi-zelensky-phone-call") { quotes(kind: PARTIAL) { text } actors(kind: MEDIA) { name } } }`,
      ),
    );
    expect(article.quotes.map((q) => q.text)).toEqual([
      'talks and negotiation',
      'only way out',
      'Western minders',
      'a good thing',
      'a new era.',
      'truly unlimited possibilities and prospects',
      'special nature',
    ]);
    expect(article.actors.map((a) => a.name)).toEqual(['Bangkok Post', 'CCTV']);
  });

  it('records the quote Zelensky posted on Twitter with its offsets', async () => {
    const { quotes } = dataOf(
      await server.gql<{
        quotes: { nodes: { text: string; kind: string; startOffset: number; endOffset: number; speaker: { name: string } }[] };
      }>(`{ quotes(filter: { search: "meaningful phone call" }) { nodes { text kind channel startOffset endOffset speaker { name } } } }`),
    );
    expect(quotes.nodes).toEqual([
      {
        text: 'I had a long and meaningful phone call with President Xi Jinping.',
        kind: 'DIRECT',
        channel: 'Twitter',
        startOffset: 686,
        endOffset: 751,
        speaker: { name: 'Volodymyr Zelensky' },
      },
    ]);
    expect(body.slice(685, 686)).toBe('\u201C');
  });

  it.each([['Xi Jinping'], ['President Xi'], ['xi'], ['CHINESE PRESIDENT XI JINPING']])('resolves "%s" to Xi Jinping', async (name) => {
    const { actor } = dataOf(
      await server.gql<{ actor: { name: string } | null }>(`query ($name: String!) { actor(name: $name) { name } }`, { name }),
    );
    expect(actor?.name).toBe('Xi Jinping');
  });

  it("gives Xi Jinping's aliases, affiliation and quotes", async () => {
    const { actor } = dataOf(
      await server.gql<{
        actor: {
          name: string;
          kind: string;
          aliases: string[];
          description: string;
          affiliation: { name: string; kind: string };
          quotes: { totalCount: number; nodes: { text: string; kind: string; channel: string | null }[] };
        };
      }>(`{ actor(name: "Xi Jinping") {
            name kind aliases description affiliation { name kind }
            quotes(first: 10) { totalCount nodes { text kind channel } } } }`),
    );
    expect(actor.kind).toBe('PERSON');
    expect(actor.aliases).toEqual(['President Xi Jinping', 'President Xi', 'Xi', 'Chinese President Xi Jinping']);
    expect(actor.description).toBe('President of China');
    expect(actor.affiliation).toEqual({ name: 'China', kind: 'COUNTRY' });
    expect(actor.quotes.totalCount).toBe(5);
    expect(actor.quotes.nodes.map((q) => [q.text.slice(0, 30), q.kind, q.channel])).toEqual([
      ['talks and negotiation', 'PARTIAL', 'CCTV'],
      ['only way out', 'PARTIAL', 'CCTV'],
      ['Xi maintained that China has c', 'INDIRECT', null],
      ['He encouraged all parties to a', 'INDIRECT', null],
      ['a new era.', 'PARTIAL', null],
    ]);
  });

  it('lists the members of an organization', async () => {
    const { actor } = dataOf(
      await server.gql<{ actor: { members: { totalCount: number; nodes: { name: string }[] } } }>(
        `{ actor(name: "NATO") { members { totalCount nodes { name } } } }`,
      ),
    );
    expect(actor.members).toEqual({ totalCount: 1, nodes: [{ name: 'Jens Stoltenberg' }] });
  });

  it('shows who takes which stance on which topic', async () => {
    const { topic } = dataOf(
      await server.gql<{
        topic: {
          name: string;
          support: { nodes: { actor: { name: string } }[] };
          oppose: { nodes: { actor: { name: string }; summary: string; quote: { text: string } | null }[] };
        };
      }>(
        `{ topic(slug: "peace-negotiations-on-the-war-in-ukraine") {
            name
            support: positions(stance: SUPPORT) { nodes { actor { name } } }
            oppose: positions(stance: OPPOSE) { nodes { actor { name } summary quote { text } } } } }`,
      ),
    );
    expect(topic.name).toBe('Peace negotiations on the war in Ukraine');
    expect(topic.support.nodes).toEqual([{ actor: { name: 'Xi Jinping' } }]);
    expect(topic.oppose.nodes).toEqual([
      {
        actor: { name: 'Russian Ministry of Foreign Affairs' },
        summary: "Questions the sincerity of Ukraine's authorities and their Western backers in past peace initiatives.",
        quote: { text: 'Western minders' },
      },
    ]);
  });

  it("filters an actor's positions by topic name", async () => {
    const { actor } = dataOf(
      await server.gql<{ actor: { positions: { nodes: { stance: string; topic: { slug: string } }[] } } }>(
        `{ actor(name: "China") { positions(topic: "China's mediation in the war in Ukraine") { nodes { stance topic { slug } } } } }`,
      ),
    );
    expect(actor.positions.nodes).toEqual([{ stance: 'SUPPORT', topic: { slug: 'chinas-mediation-in-the-war-in-ukraine' } }]);
  });

  it('resolves the same actor reached through two paths to the same id', async () => {
    const { article, actor } = dataOf(
      await server.gql<{ article: { quotes: { speaker: NamedActor | null }[]; positions: { actor: NamedActor }[] }; actor: NamedActor }>(
        `{ article(slug: "xi-zelensky-phone-call") { quotes(kind: PARTIAL) { speaker { id name } } positions { actor { id name } } }
           actor(name: "Xi") { id name } }`,
      ),
    );
    const viaQuote = article.quotes.find((q) => q.speaker?.name === 'Xi Jinping')?.speaker;
    const viaPosition = article.positions.find((p) => p.actor.name === 'Xi Jinping')?.actor;
    expect(viaQuote?.id).toBe(actor.id);
    expect(viaPosition?.id).toBe(actor.id);
  });

  it('resolves node(id) for every type', async () => {
    const { article } = dataOf(
      await server.gql<{
        article: { id: string; actors: NamedActor[]; quotes: { id: string }[]; topics: { id: string }[]; positions: { id: string }[] };
      }>(`{ article(slug: "xi-zelensky-phone-call") { id actors { id name } quotes { id } topics { id } positions { id } } }`),
    );
    const ids = {
      Article: article.id,
      Actor: article.actors[0]?.id,
      Quote: article.quotes[0]?.id,
      Topic: article.topics[0]?.id,
      Position: article.positions[0]?.id,
    };
    for (const [type, id] of Object.entries(ids)) {
      const { node } = dataOf(
        await server.gql<{ node: { __typename: string; id: string } }>(`query ($id: ID!) { node(id: $id) { __typename id } }`, { id }),
      );
      expect(node).toEqual({ __typename: type, id });
    }
  });

  it('answers node(id) with null for an id that names nothing', async () => {
    const missing = Buffer.from('Actor:999999').toString('base64url');
    for (const id of [missing, 'not-an-id', '']) {
      const { node } = dataOf(await server.gql<{ node: null }>(`query ($id: ID!) { node(id: $id) { id } }`, { id }));
      expect(node).toBeNull();
    }
  });

  it('pages through actors with cursors that round-trip, without gaps or repeats', async () => {
    const all = dataOf(
      await server.gql<{ actors: { totalCount: number; nodes: { name: string }[] } }>(
        `{ actors(first: 100) { totalCount nodes { name } } }`,
      ),
    );
    expect(all.actors.totalCount).toBe(17);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    interface ActorPage {
      actors: {
        edges: { cursor: string; node: { name: string } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
      };
    }
    for (;;) {
      const { actors }: ActorPage = dataOf(
        await server.gql<ActorPage>(
          `query ($after: String) { actors(first: 5, after: $after) { edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
          { after },
        ),
      );
      pages += 1;
      expect(actors.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(actors.pageInfo.endCursor).toBe(actors.edges.at(-1)?.cursor ?? null);
      seen.push(...actors.edges.map((e) => e.node.name));
      if (!actors.pageInfo.hasNextPage) break;
      after = actors.pageInfo.endCursor;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(all.actors.nodes.map((n) => n.name));
    expect(seen[0]).toBe('Bangkok Post');
  });

  it("pages through an actor's quotes", async () => {
    const first = dataOf(
      await server.gql<{ actor: { quotes: { nodes: { text: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } }>(
        `{ actor(name: "Xi") { quotes(first: 2) { nodes { text } pageInfo { hasNextPage endCursor } } } }`,
      ),
    );
    expect(first.actor.quotes.nodes.map((q) => q.text)).toEqual(['talks and negotiation', 'only way out']);
    expect(first.actor.quotes.pageInfo.hasNextPage).toBe(true);
    const second = dataOf(
      await server.gql<{ actor: { quotes: { nodes: { text: string }[]; pageInfo: { hasNextPage: boolean } } } }>(
        `query ($after: String) { actor(name: "Xi") { quotes(first: 10, after: $after) { nodes { text } pageInfo { hasNextPage } } } }`,
        { after: first.actor.quotes.pageInfo.endCursor },
      ),
    );
    expect(second.actor.quotes.nodes).toHaveLength(3);
    expect(second.actor.quotes.pageInfo.hasNextPage).toBe(false);
  });

  it.each([
    [{ actor: 'Putin' }, 1],
    [{ topic: "China's neutrality" }, 1],
    [{ search: 'telephone conversation' }, 1],
    [{ search: 'no such words here' }, 0],
    [{ publishedAfter: '2020-01-01T00:00:00Z' }, 0],
  ])('filters articles by %j', async (filter, count) => {
    const { articles } = dataOf(
      await server.gql<{ articles: { totalCount: number; nodes: unknown[] } }>(
        `query ($filter: ArticleFilter) { articles(filter: $filter) { totalCount nodes { slug } } }`,
        { filter },
      ),
    );
    expect(articles.totalCount).toBe(count);
    expect(articles.nodes).toHaveLength(count);
  });

  it('filters positions by actor, topic and stance', async () => {
    const { positions } = dataOf(
      await server.gql<{ positions: { totalCount: number; nodes: { actor: { name: string } }[] } }>(
        `{ positions(filter: { topic: "chinas-mediation-in-the-war-in-ukraine", stance: SUPPORT }) { totalCount nodes { actor { name } } } }`,
      ),
    );
    expect(positions.totalCount).toBe(6);
    expect(positions.nodes.map((p) => p.actor.name)).toEqual([
      'China',
      'Volodymyr Zelensky',
      'Western nations',
      'John Kirby',
      'European Commission',
      'France',
    ]);
  });

  it.each([
    ['{ actors(first: 101) { totalCount } }', 'first must be between 0 and 100, got 101'],
    ['{ quotes(first: -1) { totalCount } }', 'first must be between 0 and 100, got -1'],
    ['{ articles(after: "garbage") { totalCount } }', 'after "garbage" is not a cursor from this connection'],
    ['{ article { title } }', 'article needs exactly one of id or slug'],
  ])('rejects %s with BAD_USER_INPUT', async (query, message) => {
    const response = await server.gql(query);
    expect(response.errors?.[0]?.message).toBe(message);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
