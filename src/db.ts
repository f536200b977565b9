import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client.js';
import type { Actor, Article, Position, Quote, Topic } from './generated/prisma/client.js';

export type Db = PrismaClient;
export type ArticleRow = Article;
export type ActorRow = Actor;
export type QuoteRow = Quote;
export type TopicRow = Topic;
export type PositionRow = Position;

export interface DatabaseOptions {
  /** Called with the SQL of every statement SQLite runs; tests count statements with it. */
  onStatement?: (sql: string) => void;
  /** How long a writer waits for another connection's write lock before failing, in ms. */
  busyTimeoutMs?: number;
}

/**
 * Opens the one PrismaClient a process uses. SQLite runs in WAL mode so readers never block the
 * writer, with a busy timeout so a second process (a seed run beside the server) waits for the
 * write lock instead of failing; synchronous=FULL so every acknowledged commit survives a power
 * cut, which a news archive written a few times a minute can easily afford.
 */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Db> {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const adapter = new PrismaBetterSQLite3({
    url,
    timeout: busyTimeoutMs,
    ...(options.onStatement ? { verbose: (sql: unknown) => options.onStatement?.(String(sql)) } : {}),
  });
  const db = new PrismaClient({ adapter });
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA synchronous = FULL');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  await db.$executeRawUnsafe(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  return db;
}
