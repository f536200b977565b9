import { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../db.js';
import { GraphQLError } from 'graphql';
import { badUserInput, notFound } from '../errors.js';

/**
 * Runs a write in one transaction. The adapter queues transactions of a process behind one another,
 * so under a burst of writes a transaction may wait long for its turn: the waiting limit is generous
 * (Prisma's default of 2 s would fail requests that are merely queued). Prisma's known errors that a
 * client can cause are translated here, once; anything else stays unexpected.
 */
export async function inTransaction<T>(db: Db, write: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(write, { maxWait: 60_000, timeout: 60_000 });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError) {
      if (error.code === 'P2002') {
        const target = (error.meta?.target as string[] | string | undefined) ?? 'value';
        throw badUserInput(`input.${Array.isArray(target) ? target.join(',') : target}`, 'is already used', { cause: error });
      }
      if (error.code === 'P2025') throw notFound('The object to change no longer exists', { cause: error });
      if (error.code === 'P2003') throw badUserInput('input', 'refers to an object that no longer exists', { cause: error });
    }
    const fault = storageFault(error);
    if (fault) throw fault;
    throw error;
  }
}

/**
 * A write the disk refused: full, the database opened read-only, or the file system refusing writes
 * to a file already open (a file system remounted read-only answers a running server's writes with
 * EROFS, an immutable file with EPERM, a failing disk with EIO: SQLite reports all three as an I/O
 * error). SQLite rolled it back, so nothing of it is stored, and the next write succeeds once the
 * fault is gone.
 */
function storageFault(error: unknown): GraphQLError | null {
  const text = causeChain(error);
  if (/SQLITE_FULL|database or disk is full/i.test(text)) {
    return new GraphQLError('The database disk is full: nothing of this write was stored; free disk space and try again', {
      extensions: { code: 'STORAGE_FULL', http: { status: 503 } },
      originalError: error instanceof Error ? error : undefined,
    });
  }
  if (/SQLITE_READONLY|readonly database|read-only/i.test(text)) {
    return new GraphQLError('The database is read-only: nothing of this write was stored; make the file and its directory writable', {
      extensions: { code: 'STORAGE_READ_ONLY', http: { status: 503 } },
      originalError: error instanceof Error ? error : undefined,
    });
  }
  if (/SQLITE_IOERR|disk I\/O error/i.test(text)) {
    return new GraphQLError(
      'The database disk refused the write (read-only or failing): nothing of this write was stored; /ready says what the server sees; fix the disk and try again',
      { extensions: { code: 'STORAGE_WRITE_FAILED', http: { status: 503 } }, originalError: error instanceof Error ? error : undefined },
    );
  }
  return null;
}

/** The codes and messages of an error and its causes, for matching SQLite's result codes. */
function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    parts.push(current.message, String(Reflect.get(current, 'code') ?? ''));
  }
  return parts.join(' ');
}
