import { databaseFile, databaseUrl, isPostgresUrl, prepareDatabaseDirectory } from './config.js';
import { checkDatabaseFile } from './database-file.js';
import { applyMigrations } from './migrate.js';
import { exitOnStartupError } from './startup-error.js';

/**
 * The database a command-line script writes to (DATABASE_URL), checked and migrated as the server
 * does at start-up; a mistake the user can fix ends `program` with one line saying so.
 */
export async function migratedDatabaseUrl(program: string): Promise<string> {
  try {
    const url = databaseUrl(process.env);
    prepareDatabaseDirectory(url);
    if (!isPostgresUrl(url)) checkDatabaseFile(databaseFile(url));
    await applyMigrations(url);
    return url;
  } catch (error) {
    exitOnStartupError(program, error);
  }
}
