import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_LIMITS, type RequestLimits } from './limits.js';
import { DEFAULT_RESPONSE_CACHE_BYTES } from './response-cache.js';
import { DEFAULT_EXTRACT_TIMEOUT_MS } from './services/extraction-pool.js';
import { StartupError } from './startup-error.js';
import { databaseFile } from './database-file.js';

// db.ts reads the file name from database-file.ts directly: importing it from here made a cycle
// (config -> response-cache -> context -> loaders -> db -> config).
export { databaseFile };

/** Where the embedded SQLite database lives when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_FILE = path.join('data', 'newsgraph.db');

/** A PostgreSQL connection URL (`postgresql://` or `postgres://`) rather than a SQLite `file:`. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/**
 * The database URL: PostgreSQL's as given, or SQLite's as Prisma's adapter wants it, `file:` and an
 * absolute path, so the CLI, the server and the tests agree on the file whatever their working directory.
 */
export function databaseUrl(env: NodeJS.ProcessEnv): string {
  const raw = env.DATABASE_URL?.trim() || `file:${DEFAULT_DATABASE_FILE}`;
  if (isPostgresUrl(raw)) return raw;
  if (!raw.startsWith('file:')) {
    const shown = raw.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    throw new StartupError(
      `DATABASE_URL must be a SQLite "file:" URL or a "postgresql://" one, got "${shown}": set it to one such as file:data/newsgraph.db, or unset it for that default`,
    );
  }
  return `file:${path.resolve(databaseFile(raw))}`;
}

/** Creates data/ (in the working directory) when the database is to live there, as it does by default. */
export function createDefaultDatabaseDirectory(url: string): void {
  if (isPostgresUrl(url)) return;
  const directory = path.dirname(databaseFile(url));
  if (directory === path.resolve(path.dirname(DEFAULT_DATABASE_FILE))) mkdirSync(directory, { recursive: true });
}

/**
 * Makes sure the database's directory exists, creating only data/: a mistyped DATABASE_URL is
 * reported rather than answered with a new directory tree somewhere.
 */
export function prepareDatabaseDirectory(url: string): void {
  if (isPostgresUrl(url)) return;
  createDefaultDatabaseDirectory(url);
  const directory = path.dirname(databaseFile(url));
  if (!existsSync(directory)) {
    throw new StartupError(
      `the directory of DATABASE_URL, ${directory}, does not exist: create it, or point DATABASE_URL at a file in an existing directory`,
    );
  }
}

/** pino's levels; any other LOG_LEVEL would make pino throw on the first line. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string;
  introspection: boolean;
  logLevel: string;
  writeToken: string | null;
  hideSchemaDetails: boolean;
  compiledExecution: boolean;
  responseCacheEntries: number;
  responseCacheBytes: number;
  extractTimeoutMs: number;
  limits: RequestLimits;
}

const fix = 'set it to one, or unset it for the default';

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 4000;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new StartupError(`PORT must be an integer from 0 to 65535, got "${value}": ${fix} of 4000 (0 picks a free port)`);
  }
  return port;
}

function parseLogLevel(value: string | undefined): string {
  const level = value?.trim() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new StartupError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}": ${fix} of info`);
  }
  return level;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new StartupError(`${name} must be true or false, got "${value}": ${fix} of ${fallback}`);
}

function parsePositiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) {
    throw new StartupError(`${name} must be a positive integer, got "${value}": ${fix} of ${fallback}`);
  }
  return number;
}

function parseNonNegativeInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) {
    throw new StartupError(`${name} must be an integer of 0 or more, got "${value}": ${fix} of ${fallback}`);
  }
  return number;
}

/** Every setting the server reads, from the environment, with defaults that need no configuration. */
export function loadServerConfig(env: NodeJS.ProcessEnv): ServerConfig {
  return {
    port: parsePort(env.PORT),
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl: databaseUrl(env),
    introspection: parseBoolean('INTROSPECTION', env.INTROSPECTION, true),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    writeToken: env.WRITE_TOKEN?.trim() || null,
    hideSchemaDetails: parseBoolean('HIDE_SCHEMA_DETAILS', env.HIDE_SCHEMA_DETAILS, env.NODE_ENV === 'production'),
    compiledExecution: parseBoolean('COMPILED_EXECUTION', env.COMPILED_EXECUTION, true),
    responseCacheEntries: parseNonNegativeInteger('RESPONSE_CACHE_ENTRIES', env.RESPONSE_CACHE_ENTRIES, 1000),
    responseCacheBytes: parsePositiveInteger('RESPONSE_CACHE_BYTES', env.RESPONSE_CACHE_BYTES, DEFAULT_RESPONSE_CACHE_BYTES),
    extractTimeoutMs: parsePositiveInteger('EXTRACT_TIMEOUT_MS', env.EXTRACT_TIMEOUT_MS, DEFAULT_EXTRACT_TIMEOUT_MS),
    limits: {
      maxDepth: parsePositiveInteger('MAX_DEPTH', env.MAX_DEPTH, DEFAULT_LIMITS.maxDepth),
      maxCost: parsePositiveInteger('MAX_COST', env.MAX_COST, DEFAULT_LIMITS.maxCost),
      maxAliases: parsePositiveInteger('MAX_ALIASES', env.MAX_ALIASES, DEFAULT_LIMITS.maxAliases),
      maxTokens: parsePositiveInteger('MAX_TOKENS', env.MAX_TOKENS, DEFAULT_LIMITS.maxTokens),
      maxDirectives: parsePositiveInteger('MAX_DIRECTIVES', env.MAX_DIRECTIVES, DEFAULT_LIMITS.maxDirectives),
      maxBatchSize: parsePositiveInteger('MAX_BATCH_SIZE', env.MAX_BATCH_SIZE, DEFAULT_LIMITS.maxBatchSize),
      maxBodyBytes: parsePositiveInteger('MAX_BODY_BYTES', env.MAX_BODY_BYTES, DEFAULT_LIMITS.maxBodyBytes),
      maxResponseBytes: parsePositiveInteger('MAX_RESPONSE_BYTES', env.MAX_RESPONSE_BYTES, DEFAULT_LIMITS.maxResponseBytes),
    },
  };
}
