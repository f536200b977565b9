import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddArticleInput } from '../src/generated/graphql.js';
import { saveArticle } from '../src/services/articles.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

// Every orderBy of every list, root and child, paged through one, two and three at a time on data
// full of ties and NULLs: three articles on one day, two titles that differ only in case and two
// that are equal, undated articles, actors quoted as often as each other, last quoted on the same
// day, quoted only in undated articles, or never. The pages put together must be the whole list in
// the order the schema documents (worked out here from the rows' own fields), with nothing twice
// and nothing missing; a cursor of one order is refused by another.

interface ArticleSpec {
  title: string;
  publishedAt: string | null;
  /** Speaker and how many quotes. */
  quotes: [string, number][];
  positions: [actor: string, topic: string, stance: 'SUPPORT' | 'OPPOSE' | 'NEUTRAL' | 'MIXED'][];
  /** Actors mentioned without being quoted. */
  mentions?: string[];
  /** Topics of the article besides those of its positions. */
  topics?: string[];
}

const ARTICLES: ArticleSpec[] = [
  {
    title: 'Budget',
    publishedAt: '2024-03-01T00:00:00.000Z',
    quotes: [
      ['Ada', 2],
      ['Bo', 1],
    ],
    positions: [
      ['Ada', 'Tolls', 'SUPPORT'],
      ['Ada', 'Ferries', 'MIXED'],
      ['Bo', 'Tolls', 'OPPOSE'],
    ],
  },
  {
    title: 'budget',
    publishedAt: '2024-03-01T00:00:00.000Z',
    quotes: [
      ['Zed', 1],
      ['Ada', 1],
    ],
    positions: [['Zed', 'Tolls', 'SUPPORT']],
  },
  {
    title: 'Budget',
    publishedAt: '2024-02-01T00:00:00.000Z',
    quotes: [
      ['Bo', 2],
      ['Émile', 1],
    ],
    positions: [
      ['Émile', 'Tolls', 'NEUTRAL'],
      ['Bo', 'Ferries', 'OPPOSE'],
    ],
  },
  {
    title: 'Äpfel',
    publishedAt: null,
    quotes: [
      ['Dee', 1],
      ['Ada', 1],
      ['bea', 1],
    ],
    positions: [
      ['Dee', 'Tolls', 'MIXED'],
      ['Ada', 'Tolls', 'OPPOSE'],
    ],
  },
  {
    title: 'Zoning',
    publishedAt: null,
    quotes: [
      ['bea', 1],
      ['Émile', 1],
    ],
    positions: [['bea', 'Tolls', 'SUPPORT']],
    topics: ['zoning', 'Élan'],
  },
  { title: 'Apples', publishedAt: '2024-01-15T00:00:00.000Z', quotes: [['Zed', 1]], positions: [['Zed', 'Ferries', 'MIXED']] },
  {
    title: 'Harbour',
    publishedAt: '2024-03-01T00:00:00.000Z',
    quotes: [['Ada', 1]],
    positions: [['Ada', 'Ferries', 'SUPPORT']],
    mentions: ['Cy'],
    topics: ['Harbour'],
  },
];

function inputOf(spec: ArticleSpec, n: number): AddArticleInput {
  const quotes = spec.quotes.flatMap(([speaker, count]) =>
    Array.from({ length: count }, (_, i) => ({ text: `${speaker} point ${n}.${i}`, speaker, kind: 'PARTIAL' as const })),
  );
  const names = [...new Set([...spec.quotes.map(([name]) => name), ...spec.positions.map(([name]) => name), ...(spec.mentions ?? [])])];
  return {
    title: spec.title,
    slug: `article-${n}`,
    body: quotes.map((quote) => `${quote.speaker} said “${quote.text}”.`).join(' ') || 'Nothing said.',
    publishedAt: spec.publishedAt === null ? null : new Date(spec.publishedAt),
    topics: [...new Set([...spec.positions.map(([, topic]) => topic), ...(spec.topics ?? [])])],
    actors: [{ name: 'Union', kind: 'ORGANIZATION' }, ...names.map((name) => ({ name, kind: 'PERSON' as const, affiliation: 'Union' }))],
    quotes,
    positions: spec.positions.map(([actor, topic, stance]) => ({ actor, topic, stance, summary: `${actor} on ${topic}.` })),
  };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seed: false });
  for (const [i, spec] of ARTICLES.entries()) await saveArticle(server.db, inputOf(spec, i + 1));
});
afterAll(() => server.close());

/** The row id inside a global id: the order of addition that ties fall back on. */
const rowId = (globalId: string) => Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);

type Value = string | number | null;
interface Key<T> {
  of: (row: T) => Value;
  descending?: boolean;
}

/** A comparator for keys in order, NULLs last whichever the direction, text by code unit (all of it here in the BMP). */
function orderOf<T>(...keys: Key<T>[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = key.of(a);
      const y = key.of(b);
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      const before = x < y ? -1 : 1;
      return key.descending ? -before : before;
    }
    return 0;
  };
}

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
}
const PAGE = 'totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }';

/** The one connection in an answer, however deep. */
function connectionIn(value: unknown): Page {
  if (value !== null && typeof value === 'object') {
    if ('edges' in value) return value as Page;
    for (const inner of Object.values(value)) {
      const found = inner === null || typeof inner !== 'object' ? null : connectionIn(inner);
      if (found) return found;
    }
  }
  throw new Error(`no connection in ${JSON.stringify(value)}`);
}

/** A list's query, given its paging arguments (`first: 2, after: "..."`) and order. */
type List = (args: string) => string;

async function pageOf(list: List, args: string): Promise<Page> {
  return connectionIn(dataOf(await server.gql(`{ ${list(args)} }`)));
}

/** Every item of the list, `size` at a time from the first page to the last. */
async function walk(list: List, orderBy: string, size: number): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 200; pages += 1) {
    const cursor: string = after === null ? '' : `, after: ${JSON.stringify(after)}`;
    const page = await pageOf(list, `first: ${size}, orderBy: ${orderBy}${cursor}`);
    expect(page.edges.length).toBeLessThanOrEqual(size);
    ids.push(...page.edges.map((edge) => edge.node.id));
    totals.push(page.totalCount);
    if (!page.pageInfo.hasNextPage) return { ids, totals };
    expect(page.edges.length).toBe(size);
    after = page.pageInfo.endCursor;
  }
  throw new Error('the pages never ended');
}

/** Pages through `list` in each order and checks the pages against the order worked out from `rows`. */
async function checkOrders<T extends { id: string }>(list: List, rows: T[], orders: Record<string, (a: T, b: T) => number>) {
  expect(rows.length).toBeGreaterThan(3);
  for (const [orderBy, compare] of Object.entries(orders)) {
    const expected = [...rows].sort(compare).map((row) => row.id);
    const whole = await walk(list, orderBy, 100);
    expect(whole.ids, orderBy).toEqual(expected);
    for (const size of [1, 2, 3]) {
      const paged = await walk(list, orderBy, size);
      expect(paged.ids, `${orderBy}, ${size} at a time`).toEqual(expected);
      expect(new Set(paged.ids).size).toBe(paged.ids.length);
      expect(new Set(paged.totals)).toEqual(new Set([expected.length]));
    }
  }
}

interface ArticleFields {
  id: string;
  title: string;
  publishedAt: string | null;
}
const ARTICLE_ORDERS = {
  PUBLISHED_AT_DESC: orderOf<ArticleFields>({ of: (a) => a.publishedAt, descending: true }, { of: (a) => rowId(a.id), descending: true }),
  PUBLISHED_AT_ASC: orderOf<ArticleFields>({ of: (a) => a.publishedAt }, { of: (a) => rowId(a.id) }),
  TITLE_ASC: orderOf<ArticleFields>({ of: (a) => a.title }, { of: (a) => rowId(a.id) }),
  TITLE_DESC: orderOf<ArticleFields>({ of: (a) => a.title, descending: true }, { of: (a) => rowId(a.id), descending: true }),
};

interface ActorFields {
  id: string;
  name: string;
  quoteCount: number;
  lastQuoted: string | null;
}
const ACTOR_ORDERS = {
  NAME_ASC: orderOf<ActorFields>({ of: (a) => a.name }, { of: (a) => rowId(a.id) }),
  NAME_DESC: orderOf<ActorFields>({ of: (a) => a.name, descending: true }, { of: (a) => rowId(a.id), descending: true }),
  QUOTE_COUNT_DESC: orderOf<ActorFields>({ of: (a) => a.quoteCount, descending: true }, { of: (a) => a.name }, { of: (a) => rowId(a.id) }),
  QUOTE_COUNT_ASC: orderOf<ActorFields>({ of: (a) => a.quoteCount }, { of: (a) => a.name }, { of: (a) => rowId(a.id) }),
  LAST_QUOTED_DESC: orderOf<ActorFields>({ of: (a) => a.lastQuoted, descending: true }, { of: (a) => a.name }, { of: (a) => rowId(a.id) }),
  LAST_QUOTED_ASC: orderOf<ActorFields>({ of: (a) => a.lastQuoted }, { of: (a) => a.name }, { of: (a) => rowId(a.id) }),
};

/** A quote or position: what its orders read. */
interface ItemFields {
  id: string;
  articleId: number;
  publishedAt: string | null;
}
const ITEM_ORDERS = {
  ADDED_ASC: orderOf<ItemFields>({ of: (q) => rowId(q.id) }),
  ADDED_DESC: orderOf<ItemFields>({ of: (q) => rowId(q.id), descending: true }),
  PUBLISHED_AT_DESC: orderOf<ItemFields>(
    { of: (q) => q.publishedAt, descending: true },
    { of: (q) => q.articleId, descending: true },
    { of: (q) => rowId(q.id) },
  ),
  PUBLISHED_AT_ASC: orderOf<ItemFields>({ of: (q) => q.publishedAt }, { of: (q) => q.articleId }, { of: (q) => rowId(q.id) }),
};

interface Everything {
  articles: ArticleFields[];
  actors: ActorFields[];
  quotes: (ItemFields & { speaker: string })[];
  positions: (ItemFields & { actor: string; topic: string })[];
  topics: { id: string; name: string }[];
}

/** Every row with the fields the orders read, from fields no order touches. */
async function everything(): Promise<Everything> {
  type Item = { id: string; article: { id: string; publishedAt: string | null } };
  const data = dataOf(
    await server.gql<{
      articles: { nodes: ArticleFields[] };
      actors: { nodes: { id: string; name: string }[] };
      quotes: { nodes: (Item & { speaker: { name: string } })[] };
      positions: { nodes: (Item & { actor: { name: string }; topic: { name: string } })[] };
      topics: { nodes: { id: string; name: string }[] };
    }>(`{
      articles(first: 100) { nodes { id title publishedAt } }
      actors(first: 100) { nodes { id name } }
      quotes(first: 100) { nodes { id speaker { name } article { id publishedAt } } }
      positions(first: 100) { nodes { id actor { name } topic { name } article { id publishedAt } } }
      topics(first: 100) { nodes { id name } }
    }`),
  );
  const item = (row: Item): ItemFields => ({ id: row.id, articleId: rowId(row.article.id), publishedAt: row.article.publishedAt });
  const quotes = data.quotes.nodes.map((q) => ({ ...item(q), speaker: q.speaker.name }));
  const actors = data.actors.nodes.map((actor) => {
    const own = quotes.filter((q) => q.speaker === actor.name);
    const dates = own.flatMap((q) => (q.publishedAt === null ? [] : [q.publishedAt])).sort();
    return { ...actor, quoteCount: own.length, lastQuoted: dates.at(-1) ?? null };
  });
  return {
    articles: data.articles.nodes,
    actors,
    quotes,
    positions: data.positions.nodes.map((p) => ({ ...item(p), actor: p.actor.name, topic: p.topic.name })),
    topics: data.topics.nodes,
  };
}

let all: Everything;
beforeAll(async () => {
  all = await everything();
});

describe('the data', () => {
  it('has ties and NULLs for every order to get right', () => {
    const count = <T>(rows: T[], of: (row: T) => unknown) => {
      const counts = new Map<unknown, number>();
      for (const row of rows) counts.set(of(row), (counts.get(of(row)) ?? 0) + 1);
      return counts;
    };
    expect(count(all.articles, (a) => a.publishedAt).get('2024-03-01T00:00:00.000Z')).toBe(3);
    expect(count(all.articles, (a) => a.publishedAt).get(null)).toBe(2);
    expect(count(all.articles, (a) => a.title).get('Budget')).toBe(2);
    expect(count(all.actors, (a) => a.quoteCount).get(0)).toBe(2);
    expect(count(all.actors, (a) => a.quoteCount).get(2)).toBe(3);
    expect(count(all.actors, (a) => a.lastQuoted).get('2024-03-01T00:00:00.000Z')).toBe(3);
    expect(count(all.actors, (a) => a.lastQuoted).get(null)).toBe(4);
  });
});

describe('root lists page through every order', () => {
  it('articles: by publication date and by title, both ways', async () => {
    await checkOrders((args) => `articles(${args}) { ${PAGE} }`, all.articles, ARTICLE_ORDERS);
  });

  it('actors: by name, by quote count and by when last quoted, both ways', async () => {
    await checkOrders((args) => `actors(${args}) { ${PAGE} }`, all.actors, ACTOR_ORDERS);
  });

  it("quotes: as added and by their article's date, both ways", async () => {
    await checkOrders((args) => `quotes(${args}) { ${PAGE} }`, all.quotes, ITEM_ORDERS);
  });

  it("positions: as added and by their article's date, both ways", async () => {
    await checkOrders((args) => `positions(${args}) { ${PAGE} }`, all.positions, ITEM_ORDERS);
  });

  it('topics: by name, both ways', async () => {
    await checkOrders((args) => `topics(${args}) { ${PAGE} }`, all.topics, {
      NAME_ASC: orderOf({ of: (t) => t.name }, { of: (t) => rowId(t.id) }),
      NAME_DESC: orderOf({ of: (t) => t.name, descending: true }, { of: (t) => rowId(t.id), descending: true }),
    });
  });
});

describe('child lists page through every order', () => {
  const articlesOf = (ids: string[]) => all.articles.filter((a) => ids.includes(a.id));

  it("an actor's quotes, positions and articles", async () => {
    await checkOrders(
      (args) => `actor(name: "Ada") { quotes(${args}) { ${PAGE} } }`,
      all.quotes.filter((q) => q.speaker === 'Ada'),
      ITEM_ORDERS,
    );
    await checkOrders(
      (args) => `actor(name: "Ada") { positions(${args}) { ${PAGE} } }`,
      all.positions.filter((p) => p.actor === 'Ada'),
      ITEM_ORDERS,
    );
    const mentioning = dataOf(
      await server.gql<{ actor: { articles: { nodes: { id: string }[] } } }>(
        '{ actor(name: "Ada") { articles(first: 100) { nodes { id } } } }',
      ),
    ).actor.articles.nodes.map((a) => a.id);
    await checkOrders((args) => `actor(name: "Ada") { articles(${args}) { ${PAGE} } }`, articlesOf(mentioning), ARTICLE_ORDERS);
  });

  it("a topic's positions, filtered or not, and its articles", async () => {
    await checkOrders(
      (args) => `topic(slug: "tolls") { positions(${args}) { ${PAGE} } }`,
      all.positions.filter((p) => p.topic === 'Tolls'),
      ITEM_ORDERS,
    );
    await checkOrders(
      (args) => `topic(slug: "tolls") { positions(${args}, filter: { publishedAfter: "2024-02-01T00:00:00Z" }) { ${PAGE} } }`,
      all.positions.filter((p) => p.topic === 'Tolls' && p.publishedAt !== null && p.publishedAt >= '2024-02-01'),
      { ADDED_ASC: ITEM_ORDERS.ADDED_ASC, PUBLISHED_AT_DESC: ITEM_ORDERS.PUBLISHED_AT_DESC },
    );
    const about = dataOf(
      await server.gql<{ topic: { articles: { nodes: { id: string }[] } } }>(
        '{ topic(slug: "tolls") { articles(first: 100) { nodes { id } } } }',
      ),
    ).topic.articles.nodes.map((a) => a.id);
    await checkOrders((args) => `topic(slug: "tolls") { articles(${args}) { ${PAGE} } }`, articlesOf(about), ARTICLE_ORDERS);
  });

  it("an organization's members", async () => {
    await checkOrders(
      (args) => `actor(name: "Union") { members(${args}) { ${PAGE} } }`,
      all.actors.filter((a) => a.name !== 'Union'),
      ACTOR_ORDERS,
    );
  });
});

describe('cursors', () => {
  const endCursor = async (list: List, args: string) => {
    const page = await pageOf(list, args);
    expect(page.pageInfo.hasNextPage).toBe(true);
    return page.pageInfo.endCursor ?? '';
  };
  const refusal = async (list: List, args: string) => {
    const response = await server.gql(`{ ${list(args)} }`);
    return response.errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.field]);
  };
  const actors: List = (args) => `actors(${args}) { ${PAGE} }`;
  const adaQuotes: List = (args) => `actor(name: "Ada") { quotes(${args}) { ${PAGE} } }`;

  it('of one order are refused by another, naming after', async () => {
    const byName = await endCursor(actors, 'first: 2');
    expect(await refusal(actors, `first: 2, after: "${byName}", orderBy: QUOTE_COUNT_DESC`)).toEqual([
      [
        'after is a cursor of orderBy NAME_ASC, and this list is ordered by QUOTE_COUNT_DESC: pass the same orderBy, or start again without after',
        'BAD_USER_INPUT',
        'after',
      ],
    ]);
    const newest = await endCursor(adaQuotes, 'first: 2, orderBy: PUBLISHED_AT_DESC');
    expect(await refusal(adaQuotes, `first: 2, after: "${newest}", orderBy: PUBLISHED_AT_ASC`)).toEqual([
      [
        'after is a cursor of orderBy PUBLISHED_AT_DESC, and this list is ordered by PUBLISHED_AT_ASC: pass the same orderBy, or start again without after',
        'BAD_USER_INPUT',
        'after',
      ],
    ]);
  });

  it('of the default order serve the same order asked for by name', async () => {
    const byName = await endCursor(actors, 'first: 2');
    expect((await pageOf(actors, `first: 2, after: "${byName}", orderBy: NAME_ASC`)).edges).toHaveLength(2);
  });

  it.each([
    ['a date that is not one', ['PUBLISHED_AT_DESC', 'soon', 3, 1]],
    ['a NULL where the key has none', ['PUBLISHED_AT_DESC', '2024-03-01T00:00:00.000Z', null, 1]],
    ['text where a number belongs', ['ADDED_ASC', 'seven']],
    ['too few values', ['PUBLISHED_AT_DESC', null]],
  ])('holding %s are refused', async (_name, key) => {
    const forged = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
    expect(await refusal(adaQuotes, `first: 2, after: "${forged}", orderBy: ${String(key[0])}`)).toEqual([
      [`after "${forged}" is not a cursor from this connection`, 'BAD_USER_INPUT', 'after'],
    ]);
  });
});
