import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Storage } from '../src/db.js';
import { createLogger } from '../src/logger.js';
import { type RunningServer, startHttpServer } from '../src/server.js';

// A real full disk: the database lives on a small tmpfs of its
// own. Mounting needs root (CI runs as root and sets REQUIRE_STORAGE_FAULTS=1, so there this spec
// can never be skipped silently).
const mountPoint = mkdtempSync(path.join(tmpdir(), 'newsgraph-small-disk-'));
function mount(options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const canMount = mount('size=4m');
if (!canMount && process.env.REQUIRE_STORAGE_FAULTS === '1')
  throw new Error('REQUIRE_STORAGE_FAULTS=1 but a tmpfs cannot be mounted here (needs root)');

const file = path.join(mountPoint, 'newsgraph.db');
let storage: Storage;
let running: RunningServer;

beforeAll(async () => {
  if (!canMount) return;
  copyFileSync(inject('migratedTemplate'), file);
  storage = await openDatabase(`file:${file}`);
  running = await startHttpServer({ logger: createLogger('silent'), storage, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  if (canMount) {
    await running.close();
    await storage.close();
    execFileSync('umount', [mountPoint]);
  }
  rmSync(mountPoint, { recursive: true, force: true });
});

const ADD =
  'mutation ($title: String!, $body: String!) { addArticle(input: { title: $title, body: $body, source: "Test Wire", publishedAt: "2026-03-01T00:00:00Z" }) { article { slug } } }';

async function addArticle(
  title: string,
  words: number,
): Promise<{
  data?: { addArticle: { article: { slug: string } } } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}> {
  const body = Array.from({ length: words }, (_, i) => `word${i}`).join(' ');
  const response = await fetch(running.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: ADD, variables: { title, body } }),
  });
  return (await response.json()) as never;
}

const ready = async () => {
  const response = await fetch(new URL('/ready', running.url));
  return { status: response.status, body: (await response.json()) as { reason?: string } };
};

describe.skipIf(!canMount)('a database on a disk that fills up', () => {
  it('refuses a write on a full disk with STORAGE_FULL, stores nothing of it, and takes the next write once space is back', async () => {
    expect((await addArticle('Before the disk fills', 500)).data?.addArticle.article.slug).toBe('before-the-disk-fills');
    const filler = path.join(mountPoint, 'filler');
    const disk = statfsSync(mountPoint);
    writeFileSync(filler, Buffer.alloc(disk.bavail * disk.bsize - 16 * 1024));
    expect(await ready()).toEqual({ status: 503, body: expect.objectContaining({ reason: 'database disk is full' }) as unknown });

    const refused = await addArticle('While the disk is full', 40_000);
    expect(refused.errors?.[0]?.extensions?.code).toBe('STORAGE_FULL');
    expect(refused.errors?.[0]?.message).toMatch(/^The database disk is full: nothing of this write was stored/);
    expect(await storage.writer.article.count()).toBe(1);

    rmSync(filler);
    expect((await ready()).status).toBe(200);
    expect((await addArticle('After space is back', 500)).data?.addArticle.article.slug).toBe('after-space-is-back');
    expect(await storage.writer.article.count()).toBe(2);
  });
});

// A file system that stops taking writes under a running server: a remount read-only is refused
// while SQLite holds the file open for writing, so the files are made immutable instead (root on
// ext4, as /tmp is here and in CI), which answers the open descriptors' writes with EPERM exactly as
// a read-only remount answers them with EROFS.
const unwritableDirectory = mkdtempSync(path.join(tmpdir(), 'newsgraph-unwritable-'));
function canMakeImmutable(): boolean {
  const probe = path.join(unwritableDirectory, 'probe');
  writeFileSync(probe, 'x');
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { force: true });
  }
}
const canFreeze = canMakeImmutable();
if (!canFreeze && process.env.REQUIRE_STORAGE_FAULTS === '1')
  throw new Error(`REQUIRE_STORAGE_FAULTS=1 but chattr +i does not work in ${tmpdir()} (needs root and ext4 or similar)`);

describe.skipIf(!canFreeze)('a database whose file system stops taking writes', () => {
  const unwritableFile = path.join(unwritableDirectory, 'newsgraph.db');
  const frozen = [unwritableFile, `${unwritableFile}-wal`];
  let unwritable: Storage;
  let server: RunningServer;
  beforeAll(async () => {
    copyFileSync(inject('migratedTemplate'), unwritableFile);
    unwritable = await openDatabase(`file:${unwritableFile}`);
    server = await startHttpServer({ logger: createLogger('silent'), storage: unwritable, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    execFileSync('chattr', ['-i', ...frozen.filter((file) => existsSync(file))]);
    await server.close();
    await unwritable.close();
    rmSync(unwritableDirectory, { recursive: true, force: true });
  });

  const add = async (title: string) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: ADD, variables: { title, body: 'A short body.' } }),
    });
    return { status: response.status, json: (await response.json()) as Awaited<ReturnType<typeof addArticle>> };
  };
  const readyHere = async () => {
    const response = await fetch(new URL('/ready', server.url));
    return { status: response.status, body: (await response.json()) as { reason?: string } };
  };

  it('refuses a write with STORAGE_WRITE_FAILED, stores nothing of it, says so on /ready, and takes the next write once it is writable again', async () => {
    expect((await add('Before the freeze')).json.data?.addArticle.article.slug).toBe('before-the-freeze');
    // The first write created the WAL: both files now exist and are held open.
    expect(frozen.filter((file) => existsSync(file))).toEqual(frozen);
    execFileSync('chattr', ['+i', ...frozen]);
    expect(await readyHere()).toEqual({ status: 503, body: { status: 'not ready', reason: 'database cannot be written to (EPERM)' } });

    for (const title of ['While frozen', 'Still frozen']) {
      const refused = await add(title);
      expect(refused.status).toBe(503);
      expect(refused.json.errors?.[0]?.extensions?.code).toBe('STORAGE_WRITE_FAILED');
      expect(refused.json.errors?.[0]?.message).toMatch(
        /^The database disk refused the write \(read-only or failing\): nothing of this write was stored/,
      );
    }
    expect(await unwritable.writer.article.count()).toBe(1);

    execFileSync('chattr', ['-i', ...frozen]);
    expect((await readyHere()).status).toBe(200);
    expect((await add('After the thaw')).json.data?.addArticle.article.slug).toBe('after-the-thaw');
    expect((await unwritable.writer.article.findMany({ select: { slug: true }, orderBy: { slug: 'asc' } })).map((a) => a.slug)).toEqual([
      'after-the-thaw',
      'before-the-freeze',
    ]);
  });
});
