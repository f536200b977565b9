import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, rowCounts, startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const ADD_ARTICLES = `mutation ($input: [AddArticleInput!]!) {
  addArticles(input: $input) {
    results { created article { slug quotes { text speaker { name } } } actors { name outcome } }
  }
}`;

interface AddedArticles {
  addArticles: {
    results: {
      created: boolean;
      article: { slug: string; quotes: { text: string; speaker: { name: string } | null }[] };
      actors: { name: string; outcome: string }[];
    }[];
  };
}

/** A small article about a port; `n` makes its title and quote its own. */
function portArticle(n: number, overrides: Record<string, unknown> = {}) {
  return {
    title: `Port report ${n}`,
    body: `Harbour master Ines Moreau said \u201Cberth ${n} is open\u201D on Monday.`,
    topics: ['Port of Halden'],
    quotes: [{ text: `berth ${n} is open`, speaker: 'Ines Moreau', kind: 'PARTIAL' }],
    ...overrides,
  };
}

const MOREAU = { name: 'Ines Moreau', kind: 'PERSON', aliases: ['Harbour master Ines Moreau'] };

describe('addArticles', () => {
  it('writes every article of the call, the later ones seeing actors the earlier ones declare', async () => {
    const input = [portArticle(1, { actors: [MOREAU] }), portArticle(2), portArticle(3)];
    const { addArticles } = dataOf(await server.gql<AddedArticles>(ADD_ARTICLES, { input }));
    expect(addArticles.results.map((r) => [r.created, r.article.slug, r.article.quotes])).toEqual([
      [true, 'port-report-1', [{ text: 'berth 1 is open', speaker: { name: 'Ines Moreau' } }]],
      [true, 'port-report-2', [{ text: 'berth 2 is open', speaker: { name: 'Ines Moreau' } }]],
      [true, 'port-report-3', [{ text: 'berth 3 is open', speaker: { name: 'Ines Moreau' } }]],
    ]);
    expect(addArticles.results[0]?.actors).toEqual([{ name: 'Ines Moreau', outcome: 'CREATED' }]);
    expect(await server.db.actor.count({ where: { nameKey: 'ines moreau' } })).toBe(1);
  });

  it('writes the same call again once: every result says created: false and no row is added', async () => {
    const input = [portArticle(1, { actors: [MOREAU] }), portArticle(2), portArticle(3)];
    const before = await rowCounts(server.db);
    const { addArticles } = dataOf(await server.gql<AddedArticles>(ADD_ARTICLES, { input }));
    expect(addArticles.results.map((r) => [r.created, r.article.slug])).toEqual([
      [false, 'port-report-1'],
      [false, 'port-report-2'],
      [false, 'port-report-3'],
    ]);
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('writes one article given twice in the same call once', async () => {
    const before = await rowCounts(server.db);
    const twice = portArticle(4);
    const { addArticles } = dataOf(await server.gql<AddedArticles>(ADD_ARTICLES, { input: [twice, twice] }));
    expect(addArticles.results.map((r) => [r.created, r.article.slug])).toEqual([
      [true, 'port-report-4'],
      [false, 'port-report-4'],
    ]);
    expect((await rowCounts(server.db)).articles).toBe(before.articles + 1);
  });

  it('refuses one article twice in a call with two annotations, naming the second, and writes neither', async () => {
    const before = await rowCounts(server.db);
    const other = portArticle(5, { quotes: [] });
    const res = await server.gql(ADD_ARTICLES, { input: [portArticle(5), other] });
    expect(res.errors?.[0]?.message).toBe(
      'input[1].body is the body of "port-report-5", earlier in the same batch under the same title with another annotation: send one of them',
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', inputIndex: 1, field: 'input[1].body' });
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it.each([
    [
      'a check that needs no database',
      [portArticle(6), portArticle(7, { title: '' })],
      'input[1].title must not be empty',
      { code: 'BAD_USER_INPUT', inputIndex: 1, field: 'input[1].title' },
    ],
    [
      'an unknown speaker',
      [
        portArticle(8),
        portArticle(9),
        portArticle(10, { quotes: [{ text: 'berth 10 is open', speaker: 'Nobody Here', kind: 'PARTIAL' }] }),
      ],
      'input[2].quotes[0].speaker "Nobody Here" is not a known actor; declare it in input.actors',
      { code: 'BAD_USER_INPUT', inputIndex: 2, field: 'input[2].quotes[0].speaker' },
    ],
    [
      'a fault in a call of one article',
      [portArticle(11, { topics: ['x'.repeat(201)] })],
      'input[0].topics[0] is 201 characters long; the limit is 200',
      { code: 'BAD_USER_INPUT', inputIndex: 0, field: 'input[0].topics[0]' },
    ],
  ])('rejects the whole call for %s, naming the input by position', async (_case, input, message, extensions) => {
    const before = await rowCounts(server.db);
    const res = await server.gql(ADD_ARTICLES, { input });
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => e.message)).toEqual([message]);
    expect(res.errors?.[0]?.extensions).toMatchObject(extensions);
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it.each([
    ['more than 100 articles', 101, 'input has 101 articles; the limit is 100'],
    ['no article', 0, 'input is empty; send at least one article'],
  ])('refuses %s before reading any', async (_case, size, message) => {
    const before = await rowCounts(server.db);
    const input = Array.from({ length: size }, (_, i) => portArticle(1000 + i));
    const res = await server.gql(ADD_ARTICLES, { input });
    expect(res.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([[message, 'BAD_USER_INPUT']]);
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('needs the write token when the server has one', async () => {
    const guarded = await startTestServer({ seed: false, server: { writeToken: 'secret' } });
    try {
      const res = await guarded.gql(ADD_ARTICLES, { input: [portArticle(1, { actors: [MOREAU] })] });
      expect([res.status, res.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
      expect((await rowCounts(guarded.db)).articles).toBe(0);
    } finally {
      await guarded.close();
    }
  });
});
