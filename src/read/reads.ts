import * as actors from './actors.js';
import * as articles from './articles.js';
import * as positions from './positions.js';
import * as quotes from './quotes.js';
import { searchHits } from './search.js';
import type { ReadScope } from './sql.js';
import * as stats from './stats.js';
import type { Reads } from './store.js';
import * as topics from './topics.js';

/**
 * A request's reads over the entity modules, whichever the database: `scope` gives the statements
 * to run them on (the request's snapshot) each time one runs.
 */
export function readsOver(scope: () => ReadScope, end: () => void): Reads {
  return {
    end,
    articles: {
      byIds: async (ids) => articles.articlesByIds(scope(), ids),
      detailsByIds: async (ids) => articles.articleDetailsByIds(scope(), ids),
      bodiesByIds: async (ids) => articles.articleBodies(scope(), ids),
      bySlug: async (slug) => articles.articleBySlug(scope(), slug),
      list: async (args, filter) => articles.listArticles(scope(), args, filter),
      pagesByActor: async (ids, page) => articles.articlePagesByActor(scope(), ids, page),
      pagesByTopic: async (ids, page) => articles.articlePagesByTopic(scope(), ids, page),
      countsByActor: async (ids) => articles.articleCountsByActor(scope(), ids),
      countsByTopic: async (ids) => articles.articleCountsByTopic(scope(), ids),
    },
    actors: {
      byIds: async (ids) => actors.actorsByIds(scope(), ids),
      idOf: async (reference) => actors.actorIdOf(scope(), reference),
      aliasesByIds: async (ids) => actors.aliasesByActorIds(scope(), ids),
      membersByAffiliationIds: async (ids) => actors.membersByAffiliationIds(scope(), ids),
      byArticleIds: async (ids) => actors.actorsByArticleIds(scope(), ids),
      list: async (args, filter) => actors.listActors(scope(), args, filter),
    },
    quotes: {
      byIds: async (ids) => quotes.quotesByIds(scope(), ids),
      detailsByIds: async (ids) => quotes.quoteDetailsByIds(scope(), ids),
      byArticleIds: async (ids) => quotes.quotesByArticleIds(scope(), ids),
      pagesBySpeaker: async (ids, page) => quotes.quotePagesBySpeaker(scope(), ids, page),
      countsBySpeaker: async (ids) => quotes.quoteCountsBySpeaker(scope(), ids),
      list: async (args, filter) => quotes.listQuotes(scope(), args, filter),
    },
    positions: {
      byIds: async (ids) => positions.positionsByIds(scope(), ids),
      detailsByIds: async (ids) => positions.positionDetailsByIds(scope(), ids),
      byArticleIds: async (ids) => positions.positionsByArticleIds(scope(), ids),
      byActorIds: async (ids) => positions.positionsByActorIds(scope(), ids),
      boards: async (keys) => positions.positionBoards(scope(), keys),
      list: async (args, filter) => positions.listPositions(scope(), args, filter),
    },
    topics: {
      byIds: async (ids) => topics.topicsByIds(scope(), ids),
      bySlug: async (slug) => topics.topicBySlug(scope(), slug),
      byArticleIds: async (ids) => topics.topicsByArticleIds(scope(), ids),
      list: async (args) => topics.listTopics(scope(), args),
    },
    search: {
      list: async (query, args) => searchHits(scope(), query, args),
    },
    stats: {
      quoteGroups: async (groupBy, filter, first) => stats.quoteGroups(scope(), groupBy, filter, first),
      positionGroups: async (groupBy, filter, first) => stats.positionGroups(scope(), groupBy, filter, first),
      stanceTimeline: async (topic, bucket, filter) => stats.stanceTimeline(scope(), topic, bucket, filter),
    },
  };
}
