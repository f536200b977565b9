/**
 * Foreign keys guarantee these rows exist; a miss means the row was deleted between two statements
 * of one request, which the client should see as an error rather than as a null in a non-null field.
 */
export function required<T>(row: T | null, type: string, id: number): T {
  if (row === null) throw new Error(`${type} ${id} disappeared while the request was running`);
  return row;
}
