import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runPrismaCli } from '../src/migrate.js';
import { freshDatabaseFile } from './support/harness.js';

/** Tables, columns, indexes and foreign keys of a database, in a comparable form. */
function describeSchema(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      // The FTS5 search tables (and their shadow tables) come from a hand-written migration that
      // schema.prisma cannot express; search.test.ts covers them.
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' AND name NOT LIKE '%Search%' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((table) => [
        table,
        {
          columns: db.pragma(`table_info("${table}")`),
          indexes: (db.pragma(`index_list("${table}")`) as { name: string; unique: number }[])
            .map((index) => ({
              unique: index.unique,
              columns: (db.pragma(`index_info("${index.name}")`) as { name: string }[]).map((c) => c.name),
            }))
            .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
          foreignKeys: db.pragma(`foreign_key_list("${table}")`),
        },
      ]),
    );
  } finally {
    db.close();
  }
}

const reference = freshDatabaseFile();
afterAll(() => reference.remove());

describe('migrations', () => {
  it('build exactly the schema that prisma/schema.prisma describes', async () => {
    const migrated = describeSchema(inject('migratedTemplate'));
    // The schema Prisma itself derives from schema.prisma, applied to an empty file. (`db push`
    // would be the obvious reference, but on the JavaScript engine it sits for a minute after
    // finishing whenever a model has a nullable Float column.)
    const sql = await runPrismaCli(
      ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
      reference.url,
    );
    rmSync(reference.file);
    const db = new Database(reference.file);
    db.exec(sql);
    db.close();
    expect(describeSchema(reference.file)).toEqual(migrated);
    expect(Object.keys(migrated)).toEqual(['Actor', 'ActorAlias', 'Article', 'ArticleTopic', 'Mention', 'Position', 'Quote', 'Topic']);
    // The CLI's cold start alone takes seconds on a loaded 2-core machine.
  }, 60_000);

  it('index every foreign key', () => {
    const schema = describeSchema(inject('migratedTemplate'));
    for (const [table, { indexes, foreignKeys }] of Object.entries(schema)) {
      for (const foreignKey of foreignKeys as { from: string }[]) {
        const leading = indexes.some((index) => index.columns[0] === foreignKey.from);
        expect(leading, `${table}.${foreignKey.from} has no index`).toBe(true);
      }
    }
  });
});
