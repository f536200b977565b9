import { randomUUID } from 'node:crypto';
import type { Db, SqlReader, Storage } from './db.js';
import { GraphQLError } from 'graphql';
import { DEFAULT_LIMITS } from './limits.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every resolver sees: built fresh for each request. */
export interface Context {
  /** The read-only connection: queries and loaders. */
  db: Db;
  /** The connection write transactions run on. */
  writer: Db;
  /** The hot read path's prepared statements run here. */
  sql: SqlReader;
  /** Fresh per request; replaced after each write so later fields see what it changed. */
  loaders: Loaders;
  /** Correlates a response with the server's log lines. */
  requestId: string;
  /** Whether this request may run mutations (it carried the write token, or none is required). */
  mayWrite: boolean;
  /** The response's size limit and the bytes of large text (article bodies) it may still carry. */
  responseBytes: { limit: number; left: number };
}

export function createContext(
  storage: Storage,
  requestId: string = randomUUID(),
  mayWrite = true,
  maxResponseBytes = DEFAULT_LIMITS.maxResponseBytes,
): Context {
  return {
    db: storage.reader,
    writer: storage.writer,
    sql: storage.sql,
    loaders: createLoaders(storage.sql),
    requestId,
    mayWrite,
    responseBytes: { limit: maxResponseBytes, left: maxResponseBytes },
  };
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
