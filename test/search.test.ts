import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchExpression } from '../src/services/search.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

interface Hit {
  snippet: string;
  score: number;
  node: { __typename: string; title?: string; text?: string; name?: string };
}

async function searchFor(query: string, first = 20): Promise<{ totalCount: number; nodes: Hit[] }> {
  const response = await server.gql<{ search: { totalCount: number; nodes: Hit[] } }>(
    `query ($q: String!, $first: Int) { search(query: $q, first: $first) { totalCount nodes { snippet score node { __typename
       ... on Article { title } ... on Quote { text } ... on Actor { name } } } } }`,
    { q: query, first },
  );
  return dataOf(response).search;
}

describe('search', () => {
  it('finds actors by alias, quotes and articles, best first, with highlighted snippets', async () => {
    const result = await searchFor('stoltenberg');
    expect(result.nodes.map((h) => [h.node.__typename, h.node.name ?? h.node.title ?? h.node.text])).toEqual([
      ['Actor', 'Jens Stoltenberg'],
      [
        'Quote',
        'NATO chief Jens Stoltenberg expressed his scepticism about China’s neutrality due to its failure to condemn Russia’s invasion of Ukraine.',
      ],
      ['Article', 'Xi Jinping, Zelensky discuss peace negotiations in historic phone call'],
    ]);
    expect(result.totalCount).toBe(3);
    expect(result.nodes[0]?.snippet).toBe('Jens <mark>Stoltenberg</mark>');
    const scores = result.nodes.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('matches a phrase exactly', async () => {
    const phrase = await searchFor('"talks and negotiation"');
    expect(phrase.nodes.map((h) => h.node.__typename).sort()).toEqual(['Article', 'Quote']);
    const scattered = await searchFor('"negotiation talks"');
    expect(scattered.totalCount).toBe(0);
  });

  it('matches a prefix', async () => {
    const result = await searchFor('Zelen*');
    expect(result.nodes.find((h) => h.node.__typename === 'Actor')?.node.name).toBe('Volodymyr Zelensky');
  });

  it('ignores case, accents and punctuation in plain words', async () => {
    expect((await searchFor("CHINA'S NEUTRALITY")).totalCount).toBeGreaterThan(0);
    expect((await searchFor('zélensky')).nodes.some((h) => h.node.name === 'Volodymyr Zelensky')).toBe(true);
  });

  it('escapes HTML in snippets', async () => {
    await server.gql(
      `mutation { addArticle(input: { title: "Markup", body: "He wrote <script>alert('x')</script> and left." }) { article { id } } }`,
    );
    const result = await searchFor('alert');
    expect(result.nodes[0]?.snippet).toContain('&#60;script&#62;<mark>alert</mark>(&#39;x&#39;)&#60;/script&#62;');
  });

  it('pages through hits without repeats', async () => {
    const all = await searchFor('china', 100);
    const first = dataOf(
      await server.gql<{ search: { nodes: Hit[]; pageInfo: { endCursor: string; hasNextPage: boolean } } }>(
        `{ search(query: "china", first: 2) { nodes { score } pageInfo { endCursor hasNextPage } } }`,
      ),
    ).search;
    const rest = dataOf(
      await server.gql<{ search: { nodes: Hit[] } }>(
        `query ($after: String) { search(query: "china", first: 100, after: $after) { nodes { score } } }`,
        { after: first.pageInfo.endCursor },
      ),
    ).search;
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.nodes.length + rest.nodes.length).toBe(all.totalCount);
  });

  it('keeps the index in sync with writes', async () => {
    const before = await searchFor('Zanzibar');
    expect(before.totalCount).toBe(0);
    const added = dataOf(
      await server.gql<{ upsertActor: { actor: { id: string } } }>(
        `mutation { upsertActor(input: { name: "Zanzibar Council", kind: ORGANIZATION }) { actor { id } } }`,
      ),
    );
    expect((await searchFor('Zanzibar')).totalCount).toBe(1);
    await server.gql(`mutation ($a: ID!) { addActorAlias(input: { actor: $a, alias: "Pemba board" }) { actor { id } } }`, {
      a: added.upsertActor.actor.id,
    });
    expect((await searchFor('pemba')).nodes[0]?.node.name).toBe('Zanzibar Council');
  });

  it('backs articles(filter: { search }) and quotes(filter: { search })', async () => {
    const data = dataOf(
      await server.gql<{ articles: { totalCount: number }; quotes: { nodes: { text: string }[] } }>(
        `{ articles(filter: { search: "telephone conversation" }) { totalCount } quotes(filter: { search: "unlimited" }) { nodes { text } } }`,
      ),
    );
    expect(data.articles.totalCount).toBe(1);
    expect(data.quotes.nodes).toEqual([{ text: 'truly unlimited possibilities and prospects' }]);
  });

  it.each([['"unterminated phrase'], ['AND'], ['(china']])('turns the FTS syntax error in %j into BAD_USER_INPUT', async (query) => {
    const response = await server.gql(`query ($q: String!) { search(query: $q) { totalCount } }`, { q: query });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toMatch(/^query ".*" is not a valid search \(/);
  });

  it.each([
    ['peace talks', '"peace" "talks"'],
    ["China's", '"China" "s"'],
    ['"exact phrase"', '"exact phrase"'],
    ['neutral*', 'neutral*'],
  ])('reads %j as the FTS5 query %j', (query, expression) => {
    expect(matchExpression(query)).toBe(expression);
  });
});
