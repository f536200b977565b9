import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StartupError } from './startup-error.js';

/** The file path inside a `file:` URL (query parameters dropped). */
export function databaseFile(url: string): string {
  return url.replace(/^file:/, '').replace(/\?.*$/, '');
}

const restore = 'restore it from a backup (see Backups in README.md), or point DATABASE_URL at another file';

/**
 * Checks, before migrations run, that the database file is one newsgraph can use: a missing file
 * (a new database) or a readable SQLite database that is either empty or newsgraph's own. A random
 * file, a damaged or truncated database, or some other application's database is refused with a
 * StartupError that names the file; Prisma would otherwise fail on it with P3005 or SQLite's
 * "file is not a database" deep inside a stack trace. SQLite's quick_check reads every page (a few
 * milliseconds per megabyte), so a truncated file is caught here and not at the first query that
 * reaches past its end.
 */
export function checkDatabaseFile(file: string): void {
  if (!existsSync(file)) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 15_000 });
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .pluck()
      .all() as string[];
    const problems = (db.pragma('quick_check(3)', { simple: false }) as { quick_check: string }[]).map((row) => row.quick_check);
    if (problems.join() !== 'ok') {
      throw new StartupError(`the database ${file} is damaged (SQLite's quick_check: ${problems.join('; ')}): ${restore}`);
    }
    if (tables.length > 0 && !tables.includes('_prisma_migrations')) {
      const listed = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '');
      throw new StartupError(
        `${file} is a SQLite database of something else (tables ${listed}; no newsgraph migrations): point DATABASE_URL at a newsgraph database or a new file`,
      );
    }
  } catch (error) {
    throw error instanceof Database.SqliteError ? unusable(file, error) : error;
  } finally {
    db?.close();
  }
}

function unusable(file: string, error: InstanceType<typeof Database.SqliteError>): StartupError {
  switch (error.code) {
    case 'SQLITE_NOTADB':
      return new StartupError(`${file} is not a SQLite database (SQLite: "${error.message}"): ${restore}`);
    case 'SQLITE_CORRUPT':
      return new StartupError(`the database ${file} is damaged or truncated (SQLite: "${error.message}"): ${restore}`);
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
    case 'SQLITE_READONLY':
      return new StartupError(
        `cannot open the database ${file} (SQLite: "${error.message}"): check that it and its directory can be read and written`,
      );
    case 'SQLITE_BUSY':
      return new StartupError(`the database ${file} stayed locked by another process for 15 s: stop whatever holds it, then start again`);
    default:
      return new StartupError(`cannot read the database ${file} (SQLite ${error.code}: "${error.message}"): ${restore}`);
  }
}
