import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildIsCurrent, webBuildIsCurrent } from '../scripts/build.js';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), 'newsgraph-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What a checkout holds that the build and the server read, without dist/, beside our node_modules. */
function copyOfProject(): string {
  const root = mkdtempSync(path.join(scratch, 'project-'));
  for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'prisma.config.ts', 'schema.graphql', 'README.md']) {
    cpSync(entry, path.join(root, entry));
  }
  for (const directory of ['src', 'scripts', 'prisma', 'seeds']) cpSync(directory, path.join(root, directory), { recursive: true });
  symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'));
  // The web app's sources without its build, beside its own installed packages.
  mkdirSync(path.join(root, 'web'));
  for (const entry of ['package.json', 'index.html', 'vite.config.ts', 'tsconfig.json', 'src']) {
    cpSync(path.join('web', entry), path.join(root, 'web', entry), { recursive: true });
  }
  symlinkSync(path.resolve('web', 'node_modules'), path.join(root, 'web', 'node_modules'));
  return root;
}

describe('npm start', () => {
  it('builds dist/ and the web app when they are missing, serves them under plain node (extraction threads too), and stops with npm on SIGTERM; the tools run from dist/ too', async () => {
    const root = copyOfProject();
    const npm = spawn('npm', ['start'], {
      cwd: root,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: `file:${path.join(root, 'data', 'newsgraph.db')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = [npm.pid];
    let stopped = false;
    // A failed assertion must not leave npm or the server behind.
    onTestFinished(() => {
      if (stopped) return;
      for (const pid of started) {
        try {
          if (pid) process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    let stderr = '';
    npm.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    const serving = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
      let output = '';
      npm.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((text) => text.includes('"url":'));
        if (line) resolve(JSON.parse(line) as { url: string; pid: number });
      });
      void exited.then((code) => reject(new Error(`npm start exited with ${code} before listening:\n${output}\n${stderr}`)));
    });
    started.push(serving.pid);
    expect(stderr).toContain('building it first');
    expect(existsSync(path.join(root, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(path.join(root, 'dist', 'extract', 'worker.js'))).toBe(true);
    expect(stderr).toContain('building the web app first');
    const page = await fetch(serving.url.replace('/graphql', '/app/topics/peace'));
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /<script type="module" crossorigin src="(\/app\/assets\/[^"]+\.js)">/.exec(html)?.[1];
    expect(script).toBeDefined();
    const bundle = await fetch(new URL(script ?? '', serving.url));
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await bundle.text()).toContain('query TopicBoard');

    // The server is npm's own child, plain node running the build: no shell and no tsx in between.
    expect(serving.pid).not.toBe(npm.pid);
    const commandLine = readFileSync(`/proc/${serving.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(commandLine.slice(1)).toEqual(['scripts/start.js']);
    expect(readFileSync(`/proc/${serving.pid}/stat`, 'utf8').split(' ')[3]).toBe(String(npm.pid));

    // Extraction runs on the pool's worker threads, which must load the compiled worker.
    const response = await fetch(serving.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ extract(body: "The mayor, Anna Berg, said: \\"We will rebuild the bridge by spring.\\"") { quotes { text } } }',
      }),
    });
    expect(await response.json()).toEqual({ data: { extract: { quotes: [{ text: 'We will rebuild the bridge by spring.' }] } } });

    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    // npm waited for its child, so the server has exited too rather than being left to serve.
    expect(() => process.kill(serving.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    stopped = true;
    // It stopped cleanly: the WAL was checkpointed into the .db file and removed.
    expect(existsSync(path.join(root, 'data', 'newsgraph.db-wal'))).toBe(false);

    // The operator's tools run from the build too, where tsx is not installed.
    const backup = path.join(root, 'backup.db');
    const { stdout } = await run(process.execPath, ['dist/backup.js', backup], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `file:${path.join(root, 'data', 'newsgraph.db')}` },
    });
    expect(stdout).toMatch(/integrity ok; .*Article 1,/);
    await expect(fetch(serving.url.replace('/graphql', '/health'))).rejects.toThrow();
  }, 180_000);
});

describe('buildIsCurrent', () => {
  const root = path.join(scratch, 'times');
  const at = (file: string, seconds: number) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    if (!existsSync(path.join(root, file))) writeFileSync(path.join(root, file), '');
    utimesSync(path.join(root, file), seconds, seconds);
  };

  it('is false without dist/, true once dist/ is newer than every source, false when a source changes after it', () => {
    at('src/index.ts', 1000);
    at('src/extract/data/countries.json', 1000);
    at('prisma/schema.prisma', 1000);
    expect(buildIsCurrent(root)).toBe(false);
    at('dist/index.js', 2000);
    expect(buildIsCurrent(root)).toBe(true);
    at('src/extract/data/countries.json', 3000);
    expect(buildIsCurrent(root)).toBe(false);
    at('dist/index.js', 4000);
    at('prisma/schema.prisma', 5000);
    expect(buildIsCurrent(root)).toBe(false);
  });

  it('says the web app needs a build when web/dist is missing or older than a web source', () => {
    at('web/package.json', 1000);
    at('web/src/main.tsx', 1000);
    at('web/src/gql/graphql.ts', 1000);
    expect(webBuildIsCurrent(root)).toBe(false);
    at('web/dist/index.html', 2000);
    expect(webBuildIsCurrent(root)).toBe(true);
    at('web/src/gql/graphql.ts', 3000);
    expect(webBuildIsCurrent(root)).toBe(false);
  });

  it('ignores the Prisma client that npm ci regenerates under src/generated/prisma', () => {
    at('dist/index.js', 6000);
    at('src/generated/prisma/client.ts', 7000);
    expect(buildIsCurrent(root)).toBe(true);
  });
});
