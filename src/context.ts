import { randomUUID } from 'node:crypto';
import type { Db, Storage } from './db.js';
import type { ReadStore } from './read/store.js';
import { GraphQLError } from 'graphql';
import { DEFAULT_LIMITS } from './limits.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { LiveEvents } from './live.js';

/** What every resolver sees: built fresh for each request. */
export interface Context {
  /** The connection write transactions run on. */
  writer: Db;
  /** Every read: loaders batch through it, lists and lookups call it through `loaders.reads`. */
  reads: ReadStore;
  /** Fresh per request; replaced after each write (resetLoaders) so later fields see what it changed. */
  loaders: Loaders;
  /** Correlates a response with the server's log lines. */
  requestId: string;
  /** Whether this request may run mutations (it carried the write token, or none is required). */
  mayWrite: boolean;
  /** The response's size limit and the bytes of large text (article bodies) it may still carry. */
  responseBytes: { limit: number; left: number };
  /** Live updates: writes announce what they stored, subscriptions listen; null where nothing serves them. */
  live: LiveEvents | null;
}

export function createContext(
  storage: Storage,
  requestId: string = randomUUID(),
  mayWrite = true,
  maxResponseBytes = DEFAULT_LIMITS.maxResponseBytes,
  live: LiveEvents | null = null,
): Context {
  return {
    writer: storage.writer,
    reads: storage.reads,
    loaders: createLoaders(storage.reads),
    requestId,
    mayWrite,
    responseBytes: { limit: maxResponseBytes, left: maxResponseBytes },
    live,
  };
}

/**
 * Drops what the request's loaders know and ends its snapshot: after a write, so that the payload's
 * fields (and any later operation sharing this context in a batched request) see the new state.
 * The new loaders read a snapshot of their own, begun at their first read; `ended` ones read each
 * statement on its own, outside any snapshot (see finishRequest).
 */
export function resetLoaders(context: Context, ended = false): void {
  context.loaders.end();
  context.loaders = createLoaders(context.reads, ended);
}

/**
 * Once the response is ready: ends the request's snapshot, so its read connection serves the next
 * request, and drops its loaders, so the rows they hold can be collected. A resolver may still be
 * running (a sibling of a field whose error nulled the answer, or an event's field after the event
 * was sent); its reads go to the loaders made here, whose session is over before it begins, so each
 * runs on its own outside any snapshot (Reads.end) rather than beginning a snapshot that nothing
 * would end and holding a connection for it.
 */
export function finishRequest(context: Context): void {
  resetLoaders(context, true);
}

/**
 * A subscription's event is an answer of its own, though every event of the subscription shares
 * its context: it reads a snapshot of its own, begun here as its answer starts (the live server
 * ends it once the answer is sent), and may carry up to the response size limit.
 */
export function beginEvent(context: Context): Loaders {
  resetLoaders(context);
  context.responseBytes.left = context.responseBytes.limit;
  return context.loaders;
}

/**
 * Counts a large text against the response's size limit as it is resolved, so an answer that would
 * exceed the limit fails at the field that crosses it instead of being built whole in memory. It
 * counts UTF-8 bytes, as the response is sent (a body in Chinese is three bytes a character), not
 * UTF-16 units; JSON escaping can add a little more, which the server's final check catches.
 */
export function spendResponseBytes(context: Context, text: string): string {
  const budget = context.responseBytes;
  budget.left -= Buffer.byteLength(text);
  if (budget.left < 0) throw responseTooLarge(budget.limit);
  return text;
}

export function responseTooLarge(limit: number): GraphQLError {
  return new GraphQLError(
    `The response would exceed the limit of ${limit} bytes (MAX_RESPONSE_BYTES): ask for fewer items (first), fewer aliases or no article bodies`,
    {
      extensions: { code: 'RESPONSE_TOO_LARGE', limit },
    },
  );
}
