import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { dataOf, startTestServer } from './support/harness.js';
import { startServerProcess } from './support/server-process.js';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), 'newsgraph-backup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ADD =
  'mutation ($title: String!) { addArticle(input: { title: $title, body: "The council met on Tuesday and voted on the budget." }) { article { slug } } }';
const articlesIn = (file: string) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT title FROM Article ORDER BY title').all() as { title: string }[]).map((row) => row.title);
  } finally {
    db.close();
  }
};

describe('backups', () => {
  it('npm run backup copies the database while the server runs, and checks the copy', async () => {
    const server = await startTestServer();
    try {
      dataOf(await server.gql(ADD, { title: 'Council votes on the budget' }));
      const target = path.join(scratch, 'online.db');
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/backup.ts', target], {
        env: { ...process.env, DATABASE_URL: server.databaseUrl },
      });
      expect(stdout).toMatch(/^Backed up .* integrity ok; .*Article 2,/);
      expect(articlesIn(target)).toEqual([
        'Council votes on the budget',
        'Xi Jinping, Zelensky discuss peace negotiations in historic phone call',
      ]);
      // A second backup to the same file is refused rather than overwriting the first.
      await expect(
        run(process.execPath, ['--import', 'tsx', 'src/backup.ts', target], { env: { ...process.env, DATABASE_URL: server.databaseUrl } }),
      ).rejects.toMatchObject({
        stderr: expect.stringContaining('already exists') as unknown,
      });
    } finally {
      await server.close();
    }
  }, 60_000);

  it('leaves the whole database in the .db file when the server stops on SIGTERM, so a copy of it alone is complete', async () => {
    const directory = mkdtempSync(path.join(scratch, 'shutdown-'));
    const file = path.join(directory, 'newsgraph.db');
    const { child: server, url } = await startServerProcess({ DATABASE_URL: `file:${file}` });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: ADD, variables: { title: 'Written before the shutdown' } }),
    });
    expect(await response.json()).toEqual({ data: { addArticle: { article: { slug: 'written-before-the-shutdown' } } } });
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const copy = path.join(scratch, 'copied-after-shutdown.db');
    copyFileSync(file, copy);
    expect(articlesIn(copy)).toEqual([
      'Written before the shutdown',
      'Xi Jinping, Zelensky discuss peace negotiations in historic phone call',
    ]);
  }, 60_000);
});
