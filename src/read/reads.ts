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

// Each entity's reads are a class, its functions methods on the prototype: a request makes one
// small object per entity it reads, where closures made every function again for every request
// (a tenth of a small query's time went to making them and collecting them after).

class ArticleReadsOf implements ArticleReads {
  constructor(private readonly scope: Scope) {}
  byIds(ids: readonly number[]) {
    return articles.articlesByIds(this.scope(), ids);
  }
  detailsByIds(ids: readonly number[]) {
    return articles.articleDetailsByIds(this.scope(), ids);
  }
  bodiesByIds(ids: readonly number[]) {
    return articles.articleBodies(this.scope(), ids);
  }
  bySlug(slug: string) {
    return articles.articleBySlug(this.scope(), slug);
  }
  list(...args: Parameters<ArticleReads['list']>) {
    return articles.listArticles(this.scope(), ...args);
  }
  pagesByActor(...args: Parameters<ArticleReads['pagesByActor']>) {
    return articles.articlePagesByActor(this.scope(), ...args);
  }
  pagesByTopic(...args: Parameters<ArticleReads['pagesByTopic']>) {
    return articles.articlePagesByTopic(this.scope(), ...args);
  }
  countsByActor(ids: readonly number[]) {
    return articles.articleCountsByActor(this.scope(), ids);
  }
  countsByTopic(ids: readonly number[]) {
    return articles.articleCountsByTopic(this.scope(), ids);
  }
}

class ActorReadsOf implements ActorReads {
  constructor(private readonly scope: Scope) {}
  byIds(ids: readonly number[]) {
    return actors.actorsByIds(this.scope(), ids);
  }
  idOf(reference: string) {
    return actors.actorIdOf(this.scope(), reference);
  }
  aliasesByIds(ids: readonly number[]) {
    return actors.aliasesByActorIds(this.scope(), ids);
  }
  memberPagesByAffiliation(...args: Parameters<ActorReads['memberPagesByAffiliation']>) {
    return actors.memberPagesByAffiliation(this.scope(), ...args);
  }
  memberCountsByAffiliation(ids: readonly number[]) {
    return actors.memberCountsByAffiliation(this.scope(), ids);
  }
  byArticleIds(ids: readonly number[]) {
    return actors.actorsByArticleIds(this.scope(), ids);
  }
  list(...args: Parameters<ActorReads['list']>) {
    return actors.listActors(this.scope(), ...args);
  }
}

class QuoteReadsOf implements QuoteReads {
  constructor(private readonly scope: Scope) {}
  byIds(ids: readonly number[]) {
    return quotes.quotesByIds(this.scope(), ids);
  }
  detailsByIds(ids: readonly number[]) {
    return quotes.quoteDetailsByIds(this.scope(), ids);
  }
  byArticleIds(ids: readonly number[]) {
    return quotes.quotesByArticleIds(this.scope(), ids);
  }
  pagesBySpeaker(...args: Parameters<QuoteReads['pagesBySpeaker']>) {
    return quotes.quotePagesBySpeaker(this.scope(), ...args);
  }
  countsBySpeaker(...args: Parameters<QuoteReads['countsBySpeaker']>) {
    return quotes.quoteCountsBySpeaker(this.scope(), ...args);
  }
  list(...args: Parameters<QuoteReads['list']>) {
    return quotes.listQuotes(this.scope(), ...args);
  }
}

class PositionReadsOf implements PositionReads {
  constructor(private readonly scope: Scope) {}
  byIds(ids: readonly number[]) {
    return positions.positionsByIds(this.scope(), ids);
  }
  detailsByIds(ids: readonly number[]) {
    return positions.positionDetailsByIds(this.scope(), ids);
  }
  byArticleIds(ids: readonly number[]) {
    return positions.positionsByArticleIds(this.scope(), ids);
  }
  pagesByTopic(...args: Parameters<PositionReads['pagesByTopic']>) {
    return positions.positionPagesByTopic(this.scope(), ...args);
  }
  pagesByActor(...args: Parameters<PositionReads['pagesByActor']>) {
    return positions.positionPagesByActor(this.scope(), ...args);
  }
  countsByTopic(...args: Parameters<PositionReads['countsByTopic']>) {
    return positions.positionCountsByTopic(this.scope(), ...args);
  }
  countsByActor(...args: Parameters<PositionReads['countsByActor']>) {
    return positions.positionCountsByActor(this.scope(), ...args);
  }
  list(...args: Parameters<PositionReads['list']>) {
    return positions.listPositions(this.scope(), ...args);
  }
}

class TopicReadsOf implements TopicReads {
  constructor(private readonly scope: Scope) {}
  byIds(ids: readonly number[]) {
    return topics.topicsByIds(this.scope(), ids);
  }
  bySlug(slug: string) {
    return topics.topicBySlug(this.scope(), slug);
  }
  byArticleIds(ids: readonly number[]) {
    return topics.topicsByArticleIds(this.scope(), ids);
  }
  list(...args: Parameters<TopicReads['list']>) {
    return topics.listTopics(this.scope(), ...args);
  }
}

class SearchReadsOf implements SearchReads {
  constructor(private readonly scope: Scope) {}
  list(...args: Parameters<SearchReads['list']>) {
    return searchHits(this.scope(), ...args);
  }
}

class StatsReadsOf implements StatsReads {
  constructor(private readonly scope: Scope) {}
  quoteGroups(...args: Parameters<StatsReads['quoteGroups']>) {
    return stats.quoteGroups(this.scope(), ...args);
  }
  positionGroups(...args: Parameters<StatsReads['positionGroups']>) {
    return stats.positionGroups(this.scope(), ...args);
  }
  stanceTimeline(...args: Parameters<StatsReads['stanceTimeline']>) {
    return stats.stanceTimeline(this.scope(), ...args);
  }
}

/**
 * A request's reads over the entity modules, whichever the database: `scope` gives the statements
 * to run them on (the request's snapshot) each time one runs. Each entity's reads are made the first
 * time the request asks for that entity: a request reads two or three of the seven. Their methods
 * are called on their object (the loaders wrap the ones they batch), and return the entity modules' promises as they are, without another async layer of
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
    return (this.#articles ??= new ArticleReadsOf(this.scope));
  }
  get actors() {
    return (this.#actors ??= new ActorReadsOf(this.scope));
  }
  get quotes() {
    return (this.#quotes ??= new QuoteReadsOf(this.scope));
  }
  get positions() {
    return (this.#positions ??= new PositionReadsOf(this.scope));
  }
  get topics() {
    return (this.#topics ??= new TopicReadsOf(this.scope));
  }
  get search() {
    return (this.#search ??= new SearchReadsOf(this.scope));
  }
  get stats() {
    return (this.#stats ??= new StatsReadsOf(this.scope));
  }
}

export function readsOver(scope: Scope, end: () => void): Reads {
  return new SessionReads(scope, end);
}
