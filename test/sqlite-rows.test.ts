import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asJsonArraySelect, sqliteStatements } from '../src/read/sqlite.js';

// The SQLite read store reads a statement of enough exactly-rendered columns as its json_array form
// (src/read/sqlite.ts). Whatever form it takes, the rows must be the ones better-sqlite3 gives for
// the statement as written, value for value and in order.

describe('asJsonArraySelect', () => {
  it('wraps the columns of a plain SELECT and leaves the rest of the statement as it was', () => {
    expect(asJsonArraySelect('SELECT a.id, a."title" FROM "Article" a WHERE a.id > ? ORDER BY a.id LIMIT 3')).toBe(
      'SELECT json_array(a.id, a."title") FROM "Article" a WHERE a.id > ? ORDER BY a.id LIMIT 3',
    );
  });

  it('finds the FROM of the statement, not one inside a subquery, a string or a quoted name', () => {
    expect(asJsonArraySelect(`SELECT (SELECT count(*) FROM t), 'from x', "From", n FROM u`)).toBe(
      `SELECT json_array((SELECT count(*) FROM t), 'from x', "From", n) FROM u`,
    );
    expect(asJsonArraySelect('SELECT c.fromDate, c.id FROM c')).toBe('SELECT json_array(c.fromDate, c.id) FROM c');
  });

  it('refuses what it cannot wrap without changing the meaning', () => {
    expect(asJsonArraySelect('SELECT a.id AS id, a.title FROM a')).toBeNull();
    expect(asJsonArraySelect('SELECT DISTINCT a.id, a.title FROM a')).toBeNull();
    expect(asJsonArraySelect('SELECT a.id, a.title FROM a UNION ALL SELECT b.id, b.title FROM b')).toBeNull();
    expect(asJsonArraySelect('SELECT a.id, a.title FROM a ORDER BY 2')).toBeNull();
    expect(asJsonArraySelect('SELECT a.kind, count(a.id) FROM a GROUP BY 1')).toBeNull();
    expect(asJsonArraySelect('WITH q AS (SELECT 1) SELECT * FROM q')).toBeNull();
    expect(asJsonArraySelect('SELECT 1')).toBeNull();
    expect(asJsonArraySelect("SELECT 'unterminated FROM a")).toBeNull();
  });
});

describe('rows read through the SQLite read store', () => {
  let directory: string;
  let db: Database.Database;

  const TEXTS = [
    'plain',
    'quote " backslash \\ apostrophe \' and a slash /',
    'line\nbreak\ttab\r\u0001\u001f',
    'nul \u0000 inside',
    'emoji 🗞️ and accents Zürich, Łódź, 東京',
    'separators \u2028 \u2029',
    '[1, 2] {"looks": "like json"}',
    '',
  ];

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'newsgraph-rows-'));
    db = new Database(path.join(directory, 'rows.db'));
    db.exec(
      `CREATE TABLE "Item" (id INTEGER PRIMARY KEY, label TEXT NOT NULL, note TEXT, at DATETIME, flag BOOLEAN NOT NULL, big INTEGER, score REAL)`,
    );
    const insert = db.prepare('INSERT INTO "Item" (id, label, note, at, flag, big, score) VALUES (?, ?, ?, ?, ?, ?, ?)');
    TEXTS.forEach((text, i) =>
      insert.run(
        i + 1,
        text,
        i % 2 === 0 ? null : text.toUpperCase(),
        `2024-0${(i % 9) + 1}-01T00:00:00.000+00:00`,
        i % 2,
        2n ** 53n + BigInt(i) - 2n,
        0.1 + 0.2 * i,
      ),
    );
  });

  afterAll(() => {
    db.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const asWritten = (text: string, params: unknown[] = []) =>
    db
      .prepare(text)
      .raw(true)
      .all(...params);

  it('gives every text, null, date, flag and large integer as better-sqlite3 does, in order', async () => {
    const text = 'SELECT i.id, i.label, i.note, i.at, i.flag, i.big FROM "Item" i WHERE i.id >= ? ORDER BY i.label DESC, i.id LIMIT 20';
    const prepare = vi.spyOn(db, 'prepare');
    const rows = await sqliteStatements(db).rows(text, [1]);
    // It took the json_array form.
    expect(prepare.mock.calls.map(([prepared]) => prepared)).toContain(asJsonArraySelect(text));
    prepare.mockRestore();
    expect(rows).toHaveLength(TEXTS.length);
    expect(rows).toEqual(asWritten(text, [1]));
    expect(rows.map((row) => row[1])).toEqual([...TEXTS].sort().reverse());
    // Above 2^53 an integer comes back as the nearest double, as better-sqlite3 gives it.
    expect(rows.find((row) => row[0] === 4)).toEqual([4, TEXTS[3], TEXTS[3]?.toUpperCase(), '2024-04-01T00:00:00.000+00:00', 1, 2 ** 53]);
  });

  it('keeps a REAL exact: 0.1 + 0.2 stays 0.30000000000000004, which json_array would print as 0.3', async () => {
    const text = 'SELECT i.id, i.label, i.flag, i.score FROM "Item" i WHERE i.id = ?';
    const [row] = await sqliteStatements(db).rows(text, [2]);
    expect(row).toEqual([2, TEXTS[1], 1, 0.1 + 0.2]);
    expect(row?.[3]).not.toBe(0.3);
  });

  it('reads a statement with an article body as written: long text costs more as JSON than it saves', async () => {
    db.exec('CREATE TABLE "Article" (id INTEGER PRIMARY KEY, slug TEXT, title TEXT, "publishedAt" DATETIME, body TEXT)');
    db.prepare('INSERT INTO "Article" VALUES (1, ?, ?, ?, ?)').run('a', 'A', '2024-01-01T00:00:00.000+00:00', TEXTS.join(' ').repeat(50));
    const withBody = 'SELECT a.id, a.slug, a.title, a."publishedAt", a.body FROM "Article" a WHERE a.id = ?';
    const withoutBody = 'SELECT a.id, a.slug, a.title, a."publishedAt" FROM "Article" a WHERE a.id = ?';
    const prepare = vi.spyOn(db, 'prepare');
    const statements = sqliteStatements(db);
    expect(await statements.rows(withBody, [1])).toEqual(asWritten(withBody, [1]));
    expect(await statements.rows(withoutBody, [1])).toEqual(asWritten(withoutBody, [1]));
    const preparedTexts = prepare.mock.calls.map(([prepared]) => prepared);
    prepare.mockRestore();
    expect(preparedTexts).not.toContain(asJsonArraySelect(withBody));
    expect(preparedTexts).toContain(asJsonArraySelect(withoutBody));
  });

  it('reads expressions, compounds and named columns as written', async () => {
    const statements = sqliteStatements(db);
    const cases = [
      'SELECT i.flag, count(*), min(i.id), max(i.label) FROM "Item" i GROUP BY i.flag ORDER BY i.flag',
      'SELECT i.id, i.label, i.note, i.at FROM "Item" i WHERE i.id < 3 UNION ALL SELECT i.id, i.label, i.note, i.at FROM "Item" i WHERE i.id > 6',
      'SELECT i.id AS k0, i.label AS k1, i.note AS k2, i.at AS k3 FROM "Item" i ORDER BY k1',
    ];
    for (const text of cases) {
      const rows = await statements.rows(text, []);
      expect(rows.length).toBeGreaterThan(1);
      expect(rows).toEqual(asWritten(text));
    }
  });
});
