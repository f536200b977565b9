import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchExpression } from '../src/read/search-query.js';
import { dataOf, type GraphQLResponse, startTestServer, type TestServer } from './support/harness.js';

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

  it('reads "Xi:" and "(Xi" as the word Xi, as a search box would', async () => {
    const xi = await searchFor('Xi', 100);
    expect(xi.totalCount).toBeGreaterThan(0);
    expect(await searchFor('Xi:', 100)).toEqual(xi);
    expect(await searchFor('(Xi', 100)).toEqual(xi);
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

  it.each([
    ['a phrase', '"exact phrase"', '"exact phrase"'],
    ['plain words', 'peace talks', '"peace" AND "talks"'],
    ['words joined by punctuation, as the index splits them', "China's", '"China s"'],
    ['a prefix', 'neutral*', '"neutral"*'],
    ['OR, closer than the implicit AND', 'Kirby OR Price statement', '("Kirby" OR "Price") AND "statement"'],
    ['negations', 'China -Russia NOT "peace talks"', '"China" NOT ("Russia" OR "peace talks")'],
    ['a group', '(Xi Lula) OR Putin', '("Xi" AND "Lula") OR "Putin"'],
    ['FTS5 syntax we do not offer as words', 'NEAR(Xi Lula) Xi: col:^x', '"NEAR" AND "Xi" AND "Lula" AND "col x"'],
  ])('reads %s (%j) as the FTS5 query %j', (_name, query, expression) => {
    expect(matchExpression(query)).toBe(expression);
  });
});

const SEARCH_ERRORS = 'query ($q: String!) { search(query: $q) { totalCount } }';

describe('search errors', () => {
  it.each([
    ['Kirby OR', 'query "Kirby OR": OR needs a word on each side'],
    ['OR Kirby', 'query "OR Kirby": OR needs a word on each side'],
    ['Kirby OR OR Price', 'query "Kirby OR OR Price": OR needs a word on each side'],
    ['AND', 'query "AND": AND needs a word on each side'],
    ['China NOT', 'query "China NOT": NOT needs a word after it'],
    ['-Russia', 'query "-Russia": has only excluded words (-word, NOT word); add a word to search for'],
    ['NOT Russia -"peace talks"', 'query "NOT Russia -"peace talks"": has only excluded words (-word, NOT word); add a word to search for'],
    ['China OR -Russia', 'query "China OR -Russia": OR cannot join a term that is excluded (-Russia); exclude it outside the OR'],
    [': ^ ()', 'query ": ^ ()": has no letters or digits to search for'],
    ['*', 'query prefix term "*" needs at least 3 letters or digits before the *'],
    ['  ', 'query must not be empty'],
  ])('refuses %j in our words, quoting it', async (query, message) => {
    const response = await server.gql(SEARCH_ERRORS, { q: query });
    expect(response.errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.field])).toEqual([
      [message, 'BAD_USER_INPUT', 'query'],
    ]);
  });

  it.each([
    ['articles', '{ articles(filter: { search: "Kirby OR" }) { totalCount } }'],
    ['quotes', '{ quotes(filter: { search: "Kirby OR" }) { totalCount } }'],
  ])('refuses a bad %s(filter: { search }) naming filter.search', async (_name, query) => {
    const response = await server.gql(query);
    expect(response.errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.field])).toEqual([
      ['filter.search "Kirby OR": OR needs a word on each side', 'BAD_USER_INPUT', 'filter.search'],
    ]);
  });

  it('never lets FTS5 see, or answer, what the user typed', async () => {
    const piece = fc.constantFrom(
      'china',
      'Xi',
      'russ*',
      '"',
      '(',
      ')',
      '-',
      '*',
      ':',
      '^',
      'OR',
      'AND',
      'NOT',
      'NEAR',
      '{',
      '}',
      '+',
      ' ',
      ' ',
      "'",
      ',',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
        const query = pieces.join('');
        const outcome = await server
          .read((reads) => reads.search.list(query, { first: 5 }))
          .then(
            () => 'found',
            (error: unknown) => error,
          );
        if (outcome === 'found') return;
        expect(outcome).toBeInstanceOf(GraphQLError);
        assert(outcome instanceof GraphQLError);
        expect(outcome.extensions.code).toBe('BAD_USER_INPUT');
        // Refused in its own words: empty, too many prefix terms (five `russ*` in 12 pieces), a short
        // prefix, or a reading error quoting the query.
        expect(outcome.message).toMatch(/^query (must not be empty|has \d+ prefix terms|prefix term|"[\s\S]*": )/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the query syntax', () => {
  beforeAll(async () => {
    const articles = [
      ['Quokka census', 'Rangers counted every quokka on the island.'],
      ['Wallaby report', 'A wallaby and a quokka shared the track.'],
      ['Numbat news', 'Numbat sightings rose near the wallaby reserve.'],
    ];
    for (const [title, body] of articles) {
      dataOf(await server.gql('mutation ($i: AddArticleInput!) { addArticle(input: $i) { article { id } } }', { i: { title, body } }));
    }
  });

  const titlesFound = async (query: string) => {
    const response = await server.gql<{ articles: { nodes: { title: string }[] } }>(
      'query ($q: String!) { articles(first: 100, filter: { search: $q }) { nodes { title } } }',
      { q: query },
    );
    return dataOf(response)
      .articles.nodes.map((n) => n.title)
      .sort();
  };

  it.each([
    ['quokka', ['Quokka census', 'Wallaby report']],
    ['quokka wallaby', ['Wallaby report']],
    ['Quokka AND Wallaby', ['Wallaby report']],
    ['quokka -wallaby', ['Quokka census']],
    ['quokka NOT wallaby', ['Quokka census']],
    ['wallaby -"quokka shared"', ['Numbat news']],
    ['wallaby -"shared quokka"', ['Numbat news', 'Wallaby report']],
    ['numbat OR quokka', ['Numbat news', 'Quokka census', 'Wallaby report']],
    ['numbat OR quokka -wallaby', ['Quokka census']],
    ['(numbat OR quokka) rangers', ['Quokka census']],
    ['wallaby -(quokka OR sightings)', []],
    ['numbat or quokka', []],
    ['"quokka shared"', ['Wallaby report']],
    ['"shared quokka"', []],
    ['"quokka shared', ['Wallaby report']],
    ['quok*', ['Quokka census', 'Wallaby report']],
    ['-numbat quok*', ['Quokka census', 'Wallaby report']],
    ['QUÖKKA: (census', ['Quokka census']],
    ['Numbat^ +sightings', ['Numbat news']],
  ])('%j finds %j', async (query, titles) => {
    expect(await titlesFound(query)).toEqual(titles);
  });

  it('highlights the words searched for, not those excluded', async () => {
    const result = await searchFor('track -"shared quokka"');
    expect(result.nodes.map((h) => [h.node.title, h.snippet])).toEqual([['Wallaby report', '…quokka shared the <mark>track</mark>']]);
  });
});

describe('one ranking across articles, quotes and actors', () => {
  beforeAll(async () => {
    const write = async (mutation: string, i: Record<string, unknown>) => dataOf(await server.gql(mutation, { i }));
    const UPSERT = 'mutation ($i: ActorInput!) { upsertActor(input: $i) { actor { id } } }';
    const ADD = 'mutation ($i: AddArticleInput!) { addArticle(input: $i) { article { id } } }';
    await write(UPSERT, { name: 'Ilse Varnholt', kind: 'PERSON' });
    await write(UPSERT, { name: 'Harbour Party', kind: 'ORGANIZATION', aliases: ["Varnholt's party"] });
    await write(ADD, { title: 'Varnholt wins the harbour vote', body: 'The count ended late. Varnholt thanked her voters.' });
    await write(ADD, {
      title: 'Harbour budget approved',
      body: 'The council approved the budget. “We trust Varnholt to deliver,” a councillor said. Others doubted it.',
      quotes: [{ text: 'We trust Varnholt to deliver', kind: 'DIRECT' }],
    });
  });

  const ranked = async (query: string) =>
    (await searchFor(query)).nodes.map((h) => [h.node.__typename, h.node.name ?? h.node.title ?? h.node.text, Math.floor(h.score)]);

  it('puts actors named so first, then articles with it in the title, then quotes, then articles mentioning it', async () => {
    expect(await ranked('varnholt')).toEqual([
      ['Actor', 'Ilse Varnholt', 3],
      ['Actor', 'Harbour Party', 3],
      ['Article', 'Varnholt wins the harbour vote', 2],
      ['Quote', 'We trust Varnholt to deliver', 1],
      ['Article', 'Harbour budget approved', 0],
    ]);
  });

  it('ranks an article by its title only when the title alone matches the whole query', async () => {
    expect(await ranked('harbour varnholt')).toEqual([
      ['Actor', 'Harbour Party', 3],
      ['Article', 'Varnholt wins the harbour vote', 2],
      ['Article', 'Harbour budget approved', 0],
    ]);
  });

  it('pages through the mixed ranking one hit at a time in the same order', async () => {
    const all = (await searchFor('varnholt')).nodes.map((h) => h.node.name ?? h.node.title ?? h.node.text);
    const paged: (string | undefined)[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const response: GraphQLResponse<SearchPage> = await server.gql<SearchPage>(
        `query ($after: String) { search(query: "varnholt", first: 1, after: $after) {
           nodes { node { ... on Article { title } ... on Quote { text } ... on Actor { name } } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      const { search: found } = dataOf(response);
      paged.push(...found.nodes.map((h) => h.node.name ?? h.node.title ?? h.node.text));
      if (!found.pageInfo.hasNextPage) break;
      after = found.pageInfo.endCursor;
    }
    expect(all).toHaveLength(5);
    expect(paged).toEqual(all);
  });
});

interface SearchPage {
  search: {
    nodes: { node: { title?: string; text?: string; name?: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
