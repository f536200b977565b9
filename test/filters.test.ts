import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

// Every filter of the schema, held to the words of its description. The seed article
// (xi-zelensky-phone-call) has no date and no source; three dated articles are added here, two from
// Coast News (March, April) and one from the Harbour Herald (May).
let server: TestServer;
const slugs: Record<string, string> = {};
beforeAll(async () => {
  server = await startTestServer();
  const ADD = 'mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { slug } } }';
  for (const [key, publishedAt] of [
    ['march', '2026-03-01T00:00:00Z'],
    ['april', '2026-04-01T00:00:00Z'],
    ['may', '2026-05-01T00:00:00Z'],
  ] as const) {
    const added = await server.gql<{ addArticle: { article: { slug: string } } }>(ADD, {
      input: {
        title: `Harbour report for ${key}`,
        body: `The harbour board met in ${key}. “Tolls stay as they are,” Ines Varga said.`,
        publishedAt,
        source: key === 'may' ? 'Harbour Herald' : 'Coast News',
        topics: ['Harbour tolls'],
        actors: [{ name: 'Ines Varga', kind: 'PERSON', aliases: ['Varga'] }],
        quotes: [{ text: 'Tolls stay as they are,', speaker: 'Varga', kind: 'DIRECT' }],
        positions: [{ actor: 'Varga', topic: 'Harbour tolls', stance: key === 'may' ? 'OPPOSE' : 'NEUTRAL', summary: 'On tolls.' }],
      },
    });
    slugs[key] = dataOf(added).addArticle.article.slug;
  }
});
afterAll(() => server.close());

async function slugsOf(filter: string): Promise<string[]> {
  const data = dataOf(await server.gql<{ articles: { nodes: { slug: string }[] } }>(`{ articles(filter: ${filter}) { nodes { slug } } }`));
  return data.articles.nodes.map((node) => node.slug).sort();
}

async function count(query: string): Promise<number> {
  const data = dataOf(await server.gql<Record<string, { totalCount: number }>>(`{ ${query} { totalCount } }`));
  return Object.values(data)[0]?.totalCount ?? NaN;
}

describe('ArticleFilter', () => {
  it('actor: a global id, canonical name or alias, in any case', async () => {
    const { actor } = dataOf(await server.gql<{ actor: { id: string } }>('{ actor(name: "Ines Varga") { id } }'));
    const all = [slugs.april, slugs.march, slugs.may].sort();
    for (const reference of [actor.id, 'Ines Varga', 'Varga', 'ines varga'])
      expect(await slugsOf(`{ actor: ${JSON.stringify(reference)} }`)).toEqual(all);
  });

  it('topic: a global id, slug or name', async () => {
    const { topic } = dataOf(await server.gql<{ topic: { id: string } }>('{ topic(slug: "harbour-tolls") { id } }'));
    for (const reference of [topic.id, 'harbour-tolls', 'Harbour tolls'])
      expect((await slugsOf(`{ topic: ${JSON.stringify(reference)} }`)).length).toBe(3);
  });

  it('publishedAfter is at or after, publishedBefore is strictly before', async () => {
    expect(await slugsOf('{ publishedAfter: "2026-04-01T00:00:00Z" }')).toEqual([slugs.april, slugs.may].sort());
    expect(await slugsOf('{ publishedBefore: "2026-04-01T00:00:00Z" }')).toEqual([slugs.march]);
    expect(await slugsOf('{ publishedAfter: "2026-03-01T00:00:00Z", publishedBefore: "2026-05-01T00:00:00Z" }')).toEqual(
      [slugs.march, slugs.april].sort(),
    );
  });

  it('search: the title and the body', async () => {
    expect(await slugsOf('{ search: "harbour april" }')).toEqual([slugs.april]);
    expect(await slugsOf('{ search: "Zelensky" }')).toEqual(['xi-zelensky-phone-call']);
  });
});

describe('ActorFilter', () => {
  it('search: text anywhere in the name or an alias, case-insensitive', async () => {
    const names = async (text: string) =>
      dataOf(
        await server.gql<{ actors: { nodes: { name: string }[] } }>(
          `{ actors(filter: { search: ${JSON.stringify(text)} }) { nodes { name } } }`,
        ),
      ).actors.nodes.map((node) => node.name);
    expect(await names('inping')).toEqual(['Xi Jinping']);
    expect(await names('PRESIDENT XI')).toEqual(['Xi Jinping']);
    expect(await names('arga')).toEqual(['Ines Varga']);
  });

  it('kind', async () => {
    const kinds = dataOf(
      await server.gql<{ actors: { nodes: { kind: string }[] } }>('{ actors(first: 100, filter: { kind: COUNTRY }) { nodes { kind } } }'),
    );
    expect(kinds.actors.nodes.length).toBeGreaterThan(1);
    expect(new Set(kinds.actors.nodes.map((node) => node.kind))).toEqual(new Set(['COUNTRY']));
  });
});

describe('QuoteFilter', () => {
  it('speaker: a global id, canonical name or alias; article: a global id or slug; kind; search', async () => {
    expect(await count('quotes(filter: { speaker: "varga" })')).toBe(3);
    expect(await count('quotes(filter: { speaker: "Ines Varga" })')).toBe(3);
    expect(await count(`quotes(filter: { article: "${slugs.may}" })`)).toBe(1);
    const { article } = dataOf(await server.gql<{ article: { id: string } }>(`{ article(slug: "${slugs.may}") { id } }`));
    expect(await count(`quotes(filter: { article: "${article.id}" })`)).toBe(1);
    expect(await count('quotes(filter: { speaker: "Varga", kind: INDIRECT })')).toBe(0);
    expect(await count('quotes(filter: { speaker: "Varga", kind: DIRECT, search: "tolls" })')).toBe(3);
  });
});

describe('PositionFilter', () => {
  it('actor: a global id, canonical name or alias; topic: a global id, slug or name; stance', async () => {
    expect(await count('positions(filter: { actor: "varga" })')).toBe(3);
    expect(await count('positions(filter: { topic: "Harbour tolls" })')).toBe(3);
    expect(await count('positions(filter: { topic: "harbour-tolls", stance: OPPOSE })')).toBe(1);
  });
});

describe('QuoteFilter, the conditions quoteStats also takes', () => {
  it.each([
    ['publishedAfter', 'quotes(filter: { speaker: "Varga", publishedAfter: "2026-04-01T00:00:00Z" })', 2],
    ['publishedBefore', 'quotes(filter: { speaker: "Varga", publishedBefore: "2026-04-01T00:00:00Z" })', 1],
    ['source, in any case', 'quotes(filter: { source: "harbour herald" })', 1],
    ['topic', 'quotes(filter: { topic: "Harbour tolls" })', 3],
    ['speakerKind', 'quotes(filter: { topic: "Harbour tolls", speakerKind: PERSON })', 3],
    ['speakerKind of no one here', 'quotes(filter: { topic: "Harbour tolls", speakerKind: COUNTRY })', 0],
    ['origin', 'quotes(filter: { topic: "Harbour tolls", origin: ANNOTATED })', 3],
    ['origin of none', 'quotes(filter: { topic: "Harbour tolls", origin: EXTRACTED })', 0],
  ])('%s', async (_name, query, expected) => {
    expect(await count(query)).toBe(expected);
  });

  it("narrows an actor's own quotes the same way, and counts what it narrows to", async () => {
    const { actor } = dataOf(
      await server.gql<{ actor: { quotes: { totalCount: number; nodes: { article: { slug: string } }[] } } }>(
        `{ actor(name: "Varga") { quotes(filter: { source: "Coast News", publishedAfter: "2026-03-15T00:00:00Z" }) { totalCount nodes { article { slug } } } } }`,
      ),
    );
    expect(actor.quotes).toEqual({ totalCount: 1, nodes: [{ article: { slug: slugs.april } }] });
  });
});

describe('PositionFilter, the conditions positionStats also takes', () => {
  it.each([
    ['publishedAfter', 'positions(filter: { actor: "Varga", publishedAfter: "2026-04-01T00:00:00Z" })', 2],
    ['publishedBefore', 'positions(filter: { actor: "Varga", publishedBefore: "2026-04-01T00:00:00Z" })', 1],
    ['source', 'positions(filter: { source: "COAST NEWS" })', 2],
    ['actorKind', 'positions(filter: { topic: "Harbour tolls", actorKind: PERSON })', 3],
    ['actorKind of no one here', 'positions(filter: { topic: "Harbour tolls", actorKind: MEDIA })', 0],
    ['origin', 'positions(filter: { topic: "Harbour tolls", origin: EXTRACTED })', 0],
  ])('%s', async (_name, query, expected) => {
    expect(await count(query)).toBe(expected);
  });

  it("narrows a topic's board and an actor's positions the same way", async () => {
    const data = dataOf(
      await server.gql<{
        topic: { neutral: { totalCount: number; nodes: { article: { slug: string } }[] }; herald: { totalCount: number } };
        actor: { positions: { totalCount: number; nodes: { stance: string }[] } };
      }>(
        `{ topic(slug: "harbour-tolls") {
             neutral: positions(stance: NEUTRAL, filter: { publishedAfter: "2026-03-15T00:00:00Z" }) { totalCount nodes { article { slug } } }
             herald: positions(filter: { source: "Harbour Herald", stance: OPPOSE }) { totalCount } }
           actor(name: "Ines Varga") { positions(topic: "Harbour tolls", filter: { source: "Harbour Herald" }) { totalCount nodes { stance } } } }`,
      ),
    );
    expect(data.topic.neutral).toEqual({ totalCount: 1, nodes: [{ article: { slug: slugs.april } }] });
    expect(data.topic.herald).toEqual({ totalCount: 1 });
    expect(data.actor.positions).toEqual({ totalCount: 1, nodes: [{ stance: 'OPPOSE' }] });
  });
});

describe('a filter that names nothing stored, or names the list it narrows', () => {
  it.each([
    [
      'quotes(filter: { speaker: "Nobody" }) { totalCount }',
      'filter.speaker',
      '"Nobody" names no stored actor (give a global id, canonical name or alias)',
    ],
    [
      'quotes(filter: { speaker: "QWN0b3I6OTk5OQ" }) { totalCount }',
      'filter.speaker',
      '"QWN0b3I6OTk5OQ" names no stored actor (give a global id, canonical name or alias)',
    ],
    [
      'quotes(filter: { article: "no-such-article" }) { totalCount }',
      'filter.article',
      '"no-such-article" names no stored article (give a global id or slug)',
    ],
    [
      'quotes(filter: { topic: "Moon landing" }) { totalCount }',
      'filter.topic',
      '"Moon landing" names no stored topic (give a global id, slug or name)',
    ],
    [
      'positions(filter: { actor: "Nobody" }) { totalCount }',
      'filter.actor',
      '"Nobody" names no stored actor (give a global id, canonical name or alias)',
    ],
    [
      'positions(filter: { topic: "Moon landing" }) { totalCount }',
      'filter.topic',
      '"Moon landing" names no stored topic (give a global id, slug or name)',
    ],
    [
      'articles(filter: { actor: "Nobody" }) { totalCount }',
      'filter.actor',
      '"Nobody" names no stored actor (give a global id, canonical name or alias)',
    ],
    [
      'articles(filter: { topic: "Moon landing" }) { totalCount }',
      'filter.topic',
      '"Moon landing" names no stored topic (give a global id, slug or name)',
    ],
    [
      'actor(name: "Varga") { positions(topic: "Moon landing") { totalCount } }',
      'topic',
      '"Moon landing" names no stored topic (give a global id, slug or name)',
    ],
    [
      'actor(name: "Varga") { quotes(filter: { topic: "Moon landing" }) { totalCount } }',
      'filter.topic',
      '"Moon landing" names no stored topic (give a global id, slug or name)',
    ],
    [
      'actor(name: "Varga") { quotes(filter: { speaker: "Varga" }) { totalCount } }',
      'filter.speaker',
      'is given by the actor this list belongs to; leave it out of the filter',
    ],
    [
      'actor(name: "Varga") { positions(filter: { actor: "Varga" }) { totalCount } }',
      'filter.actor',
      'is given by the actor this list belongs to; leave it out of the filter',
    ],
    [
      'actor(name: "Varga") { positions(topic: "Harbour tolls", filter: { topic: "Harbour tolls" }) { totalCount } }',
      'topic',
      'is given twice: give topic or filter.topic',
    ],
    [
      'topic(slug: "harbour-tolls") { positions(filter: { topic: "harbour-tolls" }) { totalCount } }',
      'filter.topic',
      'is given by the topic this list belongs to; leave it out of the filter',
    ],
    [
      'topic(slug: "harbour-tolls") { positions(stance: OPPOSE, filter: { stance: OPPOSE }) { totalCount } }',
      'stance',
      'is given twice: give stance or filter.stance',
    ],
  ])('%s is refused naming %s', async (query, field, message) => {
    const response = await server.gql(`{ ${query} }`);
    expect(response.errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.field])).toEqual([
      [`${field} ${message}`, 'BAD_USER_INPUT', field],
    ]);
  });
});

describe('SearchFilter', () => {
  type Hits = { search: { totalCount: number; nodes: { node: { __typename: string; slug?: string; text?: string; name?: string } }[] } };
  const search = async (filter: string, query = 'tolls') =>
    dataOf(
      await server.gql<Hits>(
        `{ search(query: "${query}", filter: ${filter}) { totalCount nodes { node { __typename ... on Article { slug } ... on Quote { text } ... on Actor { name } } } } }`,
      ),
    ).search;

  it('types: only hits of those types', async () => {
    const quotes = await search('{ types: [QUOTE] }');
    expect(quotes.totalCount).toBe(3);
    expect(quotes.nodes.map((hit) => hit.node.__typename)).toEqual(['Quote', 'Quote', 'Quote']);
    const articles = await search('{ types: [ARTICLE, ACTOR] }');
    expect(articles.totalCount).toBe(3);
    expect(articles.nodes.map((hit) => hit.node.slug).sort()).toEqual([slugs.april, slugs.march, slugs.may].sort());
  });

  it('publishedAfter and publishedBefore: articles published then, their quotes, and the actors they mention', async () => {
    const since = await search('{ publishedAfter: "2026-04-01T00:00:00Z" }');
    expect(since.totalCount).toBe(4);
    expect(
      since.nodes
        .filter((hit) => hit.node.__typename === 'Article')
        .map((hit) => hit.node.slug)
        .sort(),
    ).toEqual([slugs.april, slugs.may].sort());
    expect(since.nodes.filter((hit) => hit.node.__typename === 'Quote')).toHaveLength(2);
    expect((await search('{ types: [ACTOR], publishedBefore: "2026-04-01T00:00:00Z" }', 'Varga')).nodes).toEqual([
      { node: { __typename: 'Actor', name: 'Ines Varga' } },
    ]);
    expect(await search('{ types: [ACTOR], publishedBefore: "2026-03-01T00:00:00Z" }', 'Varga')).toEqual({ totalCount: 0, nodes: [] });
  });

  it('types: [] is refused', async () => {
    const response = await server.gql('{ search(query: "tolls", filter: { types: [] }) { totalCount } }');
    expect(response.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['filter.types needs at least one of ARTICLE, QUOTE and ACTOR (leave it out for all three)', 'BAD_USER_INPUT'],
    ]);
  });
});
