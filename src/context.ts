import { randomUUID } from 'node:crypto';
import type { Db, Storage } from './db.js';
import type { SqlReader } from './read-model.js';
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
}

export function createContext(storage: Storage, requestId: string = randomUUID(), mayWrite = true): Context {
  return { db: storage.reader, writer: storage.writer, sql: storage.sql, loaders: createLoaders(storage.sql), requestId, mayWrite };
}
