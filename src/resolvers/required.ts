/**
 * Foreign keys guarantee these rows exist; a miss means the row was deleted between two statements
 * of one request, which the client should see as an error rather than as a null in a non-null field.
 * Takes a row that is known at once or one still loading, and answers in the same way.
 */
export function required<T>(row: T | null | Promise<T | null>, type: string, id: number): T | Promise<T> {
  return row instanceof Promise ? row.then((loaded) => present(loaded, type, id)) : present(row, type, id);
}

function present<T>(row: T | null, type: string, id: number): T {
  if (row === null) throw new Error(`${type} ${id} disappeared while the request was running`);
  return row;
}
