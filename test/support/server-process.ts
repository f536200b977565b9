import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface ServerProcess {
  child: ChildProcessByStdio<null, Readable, null>;
  /** The GraphQL endpoint, as the server logged it. */
  url: string;
}

/**
 * `src/index.ts` in a process of its own on a free port (the code `npm start` runs compiled): for what only a
 * real process shows (its memory, its signals, what it leaves on disk when it stops).
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /"url":"(http:[^"]+)"/.exec(output)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening:\n${output}`)));
  });
  child.stdout.resume();
  return { child, url };
}

export interface FailedStart {
  /** The exit code, or 'listening' when the server started after all (it is then stopped). */
  code: number | null | 'listening';
  stdout: string;
  stderr: string;
}

/**
 * Starts `src/index.ts` (or another entry point) as a process that is expected to refuse to start,
 * and waits for it to exit. Should it listen instead, it is killed and the answer says so.
 */
export async function runUntilExit(env: Record<string, string>, entry = 'src/index.ts', args: string[] = []): Promise<FailedStart> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<FailedStart>((resolve) => {
    let listening = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!listening && stdout.includes('"url":')) {
        listening = true;
        child.kill('SIGKILL');
      }
    });
    child.once('close', (code) => resolve({ code: listening ? 'listening' : code, stdout, stderr }));
  });
}
