import type { Storage } from './db.js';
import type { FeedListener, StoredFeed, StoredNews } from './live-feed.js';
import type { KnownRows, ReadStore } from './read/store.js';

/** An article just stored, with what a subscription filters it on. */
export interface ArticleAdded {
  kind: 'article';
  articleId: number;
  actorIds: ReadonlySet<number>;
  topicIds: ReadonlySet<number>;
}

/** A quote just stored, with what a subscription filters it on. */
export interface QuoteAdded {
  kind: 'quote';
  quoteId: number;
  /** The speaker, when it has one. */
  actorIds: ReadonlySet<number>;
  /** The topics of its article. */
  topicIds: ReadonlySet<number>;
}

export type LiveEvent = ArticleAdded | QuoteAdded;

/** What a subscription asks for: events of one kind, about an actor and/or a topic (by row id). */
export interface LiveFilter {
  kind: LiveEvent['kind'];
  actorId: number | null;
  topicId: number | null;
}

/**
 * Events a subscriber has not taken yet. A client that reads slower than articles arrive would
 * otherwise grow the server's memory without bound; past this its subscription completes, and it
 * can subscribe again (and catch up with a query).
 */
export const MAX_PENDING_EVENTS = 1_000;

/** The rows the announcement's reads bring along are not kept: each event is resolved in a snapshot of its own. */
const IGNORED: KnownRows = { article() {}, actor() {}, quote() {}, topic() {}, position() {} };

/**
 * The server's live updates: the storage's feed (src/live-feed.ts) tells it what any process stored,
 * after commit, and each subscription is an async iterator of the events that pass its filter.
 */
export class LiveEvents {
  private readonly subscribers = new Set<(event: LiveEvent) => void>();
  private feed: StoredFeed | null = null;
  /** Announcements in the order their writes committed: each waits for the one before. */
  private queue: Promise<void> = Promise.resolve();

  /** `onError` hears of an announcement that failed (its write stands): the server logs it. */
  constructor(
    private readonly reads: ReadStore,
    readonly onError: (error: unknown, requestId: string) => void,
  ) {}

  /** Starts hearing what the database stores; until then nothing is announced. */
  async start(storage: Storage): Promise<void> {
    const listener: FeedListener = {
      wanted: () => this.subscribers.size > 0,
      news: (news) => this.announce(news),
      error: (error) => this.onError(error, 'live feed'),
    };
    this.feed = await storage.watchStored(listener);
  }

  async close(): Promise<void> {
    await this.feed?.close();
    this.feed = null;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** This process has committed a write: on SQLite the feed looks at once instead of at its next poll. */
  written(): void {
    this.feed?.check();
  }

  /**
   * Announces what a write stored to the subscribers listening when the feed heard of it. A few
   * statements read what the filters need, in one snapshot through the read store, only while
   * someone listens.
   */
  announce(news: StoredNews): void {
    const listeners = [...this.subscribers];
    if (listeners.length === 0 || (news.articles.length === 0 && news.quotes.length === 0)) return;
    const publish = (event: LiveEvent) => {
      for (const deliver of listeners) deliver(event);
    };
    this.queue = this.queue.then(() => this.read(news, publish)).catch((error: unknown) => this.onError(error, 'live feed'));
  }

  private async read(news: StoredNews, publish: (event: LiveEvent) => void): Promise<void> {
    const reads = this.reads.session(IGNORED);
    try {
      const stored = (await reads.articles.byIds(news.articles)).map((article) => article.id).sort((a, b) => a - b);
      const [actors, topics, quotes] = await Promise.all([
        reads.actors.byArticleIds(stored),
        reads.topics.byArticleIds(stored),
        reads.quotes.byArticleIds(stored),
      ]);
      stored.forEach((articleId, i) => {
        const topicIds = new Set((topics[i] ?? []).map((topic) => topic.id));
        publish({ kind: 'article', articleId, actorIds: new Set((actors[i] ?? []).map((actor) => actor.id)), topicIds });
        for (const quote of quotes[i] ?? []) publish(quoteEvent(quote.id, quote.speakerId, topicIds));
      });
      if (news.quotes.length === 0) return;
      const added = (await reads.quotes.byIds(news.quotes)).sort((a, b) => a.id - b.id);
      const articleIds = [...new Set(added.map((quote) => quote.articleId))];
      const topicsOf = new Map((await reads.topics.byArticleIds(articleIds)).map((list, i) => [articleIds[i], list]));
      for (const quote of added) {
        publish(quoteEvent(quote.id, quote.speakerId, new Set((topicsOf.get(quote.articleId) ?? []).map((topic) => topic.id))));
      }
    } finally {
      reads.end();
    }
  }

  /** The events that pass `filter`, from now until the iterator is returned (the client unsubscribes). */
  subscribe(filter: LiveFilter): AsyncIterableIterator<LiveEvent> {
    const pending: LiveEvent[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const deliver = (event: LiveEvent) => {
      if (done || event.kind !== filter.kind) return;
      if (filter.actorId !== null && !event.actorIds.has(filter.actorId)) return;
      if (filter.topicId !== null && !event.topicIds.has(filter.topicId)) return;
      if (pending.length >= MAX_PENDING_EVENTS) finish();
      else pending.push(event);
      wake?.();
    };
    const finish = () => {
      done = true;
      this.subscribers.delete(deliver);
      wake?.();
    };
    // The first subscriber: the feed catches up first, so what was stored before is not announced to it.
    if (this.subscribers.size === 0) this.feed?.settle();
    this.subscribers.add(deliver);
    const iterator: AsyncIterableIterator<LiveEvent> = {
      async next() {
        while (pending.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        const event = pending.shift();
        return event ? { value: event, done: false } : { value: undefined, done: true };
      },
      async return() {
        finish();
        pending.length = 0;
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}

function quoteEvent(quoteId: number, speakerId: number | null, topicIds: ReadonlySet<number>): QuoteAdded {
  return { kind: 'quote', quoteId, actorIds: new Set(speakerId === null ? [] : [speakerId]), topicIds };
}
