import { readsOver } from './reads.js';
import type { ReadScope, Statements } from './sql.js';
import { prepared, sqliteDialect, sqliteStatements, type SqlReader } from './sqlite.js';
import type { ReadStore } from './store.js';

/**
 * Idle read connections kept open for the next requests; more are opened while more are in use.
 * Enough for the requests a busy server has in flight at once (ten under the benchmark's load), so
 * that connections, and the prepared statements each one caches, are reused rather than reopened.
 */
const IDLE_CONNECTIONS = 16;

/**
 * The read store on SQLite: the entity modules' statements, run synchronously on read-only
 * better-sqlite3 connections and answered as promises, which is what the interface asks of any store.
 *
 * Each request reads one snapshot: its first read takes a connection of its own and opens a read
 * transaction there, which it holds until the request ends (Reads.end), so a write that commits
 * between two of its statements (a row's lean columns and its details, a list and its count) shows
 * in neither. In WAL mode an open read transaction blocks no writer. A request never waits for a
 * connection: when none is idle another is opened, so a request that is never ended (a caller that
 * skips end) costs a connection, not a hang; close() closes them all.
 */
export function sqliteReadStore(open: () => SqlReader, shared: SqlReader): ReadStore & { close(): void } {
  const idle: SqlReader[] = [];
  const all = new Set<SqlReader>();
  const acquire = () => {
    const sql = idle.pop() ?? open();
    all.add(sql);
    prepared(sql, 'BEGIN').run();
    return sql;
  };
  const statements = new WeakMap<SqlReader, Statements>();
  const statementsOn = (sql: SqlReader) => {
    let found = statements.get(sql);
    if (!found) statements.set(sql, (found = sqliteStatements(sql)));
    return found;
  };
  const release = (sql: SqlReader) => {
    prepared(sql, 'COMMIT').run();
    if (idle.length < IDLE_CONNECTIONS) idle.push(sql);
    else {
      all.delete(sql);
      sql.close();
    }
  };
  return {
    session: (known) => {
      let sql: SqlReader | null = null;
      let current: ReadScope | null = null;
      let ended = false;
      // Reads after the end (a count a resolver asks for late) run outside any snapshot, on the
      // shared connection, rather than holding a connection that nothing would release.
      const scope = (): ReadScope => (current ??= { db: statementsOn(ended ? shared : (sql = acquire())), dialect: sqliteDialect, known });
      const end = () => {
        if (ended) return;
        ended = true;
        current = null;
        if (sql !== null) release(sql);
        sql = null;
      };
      return readsOver(scope, end);
    },
    close() {
      for (const sql of all) sql.close();
      all.clear();
      idle.length = 0;
    },
  };
}
