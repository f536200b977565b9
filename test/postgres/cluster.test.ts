import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Whether a process of this id is still running (signal 0 only asks). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return done();
}

/** Starts test/fixtures/cluster-starter.ts and waits for its cluster to be up. */
async function starter(args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/cluster-starter.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = await new Promise<{ directory: string; serverPid: number }>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { directory: string; serverPid: number });
    });
    child.once('exit', (code) => reject(new Error(`the starter exited with ${code} before its cluster was up: ${output}`)));
  });
  return { child, ...started };
}

describe('a throwaway cluster', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)(
    'is stopped and removed when the process that started it is killed with %s',
    async (signal) => {
      const { child, directory, serverPid } = await starter();
      expect(running(serverPid)).toBe(true);
      expect(existsSync(directory)).toBe(true);
      const exited = new Promise((resolve) => child.once('exit', (_code, by) => resolve(by)));
      child.kill(signal);
      expect(await exited).toBe(signal);
      expect(await until(() => !running(serverPid), 15_000)).toBe(true);
      expect(await until(() => !existsSync(directory), 15_000)).toBe(true);
    },
    60_000,
  );

  it('is stopped and removed when the process that started it exits without stopping it', async () => {
    const { child, directory, serverPid } = await starter(['exit']);
    const code = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
    expect(code).toBe(0);
    expect(await until(() => !running(serverPid), 15_000)).toBe(true);
    expect(await until(() => !existsSync(directory), 15_000)).toBe(true);
  }, 60_000);
});
