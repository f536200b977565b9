import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

// Every filter of the schema, held to the words of its description. The seed article
// (xi-zelensky-phone-call) has no date; three dated articles are added here.
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
