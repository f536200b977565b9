// The read queries the benchmark measures, shared by the harness and the baseline server.
export const QUERIES = {
  Q1: {
    title: 'article page',
    query: `{ articles(first: 20) { nodes { title quotes { text speaker { name } } positions { stance topic { name } } } } }`,
  },
  Q2: {
    title: 'actor profile',
    query: `query ($name: String!) { actor(name: $name) { quotes(first: 50) { nodes { text article { title publishedAt } } } positions { nodes { stance topic { name } } } } }`,
  },
  Q3: {
    title: 'topic board',
    query: `query ($slug: String!, $stance: Stance!) { topic(slug: $slug) { positions(stance: $stance) { nodes { actor { name kind } stance summary article { title } } } } }`,
  },
  Q4: {
    title: 'nested, actors by two paths',
    query: `{ articles(first: 20) { nodes { title actors { name affiliation { name } } quotes { text speaker { name affiliation { name } } } } } }`,
  },
  Q5: {
    title: 'aggregate, top 10 speakers on a topic in a month',
    query: `query ($topic: String!, $after: DateTime!, $before: DateTime!) { quoteStats(filter: { topic: $topic, publishedAfter: $after, publishedBefore: $before }, groupBy: [SPEAKER], first: 10) { count speaker { name kind } } }`,
  },
} as const;

export type QueryId = keyof typeof QUERIES;
