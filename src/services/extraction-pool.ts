/**
 * Extraction runs in a small pool of worker threads (piscina), never on the thread that serves
 * requests: rules over a long or odd text may take a while, and meanwhile /health and reads must
 * answer. Each task has a time limit; a worker past it is terminated and the caller told so.
 *
 * The pool hands piscina at most one task per thread and keeps the rest waiting here, so that a
 * task's time limit counts from when a thread takes it. Handed to piscina all at once, the 500
 * articles of an import batch waited in its queue under their own time limits: on a loaded machine
 * the tail of the queue passed 10 s and was refused as too slow, though each takes milliseconds.
 */
import { availableParallelism } from 'node:os';
import { GraphQLError } from 'graphql';
import { Piscina } from 'piscina';
import type { Extraction } from '../extract/index.js';
import type { ExtractionTask } from '../extract/worker.js';

export interface ExtractionPoolOptions {
  /** Worker threads (default: half the cores, at least 1, at most 4). */
  threads?: number;
  /** Milliseconds one extraction may take (default 10,000). */
  timeoutMs?: number;
  /** Extractions waiting for a thread beyond which new ones are refused (default 32); their time limit has not started. */
  maxQueue?: number;
}

export const DEFAULT_EXTRACT_TIMEOUT_MS = 10_000;

const defaults = (): Required<ExtractionPoolOptions> => ({
  threads: Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2))),
  timeoutMs: DEFAULT_EXTRACT_TIMEOUT_MS,
  maxQueue: 32,
});

// Run from source (tsx, vitest), the worker is TypeScript too and needs tsx's loader in its thread.
const workerFile = new URL(`../extract/worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/**
 * The process's own flags, less those a worker thread refuses (--expose-gc, which `npm run bench`
 * runs with), plus tsx's loader when the worker is TypeScript.
 */
function workerArgv(): string[] {
  const inherited = process.execArgv.filter((flag) => flag !== '--expose-gc');
  return workerFile.pathname.endsWith('.ts') ? [...inherited, '--import', 'tsx'] : inherited;
}

interface Pool {
  piscina: Piscina;
  timeoutMs: number;
  threads: number;
  maxQueue: number;
  /** Tasks handed to piscina, at most one per thread. */
  running: number;
  /** Tasks waiting for a thread, first come first served; each starts its task when woken. */
  waiting: (() => void)[];
}

let pool: Pool | null = null;

/** Sets the pool up (a running pool is replaced); the first extraction does this with defaults. */
export function configureExtractionPool(options: ExtractionPoolOptions = {}): void {
  void pool?.piscina.destroy();
  const settings = { ...defaults(), ...options };
  pool = {
    piscina: new Piscina({
      filename: workerFile.href,
      minThreads: 0,
      maxThreads: settings.threads,
      idleTimeout: 30_000,
      execArgv: workerArgv(),
    }),
    timeoutMs: settings.timeoutMs,
    threads: settings.threads,
    maxQueue: settings.maxQueue,
    running: 0,
    waiting: [],
  };
}

/**
 * How many extractions a caller with many to do (an import) keeps in the pool at once: every
 * thread busy and as many waiting, or fewer when maxQueue takes fewer, so none is refused.
 */
export function extractionsInFlight(): number {
  if (!pool) configureExtractionPool();
  const { threads, maxQueue } = pool as Pool;
  return threads + Math.min(threads, maxQueue);
}

/** Waits until the pool has a thread free for one more task, and counts the task as running. */
async function threadFor(current: Pool): Promise<void> {
  if (current.running < current.threads) {
    current.running += 1;
    return;
  }
  if (current.waiting.length >= current.maxQueue) {
    throw new GraphQLError('Too many extractions are waiting: try again shortly', {
      extensions: { code: 'OVERLOADED', http: { status: 503 } },
    });
  }
  // The finishing task passes its thread on (running stays as it is).
  await new Promise<void>((resolve) => current.waiting.push(resolve));
}

function releaseThread(current: Pool): void {
  const next = current.waiting.shift();
  if (next) next();
  else current.running -= 1;
}

/** The extractor's answer for a text, worked out on a worker thread within the time limit. */
export async function extractOffThread(body: string, title: string | null): Promise<Extraction> {
  if (!pool) configureExtractionPool();
  const current = pool as Pool;
  const { piscina, timeoutMs } = current;
  const task: ExtractionTask = { body, title };
  await threadFor(current);
  try {
    return (await piscina.run(task, { signal: AbortSignal.timeout(timeoutMs) })) as Extraction;
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') {
      throw new GraphQLError(
        `Extraction took longer than the limit of ${timeoutMs} ms and was stopped: shorten the body or annotate it by hand`,
        {
          extensions: { code: 'EXTRACTION_TIMEOUT', timeoutMs },
        },
      );
    }
    throw error;
  } finally {
    releaseThread(current);
  }
}

/** Stops the pool's threads (at shutdown). */
export async function closeExtractionPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.piscina.destroy();
}
