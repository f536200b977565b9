import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../src/migrate.js';
import { startCluster } from '../../src/postgres/cluster.js';
import globalSetup from './global-setup.js';

const TEMPLATE = 'newsgraph_template';

/**
 * The PostgreSQL run's setup: the SQLite template as usual (the SQLite-only suites and tools still
 * use it), plus a throwaway cluster with a template database that has every PostgreSQL migration
 * applied; each suite's server gets a database created from it (CREATE DATABASE ... TEMPLATE).
 * The cluster goes with the run however it ends: a killed run's cluster is removed by its guard
 * (src/postgres/cluster.ts), a failed setup's here.
 */
export default async function setup(project: TestProject) {
  const removeSqlite = await globalSetup(project);
  const cluster = await startCluster();
  try {
    const admin = new pg.Client(cluster.url());
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
    await admin.end();
    await applyMigrations(cluster.url(TEMPLATE));
  } catch (error) {
    await cluster.stop();
    removeSqlite();
    throw error;
  }
  project.provide('postgresTemplate', { adminUrl: cluster.url(), template: TEMPLATE });
  return async () => {
    await cluster.stop();
    removeSqlite();
  };
}
