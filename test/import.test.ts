import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureExtractionPool } from '../src/services/extraction-pool.js';
import { importArticles, jsonLines, type RejectedLine } from '../src/services/import.js';
import { freshDatabaseFile, rowCounts, startTestServer, type TestServer } from './support/harness.js';

const run = promisify(execFile);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seed: false });
});
afterAll(async () => {
  await server.close();
});

/** A small annotated article as one JSONL line's object; `n` makes it its own. */
function wire(n: number, overrides: Record<string, unknown> = {}) {
  return {
    title: `Ferry timetable ${n}`,
    body: `Operator spokesman Ole Brandt said \u201Cthe ${n}:00 crossing runs daily\u201D from May.`,
    source: 'Coast Wire',
    url: `https://coast.example/ferry-${n}`,
    publishedAt: '2024-05-0' + String((n % 9) + 1) + 'T08:00:00.000Z',
    topics: ['Ferry services'],
    actors: [{ name: 'Ole Brandt', kind: 'PERSON', aliases: ['Operator spokesman Ole Brandt'] }],
    quotes: [{ text: `the ${n}:00 crossing runs daily`, speaker: 'Ole Brandt', kind: 'PARTIAL' }],
    ...overrides,
  };
}

const jsonl = (...lines: (object | string)[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

async function importText(text: string, options: Parameters<typeof importArticles>[2] = {}) {
  const rejected: RejectedLine[] = [];
  const summary = await importArticles(server.storage.writer, Readable.from([Buffer.from(text)]), {
    ...options,
    onRejected: (r) => rejected.push(r),
  });
  return { summary, rejected };
}

describe('importing JSONL', () => {
  it('stores every good line and reports each bad one with its number and why, the others unharmed', async () => {
    const text = jsonl(
      wire(1),
      '{"title": "Broken',
      wire(2, { quotes: [{ text: 'the 2:00 crossing runs daily', speaker: 'Nobody Here', kind: 'PARTIAL' }] }),
      '',
      wire(3, { quotes: [{ text: 'x', kind: 'SHOUTED' }] }),
      '[1, 2]',
      wire(4),
      wire(5, { title: '' }),
    );
    const { summary, rejected } = await importText(text, { batchSize: 3 });
    // In line order, whether the line itself or the write path refused it.
    expect(rejected.map((r) => [r.line, r.code, r.message])).toEqual([
      [2, 'BAD_USER_INPUT', expect.stringMatching(/^is not valid JSON: /)],
      [3, 'BAD_USER_INPUT', 'input.quotes[0].speaker "Nobody Here" is not a known actor; declare it in input.actors'],
      [5, 'BAD_USER_INPUT', expect.stringMatching(/^is not a valid AddArticleInput: quotes\.0\.kind: Value "SHOUTED" does not exist/)],
      [6, 'BAD_USER_INPUT', 'is not a JSON object (one AddArticleInput per line)'],
      [8, 'BAD_USER_INPUT', 'input.title must not be empty'],
    ]);
    expect(summary).toMatchObject({ lines: 8, created: 2, replaced: 0, unchanged: 0, rejected: 5 });
    const stored = await server.db.article.findMany({ orderBy: { id: 'asc' }, include: { quotes: { include: { speaker: true } } } });
    expect(stored.map((a) => [a.slug, a.url, a.quotes.map((q) => [q.text, q.speaker?.name])])).toEqual([
      ['ferry-timetable-1', 'https://coast.example/ferry-1', [['the 1:00 crossing runs daily', 'Ole Brandt']]],
      ['ferry-timetable-4', 'https://coast.example/ferry-4', [['the 4:00 crossing runs daily', 'Ole Brandt']]],
    ]);
  });

  it('writes nothing when the same file is imported again', async () => {
    const before = await rowCounts(server.db);
    const { summary, rejected } = await importText(jsonl(wire(1), wire(4)));
    expect(rejected).toEqual([]);
    expect(summary).toMatchObject({ created: 0, replaced: 0, unchanged: 2 });
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('replaces, in place, a stored article whose slug a line names with another annotation', async () => {
    const stored = await server.db.article.findUniqueOrThrow({ where: { slug: 'ferry-timetable-4' } });
    const { summary } = await importText(jsonl(wire(4, { slug: 'ferry-timetable-4', source: 'Harbour Gazette', quotes: [] })));
    expect(summary).toMatchObject({ created: 0, replaced: 1 });
    const after = await server.db.article.findUniqueOrThrow({ where: { slug: 'ferry-timetable-4' }, include: { quotes: true } });
    expect([after.id, after.source, after.quotes]).toEqual([stored.id, 'Harbour Gazette', []]);
  });

  it('refuses a line longer than the limit without holding it, and reads on', async () => {
    const long = wire(6, { body: `Ole Brandt said \u201Cthe 6:00 crossing runs daily\u201D. ${'Waves. '.repeat(400)}` });
    const { summary, rejected } = await importText(jsonl(long, wire(7)), { maxLineBytes: 2_000 });
    expect(rejected).toEqual([
      {
        line: 1,
        code: null,
        message: `is ${Buffer.byteLength(JSON.stringify(long))} bytes long; the limit is 2000 bytes (MAX_BODY_BYTES), as for one addArticle request`,
      },
    ]);
    expect(summary).toMatchObject({ lines: 2, created: 1, rejected: 1 });
  });

  it('derives the slugs of 600 articles that name none in one batch, then of 600 more under the same titles', async () => {
    // Each title's slug, and for a taken one its numbered ones, are looked up for the whole batch;
    // written as one condition per title, a batch this size was once more bound parameters, then
    // a deeper expression, than one statement takes, and the batch failed.
    const lines = (round: number) =>
      Array.from({ length: 600 }, (_, i) => ({ title: `Tide table ${i}`, body: `High water at ${i} past ${round}.` }));
    for (const round of [1, 2]) {
      const { summary, rejected } = await importText(jsonl(...lines(round)), { batchSize: 600 });
      expect(rejected).toEqual([]);
      expect(summary).toMatchObject({ lines: 600, created: 600 });
    }
    const slugs = await server.db.article.findMany({
      where: { title: 'Tide table 7' },
      orderBy: { id: 'asc' },
      select: { slug: true, body: true },
    });
    expect(slugs).toEqual([
      { slug: 'tide-table-7', body: 'High water at 7 past 1.' },
      { slug: 'tide-table-7-2', body: 'High water at 7 past 2.' },
    ]);
  });

  it('leaves out each line the checks against the store refuse, and writes the rest of its batch once', async () => {
    const before = await server.db.article.count();
    const lines = [
      wire(20),
      wire(21, { url: 'https://coast.example/ferry-20' }),
      wire(22),
      wire(23, { positions: [{ actor: 'Ole Brandt', topic: 'Nowhere', stance: 'SUPPORT', summary: 'Backs it.' }] }),
      wire(24),
    ];
    const { summary, rejected } = await importText(jsonl(...lines), { batchSize: 10 });
    expect(rejected.map((r) => [r.line, r.code, r.message])).toEqual([
      [2, 'BAD_USER_INPUT', 'input.url "https://coast.example/ferry-20" is already used by another article'],
      [4, 'BAD_USER_INPUT', 'input.positions[0].topic "Nowhere" is not a known topic; list it in input.topics'],
    ]);
    expect(summary).toMatchObject({ lines: 5, created: 3, rejected: 2 });
    expect(await server.db.article.count()).toBe(before + 3);
  });

  it('stores an actor or topic line after the articles before it, once, and refuses one of neither shape', async () => {
    const lines = jsonl(
      wire(30),
      { actor: { name: 'Coast Ferries', kind: 'ORGANIZATION', aliases: ['the operator'] } },
      { actor: { name: 'Ole Brandt', kind: 'PERSON', affiliation: 'Coast Ferries' } },
      { topic: 'Ferry fares' },
      { actor: { name: 'Nils Berg' } },
      { topic: 7 },
    );
    const first = await importText(lines);
    expect(first.rejected.map((r) => [r.line, r.message])).toEqual([
      [5, 'is not a valid actor line ({"actor": ActorInput}): actor: Field "kind" of required type "ActorKind!" was not provided.'],
      [6, 'topic: must be a string, the name of a topic'],
    ]);
    // The article is new; so are the operator and the topic; Ole Brandt, stored by earlier lines, gains his affiliation.
    expect(first.summary).toMatchObject({ created: 3, replaced: 1, unchanged: 0, rejected: 2 });
    const brandt = await server.db.actor.findUniqueOrThrow({ where: { nameKey: 'ole brandt' }, include: { affiliation: true } });
    expect(brandt.affiliation?.name).toBe('Coast Ferries');
    expect(await server.db.topic.count({ where: { slug: 'ferry-fares' } })).toBe(1);
    const before = await rowCounts(server.db);
    const again = await importText(lines);
    expect(again.summary).toMatchObject({ created: 0, replaced: 0, unchanged: 4, rejected: 2 });
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('runs the extractor, with --extract, on a line that has no annotation', async () => {
    const bare = {
      title: 'Ferry strike called off',
      body: '\u201CThe boats will sail on Monday,\u201D said Ole Brandt, the operator\u2019s spokesman.',
    };
    const { summary } = await importText(jsonl(bare), { extract: true });
    expect(summary).toMatchObject({ created: 1, rejected: 0 });
    const article = await server.db.article.findUniqueOrThrow({
      where: { slug: 'ferry-strike-called-off' },
      include: { quotes: { include: { speaker: true } } },
    });
    expect(article.quotes.map((q) => [q.text, q.kind, q.origin, q.speaker?.name])).toEqual([
      ['The boats will sail on Monday', 'DIRECT', 'EXTRACTED', 'Ole Brandt'],
    ]);
  });

  it('runs the extractor on more lines than the extraction pool takes at once, refusing none', async () => {
    // The default pool lets 32 extractions wait; a batch of 80 used to be refused past them (OVERLOADED).
    configureExtractionPool();
    const lines = Array.from({ length: 80 }, (_, i) => ({
      title: `Lock gates ${i}`,
      body: `\u201CGate ${i} opens at noon,\u201D said Ole Brandt, the operator\u2019s spokesman.`,
    }));
    const { summary, rejected } = await importText(jsonl(...lines), { extract: true, batchSize: 40 });
    expect(rejected).toEqual([]);
    expect(summary).toMatchObject({ lines: 80, created: 80 });
    const quote = await server.db.quote.findFirstOrThrow({ where: { article: { slug: 'lock-gates-79' } }, include: { speaker: true } });
    expect([quote.text, quote.origin, quote.speaker?.name]).toEqual(['Gate 79 opens at noon', 'EXTRACTED', 'Ole Brandt']);
  }, 60_000);
});

describe('splitting a stream into lines', () => {
  it('keeps a character split across chunks whole, and counts lines and bytes', async () => {
    const bytes = Buffer.from('{"a":"Zürich"}\r\n\n{"b":"北京"}');
    const chunks = [bytes.subarray(0, 9), bytes.subarray(9, 23), bytes.subarray(23)];
    const lines = [];
    for await (const line of jsonLines(Readable.from(chunks), 100)) lines.push(line);
    expect(lines).toEqual([
      { number: 1, text: '{"a":"Zürich"}', bytes: 16, end: 17 },
      { number: 2, text: '', bytes: 0, end: 18 },
      { number: 3, text: '{"b":"北京"}', bytes: 14, end: 32 },
    ]);
  });
});

describe('npm run import', () => {
  it('prints one line per refused line with the file and line number, a summary, and exits 1', async () => {
    const database = freshDatabaseFile();
    try {
      const file = path.join(path.dirname(database.file), 'wire.jsonl');
      writeFileSync(file, jsonl(wire(1), 'not json', wire(2)));
      const child = run(process.execPath, ['--import', 'tsx', 'src/import.ts', file], {
        env: { ...process.env, DATABASE_URL: database.url },
      });
      await expect(child).rejects.toMatchObject({ code: 1 });
      const { stdout, stderr } = (await child.catch((error: unknown) => error)) as { stdout: string; stderr: string };
      expect(stderr).toContain(`${file}:2: is not valid JSON: `);
      expect(stdout).toMatch(/^3 lines in [\d.]+ s \([\d.]+ articles\/s\): 2 created, 0 replaced, 0 unchanged, 1 rejected\n$/);
    } finally {
      database.remove();
    }
  }, 60_000);
});
