import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db, type Storage } from '../src/db.js';
import { SEEDS_DIRECTORY } from '../src/paths.js';
import { readSeed, seedDirectory } from '../src/services/seeding.js';
import { freshDatabaseFile, rowCounts } from './support/harness.js';

const SEED = 'xi-zelensky-phone-call';
let database: ReturnType<typeof freshDatabaseFile>;
let storage: Storage;
let db: Db;
let seeds: string;

beforeAll(async () => {
  database = freshDatabaseFile();
  storage = await openDatabase(database.url);
  db = storage.writer;
  seeds = mkdtempSync(path.join(tmpdir(), 'newsgraph-seeds-'));
  for (const ext of ['json', 'txt']) copyFileSync(path.join(SEEDS_DIRECTORY, `${SEED}.${ext}`), path.join(seeds, `${SEED}.${ext}`));
});
afterAll(async () => {
  await storage.close();
  database.remove();
  rmSync(seeds, { recursive: true, force: true });
});

type SeedAnnotation = Record<string, unknown> & { quotes: { text: string; speaker: string; kind: string }[] };

function editSeed(edit: (annotation: SeedAnnotation) => void) {
  const file = path.join(seeds, `${SEED}.json`);
  const annotation = JSON.parse(readFileSync(file, 'utf8')) as SeedAnnotation;
  edit(annotation);
  writeFileSync(file, JSON.stringify(annotation));
}

describe('seeding', () => {
  it('loads the seed article with its whole annotation', async () => {
    expect(await seedDirectory(db, seeds)).toEqual([{ file: `${SEED}.json`, slug: SEED, outcome: 'created' }]);
    expect(await rowCounts(db)).toEqual({
      articles: 1,
      actors: 17,
      aliases: 24,
      mentions: 17,
      quotes: 16,
      topics: 5,
      articleTopics: 5,
      positions: 12,
    });
  });

  it('creates no duplicates when run again', async () => {
    const before = await rowCounts(db);
    const article = await db.article.findUniqueOrThrow({ where: { slug: SEED } });
    expect(await seedDirectory(db, seeds)).toEqual([{ file: `${SEED}.json`, slug: SEED, outcome: 'unchanged' }]);
    expect(await rowCounts(db)).toEqual(before);
    expect((await db.article.findUniqueOrThrow({ where: { slug: SEED } })).updatedAt).toEqual(article.updatedAt);
  });

  it('updates the article in place when its annotation changes', async () => {
    const { id } = await db.article.findUniqueOrThrow({ where: { slug: SEED } });
    editSeed((annotation) => {
      annotation.quotes = annotation.quotes.filter((q) => q.text !== 'special nature');
      annotation.source = 'Seed Desk';
    });
    expect(await seedDirectory(db, seeds)).toEqual([{ file: `${SEED}.json`, slug: SEED, outcome: 'replaced' }]);
    const article = await db.article.findUniqueOrThrow({ where: { slug: SEED }, include: { quotes: true } });
    expect(article.id).toBe(id);
    expect(article.source).toBe('Seed Desk');
    expect(article.quotes.map((q) => q.text)).not.toContain('special nature');
    expect(await rowCounts(db)).toMatchObject({ articles: 1, actors: 17, quotes: 15, positions: 12 });
  });

  it('rejects a seed that is not a valid AddArticleInput, naming the problem', async () => {
    editSeed((annotation) => {
      annotation.quotes[0]!.kind = 'SHOUTED';
    });
    await expect(readSeed(path.join(seeds, `${SEED}.json`))).rejects.toThrow(
      /quotes\.0\.kind: Value "SHOUTED" does not exist in "QuoteKind" enum/,
    );
  });

  it('rejects a seed whose body differs from its .txt', async () => {
    editSeed((annotation) => {
      annotation.quotes[0]!.kind = 'DIRECT';
      annotation.body = 'Something else entirely.';
    });
    await expect(readSeed(path.join(seeds, `${SEED}.json`))).rejects.toThrow(`"body" differs from ${SEED}.txt`);
  });

  it('extracts the annotation of an article that has a .txt but no .json', async () => {
    const name = 'riverside-housing-vote';
    copyFileSync(new URL(`./fixtures/articles/${name}.txt`, import.meta.url), path.join(seeds, `${name}.txt`));
    // The broken seed annotation of the test before is not this test's business.
    rmSync(path.join(seeds, `${SEED}.json`));
    rmSync(path.join(seeds, `${SEED}.txt`));
    expect(await seedDirectory(db, seeds)).toEqual([{ file: `${name}.txt`, slug: name, outcome: 'created' }]);
    const article = await db.article.findUniqueOrThrow({
      where: { slug: name },
      include: { quotes: { include: { speaker: true }, orderBy: { id: 'asc' } } },
    });
    expect(article.title).toBe('City council approves riverside housing plan despite protests');
    expect(article.quotes.filter((q) => q.kind !== 'INDIRECT').map((q) => [q.text, q.speaker?.name, q.origin])).toEqual([
      ['This is the most important housing decision in a generation', 'Linda Okafor', 'EXTRACTED'],
      ['and it will let young families stay in Brookfield.', 'Linda Okafor', 'EXTRACTED'],
      ['wipe out the last green space', 'Daniel Weiss', 'EXTRACTED'],
      ['rushed', 'Priya Nair', 'EXTRACTED'],
    ]);
    expect(await seedDirectory(db, seeds)).toEqual([{ file: `${name}.txt`, slug: name, outcome: 'unchanged' }]);
  });

  describe('a run with a faulty file', () => {
    let run: string;
    beforeAll(() => {
      run = mkdtempSync(path.join(tmpdir(), 'newsgraph-seed-run-'));
    });
    afterAll(() => rmSync(run, { recursive: true, force: true }));
    const write = (name: string, content: unknown) =>
      writeFileSync(path.join(run, name), typeof content === 'string' ? content : JSON.stringify(content));
    const valid = (title: string) => ({ title, body: `${title} happened today.`, topics: ['Seeding'] });

    it('names every faulty file and field, and writes none of the run', async () => {
      write('a-fine.json', valid('A fine article'));
      write('b-truncated.json', '{"title": "Cut off", "body": "Half');
      write('c-bad-kind.json', { ...valid('A bad kind'), actors: [{ name: 'Ada Quill', kind: 'WIZARD' }] });
      const before = await rowCounts(db);
      const error = await seedDirectory(db, run).then(
        () => null,
        (thrown: unknown) => thrown as Error,
      );
      expect(error?.message.split('\n')).toEqual([
        'Nothing was seeded: 2 files have problems',
        // Node's own wording of the JSON error follows, which differs between versions.
        expect.stringMatching(/^ {2}b-truncated\.json: is not valid JSON: Unterminated string in JSON at position 34/) as unknown,
        expect.stringMatching(/^ {2}c-bad-kind\.json: is not a valid AddArticleInput:$/) as unknown,
        expect.stringMatching(/^ {4}actors\.0\.kind: Value "WIZARD" does not exist in "ActorKind" enum/) as unknown,
      ]);
      expect(await rowCounts(db)).toEqual(before);
    });

    it('names the file the database refuses, and writes none of the run', async () => {
      rmSync(path.join(run, 'b-truncated.json'));
      write('c-bad-kind.json', {
        ...valid('An unknown speaker'),
        quotes: [{ text: 'paraphrase', kind: 'INDIRECT', speaker: 'Nobody Known' }],
      });
      const before = await rowCounts(db);
      await expect(seedDirectory(db, run)).rejects.toThrow(
        'Nothing was seeded: a file has a problem\n  c-bad-kind.json: input.quotes[0].speaker "Nobody Known" is not a known actor; declare it in input.actors',
      );
      expect(await rowCounts(db)).toEqual(before);
      rmSync(path.join(run, 'c-bad-kind.json'));
      expect(await seedDirectory(db, run)).toEqual([{ file: 'a-fine.json', slug: 'a-fine', outcome: 'created' }]);
    });
  });
});
