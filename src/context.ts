import { randomUUID } from 'node:crypto';
import type { Db } from './db.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every resolver sees: built fresh for each request. */
export interface Context {
  db: Db;
  loaders: Loaders;
  /** Correlates a response with the server's log lines. */
  requestId: string;
}

export function createContext(db: Db, requestId: string = randomUUID()): Context {
  return { db, loaders: createLoaders(db), requestId };
}
