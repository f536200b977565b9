import { type Connection, cursorNumber, type PageArgs, pageRequest, toConnection } from './pagination.js';
import { countOf, type ReadScope, type Row } from './sql.js';

/** A filter's conditions in SQL, each with the one parameter it binds; all must hold. */
export type Conditions = (readonly [sql: string, parameter: unknown])[];

/**
 * One page of the rows of `from` (a table and its alias, e.g. `"Quote" q`) that meet every condition,
 * in id order with the id as the keyset cursor, and their count when asked: the lists that page by
 * id alone (quotes, positions) differ only in their table, columns and conditions.
 */
export async function filteredIdPage<T extends { id: number }>(
  scope: ReadScope,
  table: { from: string; alias: string; list: string },
  conditions: Conditions,
  args: PageArgs,
  toRow: (row: Row) => T,
): Promise<Connection<T>> {
  const page = pageRequest(args, 1);
  const where = conditions.length > 0 ? conditions.map(([sql]) => sql).join(' AND ') : '1 = 1';
  const params = conditions.map(([, parameter]) => parameter);
  const after = page.after ? cursorNumber(page.after, 0) : 0;
  const { from, alias, list } = table;
  const rows = await scope.db.rows(
    `SELECT ${list} FROM "${from}" ${alias} WHERE ${where} AND ${alias}.id > ? ORDER BY ${alias}.id LIMIT ?`,
    [...params, after, page.first + 1],
  );
  return toConnection(
    rows.map((row) => toRow(row)),
    page,
    (item) => [item.id],
    () => countOf(scope, `SELECT count(*) AS total FROM "${from}" ${alias} WHERE ${where}`, params),
  );
}
