import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, rowCounts, startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const ADD_ARTICLE = `mutation ($input: AddArticleInput!) {
  addArticle(input: $input) {
    article {
      id slug title source url publishedAt
      actors { name aliases affiliation { name } }
      quotes { text kind startOffset endOffset channel speaker { id name } }
      positions { stance summary actor { name } topic { name } quote { text } }
      topics { name }
    }
  }
}`;

interface AddedArticle {
  addArticle: {
    article: {
      id: string;
      slug: string;
      url: string | null;
      publishedAt: string | null;
      actors: { name: string; aliases: string[]; affiliation: { name: string } | null }[];
      quotes: {
        text: string;
        kind: string;
        startOffset: number | null;
        endOffset: number | null;
        channel: string | null;
        speaker: { id: string; name: string } | null;
      }[];
      positions: { stance: string; actor: { name: string }; topic: { name: string }; quote: { text: string } | null }[];
      topics: { name: string }[];
    };
  };
}

/** A small valid article; tests override the parts they are about. */
function articleInput(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Xi meets Lula in Beijing',
    body: 'President Xi welcomed Brazil\u2019s Lula da Silva. \u201CWe seek peace,\u201D Lula said. Xi praised \u201Cdeep friendship\u201D with Brazil.',
    slug: 'xi-meets-lula',
    source: 'Example Wire',
    url: 'https://example.com/xi-lula',
    publishedAt: '2023-04-14T09:30:00.000Z',
    topics: ['China–Brazil relations'],
    actors: [
      { name: 'Luiz Inácio Lula da Silva', kind: 'PERSON', aliases: ['Lula', 'Lula da Silva'], affiliation: 'Brazil' },
      { name: 'Brazil', kind: 'COUNTRY', aliases: ['Brazilian'] },
      { name: 'Xi Jinping', kind: 'PERSON', aliases: ['President Xi', 'Chinese leader Xi'] },
    ],
    quotes: [
      { text: 'We seek peace,', speaker: 'Lula', kind: 'DIRECT' },
      { text: 'deep friendship', speaker: 'Xi', kind: 'PARTIAL', channel: 'state media' },
    ],
    positions: [
      { actor: 'Xi', topic: 'China–Brazil relations', stance: 'SUPPORT', summary: 'Praises a deep friendship.', quote: 'deep friendship' },
    ],
    ...overrides,
  };
}

describe('addArticle', () => {
  it('stores an annotated article and returns it with its graph', async () => {
    const response = await server.gql<AddedArticle>(ADD_ARTICLE, { input: articleInput() });
    const { article } = dataOf(response).addArticle;
    expect(article.slug).toBe('xi-meets-lula');
    expect(article.publishedAt).toBe('2023-04-14T09:30:00.000Z');
    expect(article.quotes.map((q) => [q.text, q.kind, q.startOffset, q.endOffset, q.speaker?.name])).toEqual([
      ['We seek peace,', 'DIRECT', 47, 61, 'Luiz Inácio Lula da Silva'],
      ['deep friendship', 'PARTIAL', 86, 101, 'Xi Jinping'],
    ]);
    expect(article.actors.find((a) => a.name === 'Luiz Inácio Lula da Silva')?.affiliation).toEqual({ name: 'Brazil' });
    expect(article.positions).toEqual([
      {
        stance: 'SUPPORT',
        summary: 'Praises a deep friendship.',
        actor: { name: 'Xi Jinping' },
        topic: { name: 'China–Brazil relations' },
        quote: { text: 'deep friendship' },
      },
    ]);
  });

  it('serves the dates it stored, whichever way the article is reached', async () => {
    const stored = await server.storage.writer.article.findUniqueOrThrow({ where: { slug: 'xi-meets-lula' } });
    const dates = {
      publishedAt: '2023-04-14T09:30:00.000Z',
      createdAt: stored.createdAt.toISOString(),
      updatedAt: stored.updatedAt.toISOString(),
    };
    const fields = 'slug publishedAt createdAt updatedAt';
    const data = dataOf(
      await server.gql<{
        articles: { nodes: Record<string, string>[] };
        article: Record<string, string>;
        topic: { positions: { nodes: { article: Record<string, string> }[] } };
        actor: { quotes: { nodes: { article: Record<string, string> }[] } };
      }>(
        `{ articles(first: 1) { nodes { ${fields} } } article(slug: "xi-meets-lula") { ${fields} }
           topic(slug: "china-brazil-relations") { positions { nodes { article { ${fields} } } } }
           actor(name: "Lula") { quotes { nodes { article { ${fields} } } } } }`,
      ),
    );
    const expected = { slug: 'xi-meets-lula', ...dates };
    expect(data.articles.nodes).toEqual([expected]);
    expect(data.article).toEqual(expected);
    expect(data.topic.positions.nodes.map((p) => p.article)).toEqual([expected]);
    expect(data.actor.quotes.nodes.map((q) => q.article)).toEqual([expected]);
  });

  it('matches "Xi Jinping" to the stored actor and merges its new aliases', async () => {
    const { actor, actors } = dataOf(
      await server.gql<{
        actor: { id: string; aliases: string[]; description: string; articles: { totalCount: number; nodes: { slug: string }[] } };
        actors: { totalCount: number };
      }>(
        `{ actor(name: "Chinese leader Xi") { id aliases description articles { totalCount nodes { slug } } }
           actors(filter: { search: "xi jinping" }) { totalCount } }`,
      ),
    );
    expect(actors.totalCount).toBe(1);
    expect(actor.aliases).toEqual(['President Xi Jinping', 'President Xi', 'Xi', 'Chinese President Xi Jinping', 'Chinese leader Xi']);
    expect(actor.description).toBe('President of China');
    // Newest first: the Lula article has a publication date, the seed article has none.
    expect(actor.articles).toEqual({ totalCount: 2, nodes: [{ slug: 'xi-meets-lula' }, { slug: 'xi-zelensky-phone-call' }] });
  });

  it('refers to stored actors and topics without declaring them again', async () => {
    const input = {
      title: 'Kirby on talks',
      body: 'John Kirby said talks were \u201Cworth watching\u201D.',
      quotes: [{ text: 'worth watching', speaker: 'kirby', kind: 'PARTIAL' }],
      positions: [{ actor: 'John Kirby', topic: "china's neutrality", stance: 'NEUTRAL', summary: 'Watching.' }],
    };
    const { article } = dataOf(await server.gql<AddedArticle>(ADD_ARTICLE, { input })).addArticle;
    expect(article.slug).toBe('kirby-on-talks');
    expect(article.quotes[0]?.speaker?.name).toBe('John Kirby');
    expect(article.actors.map((a) => a.name)).toEqual(['John Kirby']);
    expect(article.topics).toEqual([{ name: "China's neutrality" }]);
  });

  it('derives a fresh slug when two articles share a title', async () => {
    const input = { title: 'Kirby on talks', body: 'Another story with the same headline.' };
    const { article } = dataOf(await server.gql<AddedArticle>(ADD_ARTICLE, { input })).addArticle;
    expect(article.slug).toBe('kirby-on-talks-2');
  });

  it('locates a quote inside quote marks when its words also occur unquoted', async () => {
    const input = {
      title: 'Repeated words',
      body: 'peace now, he said. Later: \u201Cpeace now\u201D and \u201Cpeace now\u201D.',
      quotes: [
        { text: 'peace now', kind: 'PARTIAL' },
        { text: 'peace now', kind: 'PARTIAL' },
      ],
    };
    const { article } = dataOf(await server.gql<AddedArticle>(ADD_ARTICLE, { input })).addArticle;
    expect(article.quotes.map((q) => q.startOffset)).toEqual([28, 44]);
  });

  it('keeps an INDIRECT paraphrase that is not verbatim, without offsets', async () => {
    const input = {
      title: 'Paraphrase',
      body: 'The minister spoke at length.',
      quotes: [{ text: 'The minister said the plan would work.', kind: 'INDIRECT' }],
    };
    const { article } = dataOf(await server.gql<AddedArticle>(ADD_ARTICLE, { input })).addArticle;
    expect(article.quotes).toEqual([
      {
        text: 'The minister said the plan would work.',
        kind: 'INDIRECT',
        startOffset: null,
        endOffset: null,
        channel: null,
        speaker: null,
      },
    ]);
  });

  it('stores SQL-looking and script-looking text verbatim', async () => {
    const body = "Robert'); DROP TABLE Article;-- wrote <script>alert(1)</script> here.";
    const input = { title: '<b>Bobby</b> tables', body, quotes: [{ text: "Robert'); DROP TABLE Article;--", kind: 'DIRECT' }] };
    const { article } = dataOf(await server.gql<AddedArticle>(ADD_ARTICLE, { input })).addArticle;
    expect(article.quotes[0]?.text).toBe("Robert'); DROP TABLE Article;--");
    const again = dataOf(
      await server.gql<{ article: { title: string; body: string } }>(`query ($slug: String!) { article(slug: $slug) { title body } }`, {
        slug: article.slug,
      }),
    );
    expect(again.article).toEqual({ title: '<b>Bobby</b> tables', body });
  });
});

describe('addArticle with bad input', () => {
  const withQuote = (quote: Record<string, unknown>) => articleInput({ slug: 'bad-one', url: null, quotes: [quote], positions: [] });
  it.each([
    ['an empty title', { title: '   ' }, 'input.title must not be empty'],
    ['an empty body', { body: '\n\n' }, 'input.body must not be empty'],
    [
      'an unknown speaker',
      { slug: 'bad-one', url: null, quotes: [{ text: 'We seek peace,', speaker: 'Foo', kind: 'DIRECT' }], positions: [] },
      'input.quotes[0].speaker "Foo" is not a known actor; declare it in input.actors',
    ],
    [
      'a DIRECT quote not in the body',
      withQuote({ text: 'We seek war', kind: 'DIRECT' }),
      'input.quotes[0].text "We seek war" does not occur in the article body; a DIRECT quote must be quoted verbatim',
    ],
    [
      'a PARTIAL quote not in the body',
      withQuote({ text: 'shallow friendship', kind: 'PARTIAL' }),
      'input.quotes[0].text "shallow friendship" does not occur in the article body; a PARTIAL quote must be quoted verbatim',
    ],
    [
      'an unknown position actor',
      { slug: 'bad-one', url: null, positions: [{ actor: 'Nobody', topic: 'China–Brazil relations', stance: 'SUPPORT', summary: 'x' }] },
      'input.positions[0].actor "Nobody" is not a known actor; declare it in input.actors',
    ],
    [
      'an unknown topic',
      { slug: 'bad-one', url: null, positions: [{ actor: 'Xi', topic: 'Weather on Mars', stance: 'SUPPORT', summary: 'x' }] },
      'input.positions[0].topic "Weather on Mars" is not a known topic; list it in input.topics',
    ],
    [
      'an unknown affiliation',
      {
        slug: 'bad-one',
        url: null,
        actors: [{ name: 'Ana Ruiz', kind: 'PERSON', affiliation: 'Ministry of Nothing' }],
        quotes: [],
        positions: [],
      },
      'input.actors[0].affiliation "Ministry of Nothing" is not a known actor; declare it in input.actors',
    ],
    [
      'a self-affiliation',
      {
        slug: 'bad-one',
        url: null,
        actors: [{ name: 'Ana Ruiz', kind: 'PERSON', aliases: ['Ruiz'], affiliation: 'Ruiz' }],
        quotes: [],
        positions: [],
      },
      'input.actors[0].affiliation "Ruiz" is the actor itself; an actor cannot be affiliated with itself',
    ],
    [
      'a position quote that is not a quote',
      {
        slug: 'bad-one',
        url: null,
        positions: [{ actor: 'Xi', topic: 'China–Brazil relations', stance: 'SUPPORT', summary: 'x', quote: 'not quoted' }],
      },
      'input.positions[0].quote "not quoted" is not the text of one of the article\'s quotes',
    ],
    [
      'a duplicate slug',
      { slug: 'xi-zelensky-phone-call', url: null },
      'input.slug "xi-zelensky-phone-call" is already used by another article',
    ],
    [
      'a duplicate url',
      { slug: 'bad-one', url: 'https://example.com/xi-lula' },
      'input.url "https://example.com/xi-lula" is already used by another article',
    ],
    ['a malformed slug', { slug: 'Not A Slug' }, 'input.slug "Not A Slug" must be lower-case letters and digits joined by single hyphens'],
    ['a url that is not a URL', { slug: 'bad-one', url: 'example dot com' }, 'input.url "example dot com" is not an absolute URL'],
    [
      'an actor declared twice',
      {
        slug: 'bad-one',
        url: null,
        actors: [
          { name: 'Brazil', kind: 'COUNTRY' },
          { name: 'brazil', kind: 'COUNTRY' },
        ],
        quotes: [],
        positions: [],
      },
      'input.actors[1].name "brazil" is already declared by input.actors[0].name',
    ],
    [
      'an alias that belongs to another stored actor',
      { slug: 'bad-one', url: null, actors: [{ name: 'Xi Jinping', kind: 'PERSON', aliases: ['Putin'] }], quotes: [], positions: [] },
      'input.actors[0].aliases[0] "Putin" already names the stored actor "Vladimir Putin", but input.actors[0].name "Xi Jinping" is "Xi Jinping"',
    ],
    ['a control character', { slug: 'bad-one', url: null, title: 'Bell\u0007 rings' }, 'input.title contains a control character'],
    ['a lone surrogate', { slug: 'bad-one', url: null, title: 'Broken \uD800 text' }, 'input.title contains an invalid UTF-16 surrogate'],
  ])('rejects %s, naming the field, and writes nothing', async (_case, overrides, message) => {
    const before = await rowCounts(server.db);
    const response = await server.gql(ADD_ARTICLE, { input: articleInput(overrides) });
    expect(response.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([[message, 'BAD_USER_INPUT']]);
    expect(response.data).toBeNull();
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('rejects an affiliation cycle and writes nothing', async () => {
    dataOf(
      await server.gql(ADD_ARTICLE, {
        input: {
          title: 'Cycle one',
          body: 'A and B.',
          actors: [
            { name: 'Alpha Corp', kind: 'ORGANIZATION', affiliation: 'Beta Corp' },
            { name: 'Beta Corp', kind: 'ORGANIZATION' },
          ],
        },
      }),
    );
    const before = await rowCounts(server.db);
    const response = await server.gql(ADD_ARTICLE, {
      input: { title: 'Cycle two', body: 'B and A.', actors: [{ name: 'Beta Corp', kind: 'ORGANIZATION', affiliation: 'Alpha Corp' }] },
    });
    expect(response.errors?.[0]?.message).toBe(
      'input.actors[0].affiliation "Alpha Corp" would make an affiliation cycle: it is already affiliated, directly or not, with this actor',
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('rejects an invalid enum value before any resolver runs', async () => {
    const before = await rowCounts(server.db);
    const response = await server.gql(ADD_ARTICLE, {
      input: articleInput({ slug: 'bad-one', url: null, actors: [{ name: 'X', kind: 'ALIEN' }] }),
    });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain('ALIEN');
    expect(await rowCounts(server.db)).toEqual(before);
  });
});

describe('the source filter', () => {
  it('finds a publisher whatever the case of its name, and only that publisher', async () => {
    const add = 'mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { slug } } }';
    for (const [title, source] of [
      ['Harbour dredging starts in May', 'Harbour Gazette'],
      ['Harbour dredging delayed again', 'Harbour Gazette Weekly'],
    ]) {
      dataOf(await server.gql(add, { input: { title, body: `${title}, the port authority said on Monday.`, source } }));
    }
    const query = 'query ($source: String!) { articles(filter: { source: $source }) { nodes { title source } } }';
    for (const source of ['Harbour Gazette', 'harbour gazette', 'HARBOUR GAZETTE']) {
      const { articles } = dataOf(await server.gql<{ articles: { nodes: { title: string; source: string }[] } }>(query, { source }));
      expect(articles.nodes).toEqual([{ title: 'Harbour dredging starts in May', source: 'Harbour Gazette' }]);
    }
  });
});
