import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/harness.js';

// Prisma's own differ, run offline on the pg adapter (prisma/postgres/prisma.config.ts): it applies
// prisma/postgres/migrations to a shadow database and compares what they built with the datamodel.
// The SQLite migrations are compared with prisma/schema.prisma by test/migrations.test.ts.

let database: Awaited<ReturnType<typeof freshDatabase>>;
const scratch = mkdtempSync(path.join(tmpdir(), 'newsgraph-drift-'));
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** `prisma migrate diff --exit-code` from migrations to a datamodel: 0 when they agree, 2 when not. */
async function drift(migrations: string, datamodel: string): Promise<{ code: number; stdout: string }> {
  const args = [
    'node_modules/prisma/build/index.js',
    'migrate',
    'diff',
    '--config',
    'prisma/postgres/prisma.config.ts',
    '--from-migrations',
    migrations,
    '--to-schema-datamodel',
    datamodel,
    '--exit-code',
  ];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      env: { ...process.env, DATABASE_URL: database.url, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: unknown; stdout?: string; stderr?: string };
    if (code !== 2) throw new Error(`prisma migrate diff failed (${String(code)}): ${stderr ?? ''}`, { cause: error });
    return { code, stdout: stdout ?? '' };
  }
}

describe('the PostgreSQL migrations', () => {
  it('build exactly the schema prisma/postgres/schema.prisma describes', async () => {
    const { code, stdout } = await drift('prisma/postgres/migrations', 'prisma/postgres/schema.prisma');
    expect(stdout.trim()).toBe('No difference detected.');
    expect(code).toBe(0);
    // The CLI's cold start alone takes seconds on a loaded 2-core machine.
  }, 120_000);

  it('are reported when they and the datamodel drift apart, either way', async () => {
    // A migration that lost an index, and a model that gained a column.
    const migrations = path.join(scratch, 'migrations');
    cpSync('prisma/postgres/migrations', migrations, { recursive: true });
    const init = path.join(migrations, '20261202100000_init', 'migration.sql');
    const sql = readFileSync(init, 'utf8');
    expect(sql).toContain('CREATE INDEX "Article_title_idx"');
    writeFileSync(init, sql.replace(/CREATE INDEX "Article_title_idx"[^;]*;/, ''));
    const datamodel = path.join(scratch, 'schema.prisma');
    const schema = readFileSync('prisma/postgres/schema.prisma', 'utf8');
    expect(schema).toMatch(/^model Topic \{$/m);
    writeFileSync(datamodel, schema.replace(/^model Topic \{$/m, 'model Topic {\n  color String?'));

    const { code, stdout } = await drift(migrations, datamodel);
    expect(code).toBe(2);
    expect(stdout).toContain('[+] Added column `color`');
    expect(stdout).toContain('[+] Added index on columns (title)');
    // Nothing else: the search tables beside the models are not the differ's to drop.
    expect(stdout).not.toMatch(/Search/);
  }, 120_000);
});
