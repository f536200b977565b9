// Start-up only: read configuration, prepare the database, listen, and shut down cleanly.
import { parseArgs } from 'node:util';
import { databaseFile, isPostgresUrl, loadServerConfig, prepareDatabaseDirectory } from './config.js';
import { checkDatabaseFile } from './database-file.js';
import { openDatabase } from './db.js';
import { createLogger } from './logger.js';
import { applyMigrations } from './migrate.js';
import { SEEDS_DIRECTORY } from './paths.js';
import { assertWritesProtected, startHttpServer } from './server.js';
import { closeExtractionPool, configureExtractionPool } from './services/extraction-pool.js';
import { seedDirectory } from './services/seeding.js';
import { exitOnStartupError, StartupError } from './startup-error.js';

function wantsHelp(): boolean | undefined {
  try {
    return parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help;
  } catch (error) {
    // Settings come from the environment; an option such as --port is a mistake to point out.
    const message = error instanceof Error ? error.message : String(error);
    exitOnStartupError(
      'newsgraph cannot start',
      new StartupError(`${message}: settings are environment variables, see npm start -- --help`),
    );
  }
}

if (wantsHelp()) {
  console.log(`Usage: npm start

Applies pending migrations, seeds an empty database from seeds/, and serves GraphQL at
http://HOST:PORT/graphql (GraphiQL in a browser), liveness at /health and readiness at /ready.
Stops gracefully on SIGTERM or SIGINT, finishing requests in flight.

Environment (all optional): PORT (4000), HOST (127.0.0.1), DATABASE_URL (file:data/newsgraph.db),
WRITE_TOKEN, INTROSPECTION (true), LOG_LEVEL (info), HIDE_SCHEMA_DETAILS, COMPILED_EXECUTION (true), RESPONSE_CACHE_ENTRIES (1000), RESPONSE_CACHE_BYTES, EXTRACT_TIMEOUT_MS (10000), MAX_DEPTH, MAX_COST,
MAX_ALIASES, MAX_TOKENS, MAX_DIRECTIVES, MAX_BATCH_SIZE, MAX_BODY_BYTES, MAX_RESPONSE_BYTES. See the README.`);
  process.exit(0);
}

/**
 * Reads the settings, checks and migrates the database, seeds it when empty and listens. A mistake
 * in any of these that the operator can fix is a StartupError, printed below as one line.
 */
async function start() {
  const config = loadServerConfig(process.env);
  const logger = createLogger(config.logLevel);
  assertWritesProtected(config.host, config.writeToken);

  prepareDatabaseDirectory(config.databaseUrl);
  if (!isPostgresUrl(config.databaseUrl)) checkDatabaseFile(databaseFile(config.databaseUrl));
  await applyMigrations(config.databaseUrl);
  const storage = await openDatabase(config.databaseUrl);
  if ((await storage.writer.article.count()) === 0) {
    const seeded = await seedDirectory(storage.writer, SEEDS_DIRECTORY);
    logger.info({ articles: seeded.map((s) => s.slug) }, 'seeded an empty database');
  }

  configureExtractionPool({ timeoutMs: config.extractTimeoutMs });
  const running = await startHttpServer({
    storage,
    logger,
    port: config.port,
    host: config.host,
    introspection: config.introspection,
    hideSchemaDetails: config.hideSchemaDetails,
    compiledExecution: config.compiledExecution,
    responseCacheEntries: config.responseCacheEntries,
    responseCacheBytes: config.responseCacheBytes,
    writeToken: config.writeToken,
    limits: config.limits,
  }).catch((error: unknown) => {
    throw listenFailure(error, config.host, config.port);
  });
  logger.info(
    {
      url: running.url,
      pid: process.pid,
      database: storage.location,
      writes: config.writeToken ? 'need WRITE_TOKEN' : 'open on loopback',
    },
    `newsgraph is serving ${running.url}`,
  );
  return { logger, running, storage };
}

/** What listen()'s error codes mean for the one who set PORT and HOST. */
function listenFailure(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new StartupError(
      `port ${port} on ${host} is already in use (another newsgraph?): stop that process, or set PORT to a free port (0 picks one)`,
    );
  }
  if (code === 'EACCES')
    return new StartupError(`not allowed to listen on port ${port}: set PORT to 1024 or above, or run with that privilege`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new StartupError(`cannot listen on HOST=${host} (${code}): set HOST to an address of this machine, or unset it for 127.0.0.1`);
  }
  return error;
}

let started: Awaited<ReturnType<typeof start>>;
try {
  started = await start();
} catch (error) {
  exitOnStartupError('newsgraph cannot start', error);
}
const { logger, running, storage } = started;

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  await running.close();
  await closeExtractionPool();
  await storage.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
