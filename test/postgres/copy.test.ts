import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db.js';
import { SEEDS_DIRECTORY } from '../../src/paths.js';
import { seedDirectory } from '../../src/services/seeding.js';
import { saveArticle } from '../../src/services/articles.js';
import { freshDatabase, freshDatabaseFile, rowCounts } from '../support/harness.js';

const sqlite = freshDatabaseFile();
const postgres = await freshDatabase();
afterAll(async () => {
  sqlite.remove();
  await postgres.remove();
});

describe('npm run copy', () => {
  it('moves a SQLite database to PostgreSQL with every row, verified by counts and a spot check', async () => {
    const source = await openDatabase(sqlite.url);
    await seedDirectory(source.writer, SEEDS_DIRECTORY);
    await saveArticle(source.writer, {
      title: 'Ferry talks in São Paulo',
      body: 'Maren Holt said “the ferries stay in port” on Monday.',
      actors: [
        { name: 'Maren Holt', kind: 'PERSON', aliases: ['M. Holt'], affiliation: 'Ferry Union' },
        { name: 'Ferry Union', kind: 'ORGANIZATION' },
      ],
      quotes: [{ text: 'the ferries stay in port', speaker: 'Maren Holt', kind: 'DIRECT' }],
    });
    const before = await rowCounts(source.writer);
    await source.close();
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'src/copy.ts',
      '--from',
      sqlite.url,
      '--to',
      postgres.url,
    ]);
    expect(stdout).toMatch(/counts match on every table/);
    const target = await openDatabase(postgres.url);
    try {
      expect(before.articles).toBeGreaterThan(1);
      expect(await rowCounts(target.writer)).toEqual(before);
      const holt = await target.writer.actor.findFirstOrThrow({
        where: { name: 'Maren Holt' },
        include: { affiliation: true, aliases: true },
      });
      expect(holt.affiliation?.name).toBe('Ferry Union');
      expect(holt.aliases.map((a) => a.alias)).toEqual(['M. Holt']);
      // The copy is searchable (accents folded, aliases indexed) and takes new rows after the copied ids.
      const reads = target.reads.session({ article() {}, actor() {}, quote() {}, topic() {}, position() {} });
      const hits = await reads.search.list('sao paulo', { first: 5 });
      const byAlias = await reads.search.list('holt', { first: 5 });
      reads.end();
      expect(hits.edges.map((e) => e.node.type)).toContain('Article');
      expect(byAlias.edges.map((e) => e.node.type)).toContain('Actor');
      await saveArticle(target.writer, { title: 'After the copy', body: 'Nothing said.' });
      expect(await target.writer.article.count()).toBe(before.articles + 1);
    } finally {
      await target.close();
    }
  }, 120_000);
});
