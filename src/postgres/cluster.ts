import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A throwaway PostgreSQL cluster for tests, benchmarks and CI: initdb in a temporary directory,
 * started on a free port on 127.0.0.1 with trust authentication, stopped and removed afterwards.
 * Nothing outside the directory is touched, so it needs no service and no root; as root (CI,
 * containers) the server runs as the `postgres` user, because PostgreSQL refuses to run as root.
 * A cluster outlives nothing that started it: a guard process removes it when its starter ends,
 * however it ends (see guardCluster).
 */
export interface Cluster {
  /** `postgresql://postgres@127.0.0.1:PORT/DATABASE`. */
  url(database?: string): string;
  port: number;
  directory: string;
  stop(): Promise<void>;
}

/** Where Debian and Ubuntu put PostgreSQL's programs; POSTGRES_BIN overrides it. */
export function postgresBin(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POSTGRES_BIN) return env.POSTGRES_BIN;
  for (const version of ['17', '16', '15', '14']) {
    const directory = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(path.join(directory, 'initdb'))) return directory;
  }
  throw new Error('no PostgreSQL programs found under /usr/lib/postgresql/*/bin: install PostgreSQL or set POSTGRES_BIN');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const run = promisify(execFile);

/** A command line running one of PostgreSQL's programs, as `postgres` when this process is root. */
function pgCommand(bin: string, program: string, args: string[]): [string, ...string[]] {
  const file = path.join(bin, program);
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', file, ...args] : [file, ...args];
}

async function pg(bin: string, program: string, args: string[]): Promise<void> {
  const [file, ...rest] = pgCommand(bin, program, args);
  await run(file, rest);
}

/** Stops a cluster at once: a throwaway cluster's data need not be flushed. */
const stopArgs = (data: string) => ['-D', data, '-m', 'immediate', '-w', 'stop'];

/**
 * A process that stops the cluster and removes its directory once this process has ended. It reads
 * a pipe from this process, which the kernel closes when this process ends, however it ends: a
 * normal exit, SIGINT or SIGTERM to a test run, or SIGKILL, where no handler of this process would
 * run. It is a shell in a session of its own, so the Ctrl-C that stops a test run does not stop it
 * too (the server is in a session of its own already: pg_ctl puts it there). stop() ends it.
 */
function guardCluster(bin: string, directory: string, data: string): ChildProcess {
  const script = 'cat >/dev/null; directory=$1; shift; "$@" >/dev/null 2>&1; rm -rf "$directory"';
  const guard = spawn('sh', ['-c', script, 'newsgraph-cluster-guard', directory, ...pgCommand(bin, 'pg_ctl', stopArgs(data))], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the guard nor its pipe keeps this process running.
  guard.unref();
  (guard.stdin as Socket | null)?.unref();
  return guard;
}

/** Ends a guard whose cluster is gone: its whole process group, the shell and the cat it waits on. */
function stopGuard(guard: ChildProcess): void {
  if (guard.pid === undefined || guard.exitCode !== null) return;
  try {
    process.kill(-guard.pid, 'SIGKILL');
  } catch {
    // It has ended meanwhile.
  }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startCluster(): Promise<Cluster> {
  const bin = postgresBin();
  const directory = mkdtempSync(path.join(tmpdir(), 'newsgraph-postgres-'));
  const data = path.join(directory, 'data');
  if (process.getuid?.() === 0) {
    const { uid, gid } = await postgresIds();
    chownSync(directory, uid, gid);
  }
  const guard = guardCluster(bin, directory, data);
  const remove = async () => {
    try {
      await pg(bin, 'pg_ctl', stopArgs(data));
    } finally {
      rmSync(directory, { recursive: true, force: true });
      stopGuard(guard);
    }
  };
  try {
    await pg(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    // A port can be taken between freePort and the server's bind; a second try picks another.
    let port = 0;
    for (let attempt = 0; ; attempt += 1) {
      port = await freePort();
      // fsync off: a throwaway cluster need not survive a power cut, and syncing made the suite
      // wait on the disk of a machine shared with other work.
      const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${directory} -c fsync=off -c synchronous_commit=off -c max_connections=300`;
      try {
        await pg(bin, 'pg_ctl', ['-D', data, '-o', options, '-l', path.join(directory, 'log'), '-w', 'start']);
        break;
      } catch (error) {
        if (attempt >= 2) throw error;
      }
    }
    return {
      port,
      directory,
      url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`,
      stop: remove,
    };
  } catch (error) {
    // No server may be running yet, so stopping it can fail too; the directory goes either way.
    await remove().catch(() => {});
    throw error;
  }
}
