import { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../db.js';
import { GraphQLError } from 'graphql';
import { badUserInput, notFound } from '../errors.js';
import { writeDialect } from './dialect.js';

/**
 * How often a write on PostgreSQL is tried when it collides with a concurrent one. SQLite runs one
 * write transaction at a time (BEGIN IMMEDIATE), so there a write never meets another's
 * uncommitted rows; PostgreSQL runs them side by side at READ COMMITTED, so two servers adding
 * articles that name the same new actor both find no such actor and both insert it, and the unique
 * name key refuses the second. Run again, the second finds the first's actor and links to it.
 */
const POSTGRES_ATTEMPTS = 5;

/** A failure a fresh attempt can get past: a unique key taken by a concurrent write, a deadlock, a serialization failure. */
function collided(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2002' || error.code === 'P2034')) return true;
  return /\b(40001|40P01|23505)\b|deadlock detected|could not serialize|duplicate key value/.test(causeChain(error));
}

/**
 * Runs a write in one transaction. The adapter queues transactions of a process behind one another,
 * so under a burst of writes a transaction may wait long for its turn: the waiting limit is generous
 * (Prisma's default of 2 s would fail requests that are merely queued). On PostgreSQL a write that
 * collided with a concurrent one is run again (see POSTGRES_ATTEMPTS); `write` reads everything it
 * decides on inside the transaction, so a second run decides afresh. Prisma's known errors that a
 * client can cause are translated here, once; anything else stays unexpected.
 */
export async function inTransaction<T>(db: Db, write: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  const attempts = writeDialect(db) === 'postgresql' ? POSTGRES_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction(write, { maxWait: 60_000, timeout: 60_000 });
    } catch (error) {
      if (attempt < attempts && collided(error)) continue;
      throw translated(error);
    }
  }
}

/** A write's failure as the client should see it. */
function translated(error: unknown): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2002') {
      const target = (error.meta?.target as string[] | string | undefined) ?? 'value';
      return badUserInput(`input.${Array.isArray(target) ? target.join(',') : target}`, 'is already used', { cause: error });
    }
    if (error.code === 'P2025') return notFound('The object to change no longer exists', { cause: error });
    if (error.code === 'P2003') return badUserInput('input', 'refers to an object that no longer exists', { cause: error });
  }
  return storageFault(error) ?? error;
}

/**
 * A write the disk refused: full, the database opened read-only, or the file system refusing writes
 * to a file already open (a file system remounted read-only answers a running server's writes with
 * EROFS, an immutable file with EPERM, a failing disk with EIO: SQLite reports all three as an I/O
 * error). SQLite rolled it back, so nothing of it is stored, and the next write succeeds once the
 * fault is gone. PostgreSQL reports the same faults by SQLSTATE: 53100 (disk full), 25006 (a
 * read-only transaction: a replica, or default_transaction_read_only), 58030 (an I/O error).
 */
function storageFault(error: unknown): GraphQLError | null {
  const text = causeChain(error);
  if (/SQLITE_FULL|database or disk is full|\b53100\b|No space left on device/i.test(text)) {
    return new GraphQLError('The database disk is full: nothing of this write was stored; free disk space and try again', {
      extensions: { code: 'STORAGE_FULL', http: { status: 503 } },
      originalError: error instanceof Error ? error : undefined,
    });
  }
  if (/SQLITE_READONLY|readonly database|read-only|\b25006\b/i.test(text)) {
    return new GraphQLError('The database is read-only: nothing of this write was stored; make the file and its directory writable', {
      extensions: { code: 'STORAGE_READ_ONLY', http: { status: 503 } },
      originalError: error instanceof Error ? error : undefined,
    });
  }
  if (/SQLITE_IOERR|disk I\/O error|\b58030\b/i.test(text)) {
    return new GraphQLError(
      'The database disk refused the write (read-only or failing): nothing of this write was stored; /ready says what the server sees; fix the disk and try again',
      { extensions: { code: 'STORAGE_WRITE_FAILED', http: { status: 503 } }, originalError: error instanceof Error ? error : undefined },
    );
  }
  return null;
}

/** The codes and messages of an error and its causes, for matching SQLite's result codes and PostgreSQL's SQLSTATEs. */
function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    parts.push(current.message, String(Reflect.get(current, 'code') ?? ''));
  }
  return parts.join(' ');
}
