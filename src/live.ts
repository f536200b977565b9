import type { Db } from './db.js';

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

/**
 * The server's live updates: writes announce what they stored (after commit), and each
 * subscription is an async iterator of the events that pass its filter. In-process only: an
 * `npm run import` or seed in another process is not announced.
 */
export class LiveEvents {
  private readonly subscribers = new Set<(event: LiveEvent) => void>();

  /** `onError` hears of an announcement that failed (its write stands): the server logs it. */
  constructor(
    private readonly db: Db,
    readonly onError: (error: unknown, requestId: string) => void,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Announces stored articles and their quotes. One query reads what filters need, and only while
   * someone listens; it runs on the read connection, after the write's commit, so it sees the rows.
   */
  async articlesAdded(articleIds: number[]): Promise<void> {
    if (this.subscribers.size === 0 || articleIds.length === 0) return;
    const articles = await this.db.article.findMany({
      where: { id: { in: articleIds } },
      orderBy: { id: 'asc' },
      select: {
        id: true,
        mentions: { select: { actorId: true } },
        topics: { select: { topicId: true } },
        quotes: { select: { id: true, speakerId: true }, orderBy: { id: 'asc' } },
      },
    });
    for (const article of articles) {
      const topicIds = new Set(article.topics.map((t) => t.topicId));
      this.publish({ kind: 'article', articleId: article.id, actorIds: new Set(article.mentions.map((m) => m.actorId)), topicIds });
      for (const quote of article.quotes) this.publish(quoteEvent(quote.id, quote.speakerId, topicIds));
    }
  }

  /** Announces a quote added to a stored article. */
  async quoteAdded(quoteId: number, speakerId: number | null, articleId: number): Promise<void> {
    if (this.subscribers.size === 0) return;
    const topics = await this.db.articleTopic.findMany({ where: { articleId }, select: { topicId: true } });
    this.publish(quoteEvent(quoteId, speakerId, new Set(topics.map((t) => t.topicId))));
  }

  private publish(event: LiveEvent): void {
    for (const deliver of this.subscribers) deliver(event);
  }

  /** The events that pass `filter`, from now until the iterator is returned (the client unsubscribes). */
  subscribe(filter: LiveFilter): AsyncIterableIterator<LiveEvent> {
    const pending: LiveEvent[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const deliver = (event: LiveEvent) => {
      if (event.kind !== filter.kind) return;
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
