import { afterSql, cursorKeyOf, type OrderedPage, orderedPage, type Ordering, orderSql, sortColumns, sortValuesOf } from './order.js';
import { type Connection, type CursorKey, type PageArgs, toConnection } from './pagination.js';
import type { ChildId } from './store.js';
import { allByIds, type Columns, countOf, countsBy, LIMIT, type ReadScope, type Row, type Where } from './sql.js';

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
     WHERE ${where.sql} AND ${seek.sql} ORDER BY ${orderSql(scope.dialect, ordering)} ${LIMIT}`,
    [...where.params, ...seek.params, page.first + 1],
  );
  // The keys' values alone are kept for the cursors, made only if a query selects one (a date key
  // is parsed and printed again for each), and not the whole rows (see ChildOnPage).
  const { width } = table.columns;
  const sortValues = rows.map((row) => row.slice(width));
  const countJoin = joinFor(table, where.readsArticle);
  return toConnection(
    rows.map((row) => toRow(row)),
    page,
    (_, i) => cursorKeyOf(ordering, sortValuesOf(ordering, sortValues[i] ?? [], 0)),
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

/**
 * What a child page reads of each child: `select` over the child's table `row` (`"Quote" q`) and the
 * tables `joins` add to it (its article, its actor), which come along with it.
 */
export interface ChildColumns {
  readonly select: string;
  readonly row: string;
  readonly joins: readonly string[];
}

/**
 * One child on a page: its parent, its id, and its cursor's key, made when asked for (only a query
 * that selects cursors reads it) from the key's values as the statement gave them. It keeps those
 * values alone, not the statement's whole row: a page outlives its request's statements (a
 * connection holds it for its cursors), and whatever it reaches is copied at every young-generation
 * collection it lives through.
 */
class ChildOnPage implements ChildId {
  constructor(
    readonly parentId: number,
    readonly id: number,
    private readonly sortValues: Row,
    private readonly ordering: Ordering,
  ) {}

  get key(): CursorKey {
    return cursorKeyOf(this.ordering, sortValuesOf(this.ordering, this.sortValues, 0));
  }
}

/**
 * A page of children for each parent, in one statement, with the columns `columns` selects, which
 * `bringAlong` receives for each child (its row, and where the selected columns start in it) to
 * record the rows that come along. For one parent (a topic board, an actor's profile: the usual
 * case) a plain `WHERE parent = ? ORDER BY ... LIMIT`, which an index on the parent can answer in
 * order and stop early. For many, a window function numbers each parent's children in the order,
 * after the cursor, and the outer query keeps up to `first + 1` of each and reads their columns.
 */
export async function childPageIds(
  scope: ReadScope,
  table: ChildTable,
  where: Where,
  ordering: Ordering,
  parentIds: readonly number[],
  page: OrderedPage,
  columns: ChildColumns,
  bringAlong: (row: Row, at: number) => void,
): Promise<ChildId[]> {
  const { dialect } = scope;
  const seek = afterSql(dialect, ordering, page.after);
  const join = joinFor(table, where.readsArticle || ordering.readsArticle === true);
  const order = orderSql(dialect, ordering);
  const keys = ordering.keys.map((key) => key.sql).join(', ');
  const [only] = parentIds;
  const rows =
    parentIds.length === 1 && only !== undefined
      ? await scope.db.rows(
          `SELECT ${table.parent}, ${table.id}, ${keys}, ${columns.select} FROM ${table.from} ${[...new Set([join, ...columns.joins])].join(' ')}
           WHERE ${table.parent} = ? AND ${where.sql} AND ${seek.sql} ORDER BY ${order} ${LIMIT}`,
          [only, ...where.params, ...seek.params, page.first + 1],
        )
      : await allByIds(
          scope,
          `SELECT r.parent_id, r.id, ${ordering.keys.map((_, i) => `r.k${i}`).join(', ')}, ${columns.select} FROM (
            SELECT ${table.parent} AS parent_id, ${table.id} AS id, ${ordering.keys.map((key, i) => `${key.sql} AS k${i}`).join(', ')},
              ROW_NUMBER() OVER (PARTITION BY ${table.parent} ORDER BY ${order}) AS rank
            FROM ${table.from} ${join} WHERE ${dialect.inIds(table.parent)} AND ${where.sql} AND ${seek.sql}
          ) r JOIN ${columns.row} ON ${table.id} = r.id ${columns.joins.join(' ')} WHERE r.rank <= ? ORDER BY r.parent_id, r.rank`,
          parentIds,
          ...where.params,
          ...seek.params,
          page.first + 1,
        );
  const at = 2 + ordering.keys.length;
  const children: ChildId[] = [];
  for (const row of rows) {
    bringAlong(row, at);
    children.push(new ChildOnPage(Number(row[0]), Number(row[1]), row.slice(2, at), ordering));
  }
  return children;
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
