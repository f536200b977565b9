import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../src/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database file with every migration applied; each suite works on its own copy. */
    migratedTemplate: string;
    /** In the PostgreSQL run: the cluster's admin URL and the migrated template database suites copy. */
    postgresTemplate: { adminUrl: string; template: string } | null;
  }
}

/** Runs the real `prisma migrate deploy` once; suites copy its result instead of paying for it again. */
export default async function setup(project: TestProject) {
  const directory = mkdtempSync(path.join(tmpdir(), 'newsgraph-template-'));
  const template = path.join(directory, 'template.db');
  await applyMigrations(`file:${template}`);
  project.provide('migratedTemplate', template);
  project.provide('postgresTemplate', null);
  return () => rmSync(directory, { recursive: true, force: true });
}
