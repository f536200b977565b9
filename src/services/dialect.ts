import type { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../db.js';

/**
 * Which database a Prisma client (or one of its transactions) writes to. Raw SQL in the services is
 * written once in SQL both databases read (quoted identifiers, CAST for parameters whose type
 * PostgreSQL cannot infer, ON CONFLICT DO NOTHING); only what cannot be (the full-text index upkeep)
 * asks this. Prisma keeps the provider of the generated client in `_activeProvider`, which a
 * transaction client reads through from its parent.
 */
export function writeDialect(client: Db | Prisma.TransactionClient): 'sqlite' | 'postgresql' {
  return Reflect.get(client, '_activeProvider') === 'postgresql' ? 'postgresql' : 'sqlite';
}
