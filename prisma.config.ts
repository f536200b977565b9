// Configures the Prisma CLI. `engine: "js"` with a driver adapter makes migrate, db push and
// generate run on the WebAssembly schema engine, so no native engine binary is ever downloaded
// (our machines have no internet access beyond the npm registry).
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig } from 'prisma/config';
import { createDefaultDatabaseDirectory, databaseUrl } from './src/config.js';

const url = databaseUrl(process.env);
// The adapter opens the file eagerly, and SQLite cannot create a missing directory. Only data/ is
// created; the server refuses a DATABASE_URL in a directory that does not exist before it gets here.
createDefaultDatabaseDirectory(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter() {
    // The busy timeout lets `migrate deploy` wait for a running server's write to finish instead of
    // failing with SQLITE_BUSY (start-up and `npm run seed` run it beside a live server).
    return Promise.resolve(new PrismaBetterSQLite3({ url, timeout: 15_000 }, { shadowDatabaseUrl: ':memory:' }));
  },
});
