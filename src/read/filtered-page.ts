import { afterSql, cursorKeyOf, type OrderedPage, orderedPage, type Ordering, orderSql, sortColumns, sortValuesOf } from './order.js';
import { type Connection, type CursorKey, type PageArgs, toConnection } from './pagination.js';
import { allByIds, type Columns, countOf, countsBy, type ReadScope, type Row, type Where } from './sql.js';

/**
 * The statements of every ordered, filtered list, written once: a page of a root list (`quotes`,
 * `actors`, ...) and the pages of a child list for many parents at once (`Actor.quotes` of every
 * actor on a page), each with its count. The entity modules give the table, the conditions (Where)
 * and the order; the keyset condition and the cursors come from the order (order.ts).
 */

/** The table a list reads: `"Quote" q`, the columns of its rows, and how to reach the article `a` of a quote or position. */
export interface ListTable {
  readonly from: string;
  readonly columns: Pick<Columns<string>, 'list' | 'width'>;
  /** Added when a condition or the order reads the article (`JOIN "Article" a ON a.id = q."articleId"`). */
  readonly articleJoin?: string;
}

/** The same order over the key columns `k0, k1, ...` a subquery `alias` selected them as. */
const sortedBy = (ordering: Ordering, alias: string): Ordering => ({
  ...ordering,
  keys: ordering.keys.map((key, i) => ({ ...key, sql: `${alias}.k${i}` })),
});

const joinFor = (table: Pick<ListTable, 'articleJoin'>, needed: boolean) => (needed ? (table.articleJoin ?? '') : '');

/**
 * One page of the rows of `table` that meet `where`, in `ordering`, after the cursor; the count of
 * all of them runs only when asked for. The keys' values come back as trailing columns, for the
 * cursors.
 */
export async function orderedList<T>(
  scope: ReadScope,
  table: ListTable,
  where: Where,
  ordering: Ordering,
  args: PageArgs,
  toRow: (row: Row) => T,
): Promise<Connection<T>> {
  const page = orderedPage(args, ordering);
  const seek = afterSql(scope.dialect, ordering, page.after);
  const join = joinFor(table, where.readsArticle || ordering.readsArticle === true);
  const rows = await scope.db.rows(
    `SELECT ${table.columns.list}, ${sortColumns(ordering)} FROM ${table.from} ${join}
     WHERE ${where.sql} AND ${seek.sql} ORDER BY ${orderSql(scope.dialect, ordering)} LIMIT ?`,
    [...where.params, ...seek.params, page.first + 1],
  );
  const keys = rows.map((row) => cursorKeyOf(ordering, sortValuesOf(ordering, row, table.columns.width)));
  const countJoin = joinFor(table, where.readsArticle);
  return toConnection(
    rows.map((row) => toRow(row)),
    page,
    (_, i) => keys[i] ?? [],
    () => countOf(scope, `SELECT count(*) AS total FROM ${table.from} ${countJoin} WHERE ${where.sql}`, where.params),
  );
}

/** A child list's table: the list's table, the column that names each row's parent, and the row's id. */
export interface ChildTable extends Omit<ListTable, 'columns'> {
  /** e.g. `q."speakerId"`. */
  readonly parent: string;
  /** e.g. `q.id`. */
  readonly id: string;
}

/** One child on a page: its parent, its id, its cursor, and the columns the statement read of it, from `at` on. */
export interface ChildRow {
  parentId: number;
  id: number;
  key: CursorKey;
  row: Row;
  at: number;
}

/**
 * A page of children for each parent, in one statement, with the columns `outer` selects over them
 * (`outer.joins` reads the child again by `r.id`, and whatever comes along: `JOIN "Quote" q ON q.id =
 * r.id JOIN "Article" a ON ...`). For many parents a window function numbers each parent's children
 * in the order, after the cursor, and the outer query keeps up to `first + 1` of each. For one parent
 * (a topic board, an actor's profile: the usual case) a plain `LIMIT` does, which an index on the
 * parent can answer in order and stop early, where the window numbers every child first.
 */
export async function childPageRows(
  scope: ReadScope,
  table: ChildTable,
  where: Where,
  ordering: Ordering,
  parentIds: readonly number[],
  page: OrderedPage,
  outer: { select: string; joins: string },
): Promise<ChildRow[]> {
  const { dialect } = scope;
  const seek = afterSql(dialect, ordering, page.after);
  const join = joinFor(table, where.readsArticle || ordering.readsArticle === true);
  const keys = ordering.keys.map((key, i) => `${key.sql} AS k${i}`).join(', ');
  const picked = `r.parent_id, r.id, ${ordering.keys.map((_, i) => `r.k${i}`).join(', ')}, ${outer.select}`;
  const [only] = parentIds;
  const rows =
    parentIds.length === 1 && only !== undefined
      ? await scope.db.rows(
          `SELECT ${picked} FROM (
            SELECT ${table.parent} AS parent_id, ${table.id} AS id, ${keys} FROM ${table.from} ${join}
            WHERE ${table.parent} = ? AND ${where.sql} AND ${seek.sql} ORDER BY ${orderSql(dialect, ordering)} LIMIT ?
          ) r ${outer.joins} ORDER BY ${orderSql(dialect, sortedBy(ordering, 'r'))}`,
          [only, ...where.params, ...seek.params, page.first + 1],
        )
      : await allByIds(
          scope,
          `SELECT ${picked} FROM (
            SELECT ${table.parent} AS parent_id, ${table.id} AS id, ${keys},
              ROW_NUMBER() OVER (PARTITION BY ${table.parent} ORDER BY ${orderSql(dialect, ordering)}) AS rank
            FROM ${table.from} ${join} WHERE ${dialect.inIds(table.parent)} AND ${where.sql} AND ${seek.sql}
          ) r ${outer.joins} WHERE r.rank <= ? ORDER BY r.parent_id, r.rank`,
          parentIds,
          ...where.params,
          ...seek.params,
          page.first + 1,
        );
  const at = 2 + ordering.keys.length;
  return rows.map((row) => ({
    parentId: Number(row[0]),
    id: Number(row[1]),
    key: cursorKeyOf(ordering, sortValuesOf(ordering, row, 2)),
    row,
    at,
  }));
}

/** How many children meet `where` under each parent, in key order, in one grouped statement. */
export async function childCounts(
  scope: ReadScope,
  table: Omit<ChildTable, 'id'>,
  where: Where,
  parentIds: readonly number[],
): Promise<number[]> {
  const join = joinFor(table, where.readsArticle);
  const text = `SELECT ${table.parent}, count(*) FROM ${table.from} ${join}
    WHERE ${scope.dialect.inIds(table.parent)} AND ${where.sql} GROUP BY ${table.parent}`;
  return countsBy(await allByIds(scope, text, parentIds, ...where.params), parentIds);
}
