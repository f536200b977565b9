import * as actors from './actors.js';
import * as articles from './articles.js';
import * as positions from './positions.js';
import * as quotes from './quotes.js';
import { searchHits } from './search.js';
import { prepared, type ReadScope, type SqlReader } from './sqlite.js';
import type { Reads, ReadStore } from './store.js';
import * as topics from './topics.js';

/**
 * Idle read connections kept open for the next requests; more are opened while more are in use.
 * Enough for the requests a busy server has in flight at once (ten under the benchmark's load), so
 * that connections, and the prepared statements each one caches, are reused rather than reopened.
 */
const IDLE_CONNECTIONS = 16;

/**
 * The read store on SQLite: the entity modules' statements, run synchronously on read-only
 * better-sqlite3 connections and answered as promises, which is what the interface asks of any store.
 *
 * Each request reads one snapshot: its first read takes a connection of its own and opens a read
 * transaction there, which it holds until the request ends (Reads.end), so a write that commits
 * between two of its statements (a row's lean columns and its details, a list and its count) shows
 * in neither. In WAL mode an open read transaction blocks no writer. A request never waits for a
 * connection: when none is idle another is opened, so a request that is never ended (a caller that
 * skips end) costs a connection, not a hang; close() closes them all.
 */
export function sqliteReadStore(open: () => SqlReader, shared: SqlReader): ReadStore & { close(): void } {
  const idle: SqlReader[] = [];
  const all = new Set<SqlReader>();
  const acquire = () => {
    const sql = idle.pop() ?? open();
    all.add(sql);
    prepared(sql, 'BEGIN').run();
    return sql;
  };
  const release = (sql: SqlReader) => {
    prepared(sql, 'COMMIT').run();
    if (idle.length < IDLE_CONNECTIONS) idle.push(sql);
    else {
      all.delete(sql);
      sql.close();
    }
  };
  return {
    session: (known) => {
      let sql: SqlReader | null = null;
      let ended = false;
      // Reads after the end (a count a resolver asks for late) run outside any snapshot, on the
      // shared connection, rather than holding a connection that nothing would release.
      const scope = (): ReadScope => ({ sql: ended ? shared : (sql ??= acquire()), known });
      const end = () => {
        ended = true;
        if (sql !== null) release(sql);
        sql = null;
      };
      return sqliteReads(scope, end);
    },
    close() {
      for (const sql of all) sql.close();
      all.clear();
      idle.length = 0;
    },
  };
}

function sqliteReads(scope: () => ReadScope, end: () => void): Reads {
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
  };
}
