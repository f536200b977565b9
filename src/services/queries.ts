import type { Db } from '../db.js';
import type { ActorFilter } from '../generated/graphql.js';
import type { Prisma } from '../generated/prisma/client.js';
import { badUserInput } from '../errors.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { nameKey } from '../text/names.js';
import type { ActorRow } from '../read/rows.js';
import {
  type Connection,
  type CursorKey,
  cursorNumber,
  cursorString,
  type PageArgs,
  pageRequest,
  type PageRequest,
  toConnection,
} from '../read/pagination.js';

// The list Prisma still serves; the others are in src/read/, one module per entity.

async function paged<T>(
  page: PageRequest,
  fetch: (take: number) => Promise<T[]>,
  keyOf: (row: T) => CursorKey,
  count: () => Promise<number>,
): Promise<Connection<T>> {
  return toConnection(await fetch(page.first + 1), page, keyOf, count);
}

export async function listActors(db: Db, args: PageArgs, filter: ActorFilter | null | undefined): Promise<Connection<ActorRow>> {
  const page = pageRequest(args, 2);
  const where: Prisma.ActorWhereInput[] = [];
  if (filter?.kind) where.push({ kind: filter.kind });
  if (filter?.search) {
    // LIKE '%key%' runs over every name, so its cost is the key's length times the actors.
    if (filter.search.length > INPUT_LIMITS.nameLength) {
      throw badUserInput('filter.search', `is ${filter.search.length} characters long; the limit is ${INPUT_LIMITS.nameLength}`);
    }
    const key = nameKey(filter.search);
    where.push({ OR: [{ nameKey: { contains: key } }, { aliases: { some: { aliasKey: { contains: key } } } }] });
  }
  const after: Prisma.ActorWhereInput = page.after
    ? {
        OR: [{ name: { gt: cursorString(page.after, 0) } }, { name: cursorString(page.after, 0), id: { gt: cursorNumber(page.after, 1) } }],
      }
    : {};
  return paged(
    page,
    (take) => db.actor.findMany({ where: { AND: [...where, after] }, orderBy: [{ name: 'asc' }, { id: 'asc' }], take }),
    (a) => [a.name, a.id],
    () => db.actor.count({ where: { AND: where } }),
  );
}
