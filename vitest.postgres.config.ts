import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:postgres`: the suite against PostgreSQL, on a throwaway cluster that the global
 * setup creates and removes. Left out, each for a reason of its own:
 */
const SQLITE_ONLY = [
  // copies of the SQLite file (PostgreSQL is backed up with its own tools)
  'test/backup.test.ts',
  // SIGKILL during a burst with synchronous=FULL and WAL; the multi-server spec does it on PostgreSQL
  'test/durability.test.ts',
  // compares the SQLite migrations with schema.prisma; test/postgres/migrations.test.ts does it for PostgreSQL
  'test/migrations.test.ts',
  // full disks and immutable files under SQLite's file; a PostgreSQL server owns its own disk
  'test/storage-faults.test.ts',
  // refusals of damaged or foreign SQLite files at start-up
  'test/startup-errors.test.ts',
];

// Spread rather than mergeConfig, which would append this globalSetup to the base one.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/**/*.test.ts'], exclude: SQLITE_ONLY, globalSetup: ['test/support/postgres-setup.ts'] },
});
