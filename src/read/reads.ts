import * as actors from './actors.js';
import * as articles from './articles.js';
import * as positions from './positions.js';
import * as quotes from './quotes.js';
import { searchHits } from './search.js';
import type { ReadScope } from './sql.js';
import * as stats from './stats.js';
import type { ActorReads, ArticleReads, PositionReads, QuoteReads, Reads, SearchReads, StatsReads, TopicReads } from './store.js';
import * as topics from './topics.js';

/** Where a request's statements run: asked again for each statement, as it changes when the request ends. */
type Scope = () => ReadScope;

const articleReads = (scope: Scope): ArticleReads => ({
  byIds: (ids) => articles.articlesByIds(scope(), ids),
  detailsByIds: (ids) => articles.articleDetailsByIds(scope(), ids),
  bodiesByIds: (ids) => articles.articleBodies(scope(), ids),
  bySlug: (slug) => articles.articleBySlug(scope(), slug),
  list: (args, filter, orderBy) => articles.listArticles(scope(), args, filter, orderBy),
  pagesByActor: (ids, page) => articles.articlePagesByActor(scope(), ids, page),
  pagesByTopic: (ids, page) => articles.articlePagesByTopic(scope(), ids, page),
  countsByActor: (ids) => articles.articleCountsByActor(scope(), ids),
  countsByTopic: (ids) => articles.articleCountsByTopic(scope(), ids),
});

const actorReads = (scope: Scope): ActorReads => ({
  byIds: (ids) => actors.actorsByIds(scope(), ids),
  idOf: (reference) => actors.actorIdOf(scope(), reference),
  aliasesByIds: (ids) => actors.aliasesByActorIds(scope(), ids),
  memberPagesByAffiliation: (ids, page) => actors.memberPagesByAffiliation(scope(), ids, page),
  memberCountsByAffiliation: (ids) => actors.memberCountsByAffiliation(scope(), ids),
  byArticleIds: (ids) => actors.actorsByArticleIds(scope(), ids),
  list: (args, filter, orderBy) => actors.listActors(scope(), args, filter, orderBy),
});

const quoteReads = (scope: Scope): QuoteReads => ({
  byIds: (ids) => quotes.quotesByIds(scope(), ids),
  detailsByIds: (ids) => quotes.quoteDetailsByIds(scope(), ids),
  byArticleIds: (ids) => quotes.quotesByArticleIds(scope(), ids),
  pagesBySpeaker: (ids, page) => quotes.quotePagesBySpeaker(scope(), ids, page),
  countsBySpeaker: (ids, filter) => quotes.quoteCountsBySpeaker(scope(), ids, filter),
  list: (args, filter, orderBy) => quotes.listQuotes(scope(), args, filter, orderBy),
});

const positionReads = (scope: Scope): PositionReads => ({
  byIds: (ids) => positions.positionsByIds(scope(), ids),
  detailsByIds: (ids) => positions.positionDetailsByIds(scope(), ids),
  byArticleIds: (ids) => positions.positionsByArticleIds(scope(), ids),
  pagesByTopic: (ids, page) => positions.positionPagesByTopic(scope(), ids, page),
  pagesByActor: (ids, page) => positions.positionPagesByActor(scope(), ids, page),
  countsByTopic: (ids, filter) => positions.positionCountsByTopic(scope(), ids, filter),
  countsByActor: (ids, filter) => positions.positionCountsByActor(scope(), ids, filter),
  list: (args, filter, orderBy) => positions.listPositions(scope(), args, filter, orderBy),
});

const topicReads = (scope: Scope): TopicReads => ({
  byIds: (ids) => topics.topicsByIds(scope(), ids),
  bySlug: (slug) => topics.topicBySlug(scope(), slug),
  byArticleIds: (ids) => topics.topicsByArticleIds(scope(), ids),
  list: (args, orderBy) => topics.listTopics(scope(), args, orderBy),
});

const searchReads = (scope: Scope): SearchReads => ({
  list: (query, args, filter) => searchHits(scope(), query, args, filter),
});

const statsReads = (scope: Scope): StatsReads => ({
  quoteGroups: (groupBy, filter, first) => stats.quoteGroups(scope(), groupBy, filter, first),
  positionGroups: (groupBy, filter, first) => stats.positionGroups(scope(), groupBy, filter, first),
  stanceTimeline: (topic, bucket, filter) => stats.stanceTimeline(scope(), topic, bucket, filter),
});

/**
 * A request's reads over the entity modules, whichever the database: `scope` gives the statements
 * to run them on (the request's snapshot) each time one runs. Each entity's functions are made the
 * first time the request asks for that entity: a request reads two or three of the seven, and making
 * every function of every entity for each request was a measurable share of a small query's time.
 * The functions return the entity modules' promises as they are, without another async layer of
 * their own; their callers are DataLoader batch functions and async resolvers, which both turn a
 * synchronous throw (a read connection that cannot be opened) into an error.
 */
class SessionReads implements Reads {
  #articles?: ArticleReads;
  #actors?: ActorReads;
  #quotes?: QuoteReads;
  #positions?: PositionReads;
  #topics?: TopicReads;
  #search?: SearchReads;
  #stats?: StatsReads;

  constructor(
    private readonly scope: Scope,
    readonly end: () => void,
  ) {}

  get articles() {
    return (this.#articles ??= articleReads(this.scope));
  }
  get actors() {
    return (this.#actors ??= actorReads(this.scope));
  }
  get quotes() {
    return (this.#quotes ??= quoteReads(this.scope));
  }
  get positions() {
    return (this.#positions ??= positionReads(this.scope));
  }
  get topics() {
    return (this.#topics ??= topicReads(this.scope));
  }
  get search() {
    return (this.#search ??= searchReads(this.scope));
  }
  get stats() {
    return (this.#stats ??= statsReads(this.scope));
  }
}

export function readsOver(scope: Scope, end: () => void): Reads {
  return new SessionReads(scope, end);
}
