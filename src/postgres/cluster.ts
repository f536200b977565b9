import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A throwaway PostgreSQL cluster for tests, benchmarks and CI: initdb in a temporary directory,
 * started on a free port on 127.0.0.1 with trust authentication, stopped and removed afterwards.
 * Nothing outside the directory is touched, so it needs no service and no root; as root (CI,
 * containers) the server runs as the `postgres` user, because PostgreSQL refuses to run as root.
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

/** Runs one of PostgreSQL's programs, as `postgres` when this process is root. */
async function pg(bin: string, program: string, args: string[]): Promise<void> {
  const file = path.join(bin, program);
  if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', file, ...args]);
  else await run(file, args);
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
      async stop() {
        try {
          await pg(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(directory, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}
