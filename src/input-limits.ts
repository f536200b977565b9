/**
 * How big any one value written or searched for may be. Each bound is far above what real news
 * needs (the seeds' longest title is 70 characters, longest quote 222) and low enough that no single
 * request can make storage, the search index or a quadratic step (FTS5 query planning, quote
 * location) hold the server. Lengths are in UTF-16 code units, as String.length counts them; the
 * README's "Limits on input" section and schema.graphql's descriptions quote these numbers.
 */
export const INPUT_LIMITS = {
  /** Characters in an article body; longer bodies are almost certainly not one article. */
  bodyLength: 1_000_000,
  titleLength: 500,
  slugLength: 200,
  sourceLength: 200,
  urlLength: 2_048,
  /** An actor's canonical name, an alias, an affiliation or a speaker reference. */
  nameLength: 200,
  /** Aliases one actor may have in total, stored and new together. */
  aliasesPerActor: 100,
  descriptionLength: 2_000,
  quoteLength: 5_000,
  channelLength: 200,
  topicLength: 200,
  summaryLength: 2_000,
  quotesPerArticle: 500,
  actorsPerArticle: 200,
  topicsPerArticle: 50,
  positionsPerArticle: 500,
  /** Articles per addArticles call; the request body limit (MAX_BODY_BYTES) bounds their size together. */
  articlesPerCall: 100,
  /** Characters in a search query (`Query.search`, `filter.search`). */
  searchLength: 500,
  /** Words in a search query: FTS5's query planning grows with the square of the terms. */
  searchTerms: 32,
  /** Prefix terms (`word*`) in a search query: each expands to every indexed word it starts. */
  searchPrefixTerms: 4,
  /** Letters a prefix term needs before its `*`, so `a*` cannot expand to most of the index. */
  searchPrefixLength: 3,
} as const;

export type InputLimit = keyof typeof INPUT_LIMITS;
