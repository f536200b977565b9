import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newsgraphTypePolicies } from '../web/src/apollo/type-policies.js';
import { startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
let client: ApolloClient;

beforeAll(async () => {
  server = await startTestServer();
  for (let n = 1; n <= 4; n += 1) {
    await server.gql(`mutation ($i: AddArticleInput!) { addArticle(input: $i) { article { id } } }`, {
      i: {
        title: `Follow-up ${n}`,
        body: `President Xi said \u201Cupdate ${n}\u201D.`,
        publishedAt: `2023-05-0${n}T00:00:00Z`,
        quotes: [{ text: `update ${n}`, speaker: 'Xi', kind: 'PARTIAL' }],
      },
    });
  }
  client = new ApolloClient({ link: new HttpLink({ uri: server.url }), cache: new InMemoryCache({ typePolicies: newsgraphTypePolicies }) });
});
afterAll(async () => {
  client.stop();
  await server.close();
});

const ARTICLE = gql`
  query SeedArticle {
    article(slug: "xi-zelensky-phone-call") {
      id
      title
      quotes {
        id
        text
        speaker {
          id
          name
        }
      }
      positions {
        id
        actor {
          id
          name
        }
      }
    }
  }
`;

const ACTOR_QUOTES = gql`
  query ActorQuotes($after: String) {
    actor(name: "Xi") {
      id
      name
      quotes(first: 2, after: $after) {
        edges {
          cursor
          node {
            id
            text
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const ARTICLES = gql`
  query Articles($after: String) {
    articles(first: 2, after: $after) {
      edges {
        cursor
        node {
          id
          slug
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const ACTOR_QUOTE_NODES = gql`
  query ActorQuoteNodes($after: String) {
    actor(name: "Xi") {
      id
      quotes(first: 2, after: $after) {
        nodes {
          id
          text
        }
        pageInfo {
          hasNextPage
          endCursor
        }
        totalCount
      }
    }
  }
`;

interface QuoteNodesPage {
  actor: {
    id: string;
    quotes: { nodes: { id: string; text: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string }; totalCount: number };
  };
}

interface QuotesPage {
  actor: { id: string; quotes: { edges: { node: { id: string; text: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
}
interface ArticlesPage {
  articles: { edges: { node: { id: string; slug: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
}

describe('Apollo Client against newsgraph', () => {
  it('normalizes the same actor reached through two paths into one cache entry', async () => {
    const { data } = await client.query({ query: ARTICLE });
    expect(data).toBeDefined();
    const cache = client.cache.extract() as Record<string, { __typename?: string; name?: string }>;
    const xiEntries = Object.entries(cache).filter(([, value]) => value.__typename === 'Actor' && value.name === 'Xi Jinping');
    expect(xiEntries).toHaveLength(1);
    const [key] = xiEntries[0] ?? [];
    expect(key).toMatch(/^Actor:/);
  });

  it("pages through an actor's quotes with fetchMore, without duplicates or gaps", async () => {
    const observable = client.watchQuery<QuotesPage>({ query: ACTOR_QUOTES });
    const subscription = observable.subscribe(() => undefined);
    try {
      let page = (await client.query<QuotesPage>({ query: ACTOR_QUOTES })).data;
      while (page?.actor.quotes.pageInfo.hasNextPage) {
        page = (await observable.fetchMore({ variables: { after: page.actor.quotes.pageInfo.endCursor } })).data;
      }
      const merged = client.readQuery<QuotesPage>({ query: ACTOR_QUOTES });
      const texts = merged?.actor.quotes.edges.map((e) => e.node.text);
      const direct = await server.gql<{ actor: { quotes: { nodes: { text: string }[] } } }>(
        `{ actor(name: "Xi") { quotes(first: 100) { nodes { text } } } }`,
      );
      expect(texts).toEqual(direct.data?.actor.quotes.nodes.map((q) => q.text));
      expect(texts).toHaveLength(9);
      expect(new Set(texts).size).toBe(9);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('pages a query that selects only nodes: fetchMore appends page 2 to page 1 instead of replacing it', async () => {
    const observable = client.watchQuery<QuoteNodesPage>({ query: ACTOR_QUOTE_NODES });
    const subscription = observable.subscribe(() => undefined);
    try {
      const first = (await client.query<QuoteNodesPage>({ query: ACTOR_QUOTE_NODES })).data;
      expect(first?.actor.quotes.nodes).toHaveLength(2);
      let page = first;
      let pages = 1;
      while (page?.actor.quotes.pageInfo.hasNextPage && pages < 10) {
        page = (await observable.fetchMore({ variables: { after: page.actor.quotes.pageInfo.endCursor } })).data;
        pages += 1;
      }
      const merged = client.readQuery<QuoteNodesPage>({ query: ACTOR_QUOTE_NODES });
      const direct = await server.gql<{ actor: { quotes: { nodes: { text: string }[] } } }>(
        `{ actor(name: "Xi") { quotes(first: 100) { nodes { text } } } }`,
      );
      const all = direct.data?.actor.quotes.nodes.map((q) => q.text);
      expect(all).toHaveLength(9);
      expect(pages).toBe(5);
      expect(merged?.actor.quotes.nodes.map((q) => q.text)).toEqual(all);
      expect(merged?.actor.quotes.totalCount).toBe(9);

      // Fetching page 2 again (after page 1's end) replaces pages 2 to 5 by the new page 2.
      await observable.fetchMore({ variables: { after: first?.actor.quotes.pageInfo.endCursor } });
      const again = client.readQuery<QuoteNodesPage>({ query: ACTOR_QUOTE_NODES });
      expect(again?.actor.quotes.nodes.map((q) => q.text)).toEqual(all?.slice(0, 4));
    } finally {
      subscription.unsubscribe();
    }
  });

  it('pages through articles with fetchMore', async () => {
    const observable = client.watchQuery<ArticlesPage>({ query: ARTICLES });
    const subscription = observable.subscribe(() => undefined);
    try {
      let page = (await client.query<ArticlesPage>({ query: ARTICLES })).data;
      while (page?.articles.pageInfo.hasNextPage) {
        page = (await observable.fetchMore({ variables: { after: page.articles.pageInfo.endCursor } })).data;
      }
      const merged = client.readQuery<ArticlesPage>({ query: ARTICLES });
      expect(merged?.articles.edges.map((e) => e.node.slug)).toEqual([
        'follow-up-4',
        'follow-up-3',
        'follow-up-2',
        'follow-up-1',
        'xi-zelensky-phone-call',
      ]);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('shows an article added by mutation in the cache', async () => {
    const result = await client.mutate<{ addArticle: { article: { id: string; slug: string; title: string } } }>({
      mutation: gql`
        mutation Add($input: AddArticleInput!) {
          addArticle(input: $input) {
            article {
              id
              slug
              title
            }
          }
        }
      `,
      variables: { input: { title: 'Fresh news', body: 'Nothing quoted yet.', publishedAt: '2023-06-01T00:00:00Z' } },
      refetchQueries: [{ query: ARTICLES }],
      awaitRefetchQueries: true,
    });
    const id = result.data?.addArticle.article.id ?? '';
    expect(
      client.cache.readFragment({
        id: client.cache.identify({ __typename: 'Article', id }),
        fragment: gql`
          fragment A on Article {
            title
          }
        `,
      }),
    ).toEqual({ __typename: 'Article', title: 'Fresh news' });
    const list = client.readQuery<ArticlesPage>({ query: ARTICLES });
    expect(list?.articles.edges[0]?.node.slug).toBe('fresh-news');
  });
});
