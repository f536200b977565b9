import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveArticle } from '../src/services/articles.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Article n: its own people and topic, and a quote from Xi, who is shared by every article. */
function syntheticArticle(n: number) {
  return {
    title: `Synthetic article ${n}`,
    body: `Minister Ana Number${n} said \u201Cwe agree ${n}\u201D. President Xi called it \u201Cprogress ${n}\u201D.`,
    publishedAt: new Date(Date.UTC(2024, 0, 1 + n)),
    topics: [`Topic ${n}`],
    actors: [{ name: `Ana Number${n}`, kind: 'PERSON' as const, affiliation: 'China' }],
    quotes: [
      { text: `we agree ${n}`, speaker: `Ana Number${n}`, kind: 'PARTIAL' as const },
      { text: `progress ${n}`, speaker: 'Xi', kind: 'PARTIAL' as const },
    ],
    positions: [{ actor: `Ana Number${n}`, topic: `Topic ${n}`, stance: 'SUPPORT' as const, summary: 'Agrees.', quote: `we agree ${n}` }],
  };
}

const NESTED = `{
  articles(first: 50) {
    totalCount
    nodes { title quotes { text speaker { name affiliation { name } positions(first: 1) { nodes { stance topic { name } } } } } }
  }
}`;

const NESTED_CONNECTIONS = `{
  actors(first: 50) {
    nodes { name aliases quotes(first: 2) { totalCount nodes { text speaker { name } article { title } } } articles(first: 2) { totalCount nodes { title } } }
  }
}`;

async function statementsFor(query: string): Promise<{ statements: number; data: unknown }> {
  server.statements.length = 0;
  const data = dataOf(await server.gql(query));
  return { statements: server.statements.length, data };
}

describe('statements per query shape', () => {
  // The rows a list's items point to most often come along in the list's own statement, so these
  // shapes cost a fixed, small number of statements. (Run first, over the seed article alone.)
  it('answers an actor profile in three: the actor, its quotes with their articles, its positions with their topics', async () => {
    const { statements, data } = await statementsFor(
      '{ actor(name: "Xi") { quotes(first: 50) { nodes { text speaker { name } article { title } } } positions { nodes { stance topic { name } } } } }',
    );
    expect(statements).toBe(3);
    const actor = (
      data as {
        actor: { quotes: { nodes: { speaker: { name: string }; article: { title: string } }[] }; positions: { nodes: unknown[] } };
      }
    ).actor;
    expect(actor.quotes.nodes).toHaveLength(5);
    expect(new Set(actor.quotes.nodes.map((q) => `${q.speaker.name} / ${q.article.title}`))).toEqual(
      new Set(['Xi Jinping / Xi Jinping, Zelensky discuss peace negotiations in historic phone call']),
    );
    expect(actor.positions.nodes).toEqual([
      { stance: 'SUPPORT', topic: { name: 'Peace negotiations on the war in Ukraine' } },
      { stance: 'SUPPORT', topic: { name: 'Russia–China partnership' } },
    ]);
  });

  it('answers a topic board in two: the topic, and its positions with their actors and articles', async () => {
    const { statements, data } = await statementsFor(
      '{ topic(slug: "chinas-mediation-in-the-war-in-ukraine") { positions(stance: SUPPORT) { nodes { actor { name kind } article { title } } } } }',
    );
    expect(statements).toBe(2);
    const positions = (data as { topic: { positions: { nodes: { actor: { name: string; kind: string }; article: { title: string } }[] } } })
      .topic.positions.nodes;
    expect(positions.map((p) => `${p.actor.name} (${p.actor.kind})`)).toEqual([
      'China (COUNTRY)',
      'Volodymyr Zelensky (PERSON)',
      'Western nations (GROUP)',
      'John Kirby (PERSON)',
      'European Commission (ORGANIZATION)',
      'France (COUNTRY)',
    ]);
    expect(new Set(positions.map((p) => p.article.title)).size).toBe(1);
  });

  it('answers an article page in three: the articles, their quotes with speakers, their positions with topics', async () => {
    const { statements, data } = await statementsFor(
      '{ articles(first: 20) { nodes { quotes { speaker { name } } positions { topic { name } } } } }',
    );
    expect(statements).toBe(3);
    const article = (data as { articles: { nodes: { quotes: { speaker: { name: string } | null }[]; positions: unknown[] }[] } }).articles
      .nodes[0];
    // In order of appearance in the body.
    expect(article?.quotes.map((q) => q.speaker?.name)).toEqual([
      'Russia',
      'Volodymyr Zelensky',
      'Volodymyr Zelensky',
      'Sergiy Nykyforov',
      'Xi Jinping',
      'Xi Jinping',
      'Xi Jinping',
      'Xi Jinping',
      'Russian Ministry of Foreign Affairs',
      'Russian Ministry of Foreign Affairs',
      'John Kirby',
      'European Commission',
      'Jens Stoltenberg',
      'Xi Jinping',
      'Vladimir Putin',
      'Vladimir Putin',
    ]);
    expect(article?.positions).toHaveLength(12);
  });
  it('reads the rarely asked columns of a whole list in one more statement per table, not one per row', async () => {
    const { statements, data } = await statementsFor(
      '{ articles(first: 20) { nodes { source url createdAt quotes { channel startOffset endOffset origin } positions { origin confidence } } } }',
    );
    expect(statements).toBe(3 + 3);
    const db = server.storage.writer;
    const article = await db.article.findFirstOrThrow({ include: { quotes: true, positions: true } });
    const served = (
      data as {
        articles: {
          nodes: {
            source: string | null;
            url: string | null;
            createdAt: string;
            quotes: { channel: string | null; startOffset: number | null; endOffset: number | null; origin: string }[];
            positions: { origin: string; confidence: number | null }[];
          }[];
        };
      }
    ).articles.nodes[0];
    expect(served).toMatchObject({ source: article.source, url: article.url, createdAt: article.createdAt.toISOString() });
    const byOffset = [...article.quotes].sort((a, b) => (a.startOffset ?? Infinity) - (b.startOffset ?? Infinity) || a.id - b.id);
    expect(served?.quotes).toEqual(
      byOffset.map(({ channel, startOffset, endOffset, origin }) => ({ channel, startOffset, endOffset, origin })),
    );
    expect(served?.positions).toEqual(
      [...article.positions].sort((a, b) => a.id - b.id).map(({ origin, confidence }) => ({ origin, confidence })),
    );
  });
});

describe('batching', () => {
  it('runs the same number of SQL statements for a nested query over 1 article as over 50', async () => {
    const one = await statementsFor(NESTED);
    for (let n = 1; n <= 49; n += 1) await saveArticle(server.storage.writer, syntheticArticle(n));
    const fifty = await statementsFor(NESTED);

    expect((fifty.data as { articles: { totalCount: number } }).articles.totalCount).toBe(50);
    expect(one.statements).toBeGreaterThan(0);
    expect(fifty.statements).toBe(one.statements);
  });

  it('loads paged child connections of many parents with a fixed number of statements', async () => {
    const fifty = await statementsFor(NESTED_CONNECTIONS);
    const actors = (
      fifty.data as { actors: { nodes: { name: string; quotes: { totalCount: number }; articles: { totalCount: number } }[] } }
    ).actors.nodes;
    expect(actors).toHaveLength(50);
    expect(actors.find((a) => a.name === 'Ana Number7')).toMatchObject({ quotes: { totalCount: 1 }, articles: { totalCount: 1 } });
    expect(actors.find((a) => a.name === 'Bangkok Post')).toMatchObject({ quotes: { totalCount: 0 }, articles: { totalCount: 1 } });
    const few = await statementsFor(NESTED_CONNECTIONS.replace('actors(first: 50)', 'actors(first: 10)'));
    expect(few.statements).toBe(fifty.statements);
    const xi = dataOf(
      await server.gql<{ actor: { quotes: { totalCount: number }; articles: { totalCount: number } } }>(
        `{ actor(name: "Xi") { quotes { totalCount } articles { totalCount } } }`,
      ),
    );
    expect(xi.actor).toEqual({ quotes: { totalCount: 54 }, articles: { totalCount: 50 } });
  });
  it('pages filtered, ordered positions, members and quotes of many parents with a fixed number of statements', async () => {
    const query = (first: number) => `{
      actors(first: ${first}, orderBy: QUOTE_COUNT_DESC) {
        nodes {
          name
          positions(first: 2, orderBy: PUBLISHED_AT_DESC, filter: { publishedAfter: "2024-01-01T00:00:00Z" }) {
            totalCount nodes { stance topic { name } article { title } }
          }
          members(first: 3, orderBy: LAST_QUOTED_DESC) { totalCount nodes { name } }
          quotes(first: 2, orderBy: PUBLISHED_AT_DESC, filter: { kind: PARTIAL }) { totalCount nodes { text article { title } } }
        }
      }
      topics(first: ${first}) { nodes { name positions(first: 2, stance: SUPPORT) { totalCount nodes { actor { name } article { title } } } } }
    }`;
    type Lists = {
      actors: {
        nodes: {
          name: string;
          positions: { totalCount: number; nodes: { article: { title: string } }[] };
          members: { totalCount: number; nodes: { name: string }[] };
          quotes: { totalCount: number; nodes: { text: string }[] };
        }[];
      };
      topics: { nodes: { name: string; positions: { totalCount: number; nodes: { actor: { name: string } }[] } }[] };
    };
    const many = await statementsFor(query(50));
    const few = await statementsFor(query(10));
    expect(few.statements).toBe(many.statements);
    const { actors, topics } = many.data as Lists;
    expect(actors.nodes).toHaveLength(50);
    // Xi is quoted in every article, so he leads; each synthetic article is the next day's.
    const [xi] = actors.nodes;
    expect(xi?.name).toBe('Xi Jinping');
    // Of his 54 quotes, the count is of the PARTIAL ones the filter keeps: 49 synthetic, 3 in the seed.
    expect(xi?.quotes.totalCount).toBe(52);
    expect(xi?.quotes.nodes.map((q) => q.text)).toEqual(['progress 49', 'progress 48']);
    const ana = actors.nodes.find((a) => a.name === 'Ana Number1');
    expect(ana?.positions).toEqual({
      totalCount: 1,
      nodes: [{ stance: 'SUPPORT', topic: { name: 'Topic 1' }, article: { title: 'Synthetic article 1' } }],
    });
    const topic = topics.nodes.find((t) => t.name === 'Topic 1');
    expect(topic?.positions).toEqual({
      totalCount: 1,
      nodes: [{ actor: { name: 'Ana Number1' }, article: { title: 'Synthetic article 1' } }],
    });
    const { actor: china } = dataOf(
      await server.gql<{ actor: { members: { nodes: { name: string }[] } } }>(
        '{ actor(name: "China") { members(first: 3, orderBy: LAST_QUOTED_DESC) { nodes { name } } } }',
      ),
    );
    // Ana Number49 and Xi were last quoted on the same day: the same date goes by name.
    expect(china.members.nodes.map((m) => m.name)).toEqual(['Ana Number49', 'Xi Jinping', 'Ana Number48']);
  });

  it("answers a search page in one statement for the ranking and one per type of hit, with the hits' rows brought along", async () => {
    const page = (first: number) => `{ search(query: "number* OR agree OR synthetic", first: ${first}) {
      nodes { node { __typename ... on Article { title } ... on Quote { text } ... on Actor { name } } } } }`;
    type Hits = { search: { nodes: { node: { __typename: string } }[] } };
    const all = await statementsFor(page(100));
    const types = (all.data as Hits).search.nodes.map((hit) => hit.node.__typename);
    expect(types).toHaveLength(100);
    expect(new Set(types)).toEqual(new Set(['Actor', 'Article', 'Quote']));
    expect(all.statements).toBe(1 + 3);
    // Actors rank first (they are what the query names), so a short page holds only actors.
    const actors = await statementsFor(page(5));
    expect((actors.data as Hits).search.nodes.map((hit) => hit.node.__typename)).toEqual(Array(5).fill('Actor'));
    expect(actors.statements).toBe(1 + 1);
  });

  // SQLite's planner reads the value of a bare `LIMIT ?` and marks the statement stale each time it
  // is bound, so every run prepared it again (a third of a topic board's statement time). Every
  // statement that pages binds its size in a form the planner does not read, or writes a constant.
  it('binds every page size as LIMIT CAST(? AS INTEGER), which does not make SQLite prepare the statement again', async () => {
    server.statements.length = 0;
    for (const first of [3, 7]) {
      for (const query of [
        `{ articles(first: ${first}) { nodes { title } } }`,
        `{ actors(first: ${first}) { nodes { name quotes(first: ${first}) { nodes { text } } positions(first: ${first}) { nodes { stance } } } } }`,
        `{ actor(name: "Xi") { quotes(first: ${first}) { nodes { text } } members(first: ${first}) { nodes { name } } } }`,
        `{ topic(slug: "chinas-mediation-in-the-war-in-ukraine") { positions(first: ${first}) { nodes { stance } } articles(first: ${first}) { nodes { title } } } }`,
        `{ quotes(first: ${first}) { nodes { text } } positions(first: ${first}) { nodes { stance } } topics(first: ${first}) { nodes { name } } }`,
        `{ search(query: "number* OR agree", first: ${first}) { nodes { node { __typename } } } }`,
        `{ quoteStats(groupBy: [SPEAKER], first: ${first}) { count } }`,
      ])
        dataOf(await server.gql(query));
    }
    const paged = server.statements.filter((text) => /\bLIMIT\b/i.test(text));
    expect(paged.length).toBeGreaterThanOrEqual(20);
    // SQLite's statement log shows the bound values (LIMIT CAST(4.0 AS INTEGER)), PostgreSQL's the placeholders.
    expect(paged.filter((text) => /\bLIMIT\s+(?!CAST\(|1\b)/i.test(text))).toEqual([]);
  });
});
