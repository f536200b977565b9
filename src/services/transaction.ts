import { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../db.js';
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
    throw error;
  }
}
