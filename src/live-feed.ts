/**
 * How a server hears of what any process stored, for its subscriptions (src/live.ts): this server's
 * own mutations, another server on the same PostgreSQL database, `npm run import` or `npm run seed`
 * writing the same SQLite file.
 *
 * - PostgreSQL: a write that stores articles or quotes sends a NOTIFY on LIVE_CHANNEL inside its
 *   transaction (announceStored), so it is delivered when, and only if, the write commits, in commit
 *   order, to every server LISTENing on the database.
 * - SQLite: one process writes at a time and ids only grow (AUTOINCREMENT), so whatever has an id
 *   above the highest one seen is new. The feed looks whenever the file's data_version changes,
 *   checked every POLL_INTERVAL_MS, and at once after a write of this process.
 */
import type Database from 'better-sqlite3';
import pg from 'pg';
import type { Prisma } from './generated/prisma/client.js';
import { writeDialect } from './services/dialect.js';

/** What a committed write stored that subscribers hear of. */
export interface StoredNews {
  /** Articles created (their quotes come with them). */
  articles: number[];
  /** Quotes stored on articles that existed before: addQuote's, and those of an article whose annotation was replaced. */
  quotes: number[];
}

export interface StoredFeed {
  /** This process has just committed a write: look for news now rather than at the next poll. */
  check(): void;
  /**
   * Called before the first subscriber is added (while no one listens): takes what is stored by now
   * as seen, so that none of it is announced to that subscriber.
   */
  settle(): void;
  close(): Promise<void>;
}

/** Hears the feed's news in commit order; `wanted` says whether anyone listens (when no one does, rows are not read). */
export interface FeedListener {
  news(news: StoredNews): void;
  wanted(): boolean;
  error(error: unknown): void;
}

export const LIVE_CHANNEL = 'newsgraph_stored';
/** How often a SQLite feed checks for another process's writes: the latency of announcing them. */
export const POLL_INTERVAL_MS = 250;
/** Ids per NOTIFY payload: 400 ids of up to 16 digits stay under PostgreSQL's 8,000-byte payload limit. */
const IDS_PER_NOTIFY = 400;
/** New articles (and quotes) one SQLite poll reads at most; the rest wait for the next, so a large import never holds the event loop. */
const ROWS_PER_POLL = 1_000;

/**
 * Tells the servers on a PostgreSQL database what this transaction stored (nothing on SQLite,
 * whose feed finds the rows itself).
 */
export async function announceStored(tx: Prisma.TransactionClient, news: StoredNews): Promise<void> {
  if (writeDialect(tx) !== 'postgresql') return;
  for (let start = 0; start < news.articles.length || start < news.quotes.length; start += IDS_PER_NOTIFY) {
    const payload: StoredNews = {
      articles: news.articles.slice(start, start + IDS_PER_NOTIFY),
      quotes: news.quotes.slice(start, start + IDS_PER_NOTIFY),
    };
    await tx.$executeRaw`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(payload)})`;
  }
}

/** A NOTIFY payload as announceStored writes it, or null for anything else on the channel. */
function parseNews(payload: string | undefined): StoredNews | null {
  try {
    const value: unknown = JSON.parse(payload ?? '');
    if (typeof value !== 'object' || value === null) return null;
    const ids = (list: unknown) => (Array.isArray(list) ? list.filter((id): id is number => Number.isSafeInteger(id)) : []);
    return { articles: ids(Reflect.get(value, 'articles')), quotes: ids(Reflect.get(value, 'quotes')) };
  } catch {
    return null;
  }
}

/**
 * The PostgreSQL feed: LISTEN on a connection of its own. When that connection is lost it is opened
 * again after a second; what was stored in between is not announced (a subscriber catches up with
 * a query).
 */
export async function postgresFeed(url: string, listener: FeedListener): Promise<StoredFeed> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      const news = message.channel === LIVE_CHANNEL ? parseNews(message.payload) : null;
      if (news && listener.wanted()) listener.news(news);
    });
    const lost = (error?: unknown) => {
      if (client !== next) return;
      client = null;
      void next.end().catch(() => {});
      if (closed) return;
      if (error) listener.error(error);
      retry = setTimeout(() => void connect().catch(lost), 1_000);
      retry.unref();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    client = next;
    await next.connect();
    await next.query(`LISTEN ${LIVE_CHANNEL}`);
  };
  await connect();
  return {
    check() {},
    settle() {},
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const last = client;
      client = null;
      await last?.end();
    },
  };
}

/**
 * The SQLite feed, on a read-only connection of its own. Each look reads, in one read transaction,
 * the articles and quotes with ids above the last seen: a new article is news with its quotes; a
 * new quote of an older article is news of its own.
 */
export function sqliteFeed(db: Database.Database, listener: FeedListener): StoredFeed {
  const version = db.prepare('PRAGMA data_version').pluck();
  const maxArticle = db.prepare('SELECT coalesce(max(id), 0) FROM "Article"').pluck();
  const maxQuote = db.prepare('SELECT coalesce(max(id), 0) FROM "Quote"').pluck();
  const newArticles = db.prepare(`SELECT id FROM "Article" WHERE id > ? ORDER BY id LIMIT ${ROWS_PER_POLL}`).pluck();
  const newQuotes = db.prepare(`SELECT id, "articleId" FROM "Quote" WHERE id > ? ORDER BY id LIMIT ${ROWS_PER_POLL * 10}`).raw();
  const marks = db.transaction(() => ({ article: Number(maxArticle.get()), quote: Number(maxQuote.get()) }));
  let seen = marks();
  let lastVersion = Number(version.get());
  let more = false;

  const read = db.transaction((): StoredNews => {
    const articles = (newArticles.all(seen.article) as number[]).map(Number);
    const lastArticle = articles.at(-1) ?? seen.article;
    const quotes: number[] = [];
    let lastQuote = seen.quote;
    const rows = newQuotes.all(seen.quote) as [number, number][];
    for (const [id, articleId] of rows) {
      // A quote of an article this look has not reached yet waits for the look that reads the article.
      if (articleId > lastArticle) break;
      if (articleId <= seen.article) quotes.push(Number(id));
      lastQuote = Number(id);
    }
    more = articles.length === ROWS_PER_POLL || rows.length === ROWS_PER_POLL * 10;
    seen = { article: lastArticle, quote: lastQuote };
    return { articles, quotes };
  });

  const look = () => {
    try {
      const current = Number(version.get());
      if (current === lastVersion && !more) return;
      lastVersion = current;
      if (!listener.wanted()) {
        seen = marks();
        more = false;
        return;
      }
      const news = read();
      if (news.articles.length > 0 || news.quotes.length > 0) listener.news(news);
    } catch (error) {
      listener.error(error);
    }
  };
  const timer = setInterval(look, POLL_INTERVAL_MS);
  timer.unref();
  let pending: NodeJS.Immediate | null = null;
  return {
    check() {
      pending ??= setImmediate(() => {
        pending = null;
        look();
      });
    },
    settle: look,
    async close() {
      clearInterval(timer);
      if (pending) clearImmediate(pending);
      db.close();
    },
  };
}
