import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError, OperationTypeNode } from 'graphql';
import { createContext, finishRequest, responseTooLarge, type Context } from './context.js';
import { unauthenticated } from './errors.js';
import { compiledExecution } from './execution.js';
import { responseCache } from './response-cache.js';
import { DEFAULT_LIMITS, requestProtection, type RequestLimits } from './limits.js';
import type { Storage } from './db.js';
import type { Logger } from './logger.js';
import { graphiqlPage } from './ide.js';
import { APPLIED_MIGRATIONS_SQL, unapplied } from './migrate.js';
import { schema } from './schema.js';
import { StartupError } from './startup-error.js';
import { WEB_APP_DIRECTORY } from './paths.js';
import { isWebAppPath, serveWebApp } from './web-app.js';
import { LiveEvents } from './live.js';
import { startLiveServer } from './live-server.js';

export interface ServerOptions {
  storage: Storage;
  logger: Logger;
  /** On by default: the data is public and IDEs need the schema. */
  introspection?: boolean;
  /** Hide "did you mean" hints about the schema from error messages (production). */
  hideSchemaDetails?: boolean;
  /** Execute operations compiled by graphql-jit (default) rather than interpreted by graphql-js. */
  compiledExecution?: boolean;
  /** Read-query responses kept until the next write (0 turns the cache off; default 0 here, 1,000 from the environment). */
  responseCacheEntries?: number;
  /** Bytes the response cache may hold (default DEFAULT_RESPONSE_CACHE_BYTES). */
  responseCacheBytes?: number;
  /** How long shutdown waits for requests in flight before closing their connections (default 10 s). */
  shutdownGraceMs?: number;
  /** When set, every mutation needs `Authorization: Bearer <writeToken>`. */
  writeToken?: string | null;
  /** Overrides of DEFAULT_LIMITS. */
  limits?: Partial<RequestLimits>;
  /** Overrides of DEFAULT_CONNECTION_TIMEOUTS. */
  timeouts?: Partial<ConnectionTimeouts>;
  /** The built web app served at /app (default web/dist). */
  webAppDirectory?: string;
}

/**
 * How long a connection may take at each stage. A client that never finishes its headers or body,
 * or idles on a kept-alive connection, loses it: without these, 20,000 idle sockets exhausted the
 * open-file limit and /health with it.
 */
export interface ConnectionTimeouts {
  /** From the connection's first byte to the end of the request's headers (answered 408). */
  headersMs: number;
  /** From the first byte to the end of the request's body (answered 408). */
  requestMs: number;
  /** A kept-alive connection with no request in flight. */
  keepAliveMs: number;
  /** A socket with no traffic at all, whatever its state. */
  idleSocketMs: number;
}

export const DEFAULT_CONNECTION_TIMEOUTS: ConnectionTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  idleSocketMs: 60_000,
};

/** Whether a host name or address can only be reached from this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare.toLowerCase() === '::ffff:127.0.0.1';
}

/**
 * Without a WRITE_TOKEN anyone who can reach the server can write, which is safe only when that is
 * no one but this machine; refuse to start otherwise rather than expose the archive.
 */
export function assertWritesProtected(host: string, writeToken: string | null | undefined): void {
  if (!writeToken && !isLoopback(host)) {
    throw new StartupError(
      `Refusing to listen on ${host} without WRITE_TOKEN: anyone who can reach it could change the data. Set WRITE_TOKEN, or listen on 127.0.0.1.`,
    );
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares the bearer token in constant time (hashing first makes the lengths equal). */
function mayWrite(authorization: string | undefined, writeToken: string | null | undefined): boolean {
  if (!writeToken) return true;
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(writeToken));
}

/** Refuses mutations from clients without the write token, before anything executes. */
const writeAuthorization: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        if (operation?.operation === OperationTypeNode.MUTATION && !contextValue.mayWrite) {
          throw unauthenticated('Mutations need the header "Authorization: Bearer <WRITE_TOKEN>"');
        }
      },
    };
  },
};

/**
 * Several operations and no operationName (or a name the document lacks) is the client's mistake:
 * graphql-js says so when it executes, but compiled execution needs the operation first.
 */
const operationResolution: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request }) {
        if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
          throw new GraphQLError(
            'Subscriptions are served over WebSocket (graphql-ws, protocol graphql-transport-ws) at this same URL, not over HTTP',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        }
        if (operation) return;
        throw new GraphQLError(
          request.operationName
            ? `Unknown operation named "${request.operationName}": operationName must name an operation of the document`
            : 'The document holds several operations: operationName must say which one to run',
          { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
        );
      },
    };
  },
};

/**
 * graphql-armor and graphql-js's parser word a limit as a syntax error ("Syntax Error: Query depth
 * limit of 10 exceeded"), which it is not: say which limit was met, its setting and value, with a
 * code of its own.
 */
const LIMIT_ERRORS: { pattern: RegExp; code: string; message: (limit: string, found?: string) => string }[] = [
  {
    pattern: /^Syntax Error: Query depth limit of (\d+) exceeded, found (\d+)\.$/,
    code: 'DEPTH_LIMIT_EXCEEDED',
    message: (limit, found) => `Query depth limit of ${limit} (MAX_DEPTH) exceeded: the query nests ${found} levels deep`,
  },
  {
    pattern: /^Syntax Error: Aliases limit of (\d+) exceeded, found (\d+)\.$/,
    code: 'ALIAS_LIMIT_EXCEEDED',
    message: (limit, found) => `Aliases limit of ${limit} (MAX_ALIASES) exceeded: the query has ${found} aliases`,
  },
  {
    pattern: /^Syntax Error: Directives limit of (\d+) exceeded, found (\d+)\.$/,
    code: 'DIRECTIVE_LIMIT_EXCEEDED',
    message: (limit, found) => `Directives limit of ${limit} (MAX_DIRECTIVES) exceeded: the query has ${found} directives`,
  },
  {
    pattern: /^Syntax Error: Document contains more that (\d+) tokens\. Parsing aborted\.$/,
    code: 'TOKEN_LIMIT_EXCEEDED',
    message: (limit) => `Token limit of ${limit} (MAX_TOKENS) exceeded: the document is longer than the server parses`,
  },
];

function limitError(message: string): { code: string; message: string } | null {
  for (const { pattern, code, message: describe } of LIMIT_ERRORS) {
    const match = pattern.exec(message);
    if (match) return { code, message: describe(match[1] ?? '', match[2]) };
  }
  return null;
}

/**
 * Lets expected errors (ours, and graphql-js's own validation and coercion errors) through, and
 * replaces every other one: an unexpected error's message can leak file paths or SQL.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const limit = limitError(formatted.message);
  if (limit) return { ...formatted, message: limit.message, extensions: { ...formatted.extensions, code: limit.code } };
  const original = unwrapResolverError(error);
  if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** Logs every operation and every unexpected error with the request id the client sees. */
function requestLogging(logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            // Apollo wraps some unexpected errors (a RangeError in variable coercion, say) in a
            // GraphQLError of its own, which carries the real one as originalError.
            const unexpected = !(original instanceof GraphQLError)
              ? original
              : original.originalError && !(original.originalError instanceof GraphQLError)
                ? original.originalError
                : null;
            if (unexpected) logger.error({ requestId: contextValue.requestId, operationName, err: unexpected }, 'unexpected error');
          }
        },
        async willSendResponse({ response, operationName, errors }) {
          if (response.body.kind === 'single') {
            for (const error of response.body.singleResult.errors ?? []) {
              if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') {
                Object.assign(error, {
                  message: `Internal server error (request id ${contextValue.requestId})`,
                  extensions: { ...error.extensions, requestId: contextValue.requestId },
                });
              }
            }
          }
          if (!logger.isLevelEnabled('info')) return;
          logger.info(
            {
              requestId: contextValue.requestId,
              operationName,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              errorCodes: errors?.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
            },
            'graphql request',
          );
        },
      };
    },
  };
}

/**
 * Lets go of the rows a request loaded as soon as its response is ready. Apollo's gateway request
 * context (the path compiled execution takes) stays reachable from the old generation until the
 * next full collection, and with it everything the request's loaders hold: each young-generation
 * collection then copied and promoted about 3 MB of finished requests' rows. Replacing the loaders
 * (new ones cost nothing until used) cuts that to a quarter and the collections' pauses by two thirds.
 */
const releaseLoadedRows: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue }) {
        finishRequest(contextValue);
      },
    };
  },
};

export function createApolloServer(
  options: ServerOptions,
  limits: RequestLimits,
  protection = requestProtection(schema, limits),
): ApolloServer<Context> {
  return new ApolloServer<Context>({
    ...(options.compiledExecution === false ? { schema } : { gateway: compiledExecution(schema) }),
    introspection: options.introspection ?? true,
    hideSchemaDetailsFromClientErrors: options.hideSchemaDetails ?? false,
    formatError,
    logger: options.logger,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: limits.maxBatchSize > 1,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: protection.validationRules,
    // Cache control is off: newsgraph sets no cache hints, and the plugin wraps every field resolver,
    // which costs a large share of execution time on nested queries.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      requestLogging(options.logger),
      operationResolution,
      writeAuthorization,
      releaseLoadedRows,
      ...protection.plugins,
      ...(options.responseCacheEntries
        ? [responseCache(() => options.storage.dataVersion(), options.responseCacheEntries, options.responseCacheBytes)]
        : []),
    ],
  });
}

/** Open connections at most: well under the usual open-file limit, so /health always finds a socket. */
const MAX_CONNECTIONS = 10_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new HttpError(413, `Request body is larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw new HttpError(413, `Request body is larger than ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(req: IncomingMessage, raw: string, maxBatchSize: number): unknown {
  const contentType = req.headers['content-type'] ?? '';
  if (req.method !== 'POST' || !/^application\/(graphql-response\+)?json\b/i.test(contentType) || raw === '') return raw || undefined;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
  if (Array.isArray(body) && body.length > maxBatchSize) {
    throw new HttpError(400, `A batched request may hold at most ${maxBatchSize} operations; this one holds ${body.length}`);
  }
  if (nestingDepth(body) > MAX_JSON_DEPTH) {
    throw new HttpError(
      400,
      `Request body nests deeper than ${MAX_JSON_DEPTH} levels: variables that deep fit no input type of the schema`,
    );
  }
  return body;
}

/** Deep enough for any input of the schema; graphql-js's recursive coercion overflows the stack near 5,000. */
const MAX_JSON_DEPTH = 64;

/** How deeply a parsed JSON value nests, walked without recursion so no input can overflow the stack. */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** A browser opening /graphql (HTML accepted, no query in the URL) gets the IDE. */
function wantsIde(req: IncomingMessage, url: URL): boolean {
  return req.method === 'GET' && !url.searchParams.has('query') && /\btext\/html\b/.test(req.headers.accept ?? '');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export interface RunningServer {
  server: Server;
  url: string;
  /** The server's live updates (subscriptions listen there). */
  live: LiveEvents;
  close(): Promise<void>;
}

/**
 * Ready means the database answers, has every checked-in migration applied, and can be written to
 * (see Storage.writeProblem).
 */
async function readiness(storage: Storage): Promise<{ ready: boolean; body: Record<string, unknown> }> {
  let pending: string[];
  try {
    const rows = await storage.writer.$queryRawUnsafe<{ migration_name: string }[]>(APPLIED_MIGRATIONS_SQL);
    pending = unapplied(
      rows.map((row) => row.migration_name),
      storage.dialect,
    );
  } catch {
    return { ready: false, body: { status: 'not ready', reason: 'database unreachable' } };
  }
  if (pending.length > 0) return { ready: false, body: { status: 'not ready', reason: 'migrations pending', pending } };
  const problem = await storage.writeProblem();
  if (problem !== null) return { ready: false, body: { status: 'not ready', reason: problem } };
  return { ready: true, body: { status: 'ready' } };
}

/** Serves GraphQL at /graphql, the web app at /app, liveness at /health and readiness at /ready over plain node:http. */
export async function startHttpServer(options: ServerOptions & { port: number; host: string }): Promise<RunningServer> {
  assertWritesProtected(options.host, options.writeToken);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const protection = requestProtection(schema, limits);
  const apollo = createApolloServer(options, limits, protection);
  await apollo.start();
  const live = new LiveEvents(options.storage.reads, (error, requestId) =>
    options.logger.error({ requestId, err: error }, 'announcing a write to subscribers failed'),
  );
  await live.start(options.storage);

  let closing = false;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/ready') {
        const { ready, body } = await readiness(options.storage);
        return sendJson(res, ready ? 200 : 503, body);
      }
      if (isWebAppPath(url.pathname)) return await serveWebApp(req, res, url.pathname, options.webAppDirectory ?? WEB_APP_DIRECTORY);
      if (url.pathname !== '/graphql')
        return sendJson(res, 404, {
          errors: [{ message: `Not found: ${url.pathname}; GraphQL is served at /graphql and the web app at /app` }],
        });
      if (wantsIde(req, url)) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(graphiqlPage());
        return;
      }
      const body = parseBody(req, await readBody(req, limits.maxBodyBytes), limits.maxBatchSize);
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () =>
          Promise.resolve(
            createContext(
              options.storage,
              requestId,
              mayWrite(req.headers.authorization, options.writeToken),
              limits.maxResponseBytes,
              live,
            ),
          ),
      });
      for (const [name, value] of response.headers) res.setHeader(name, value);
      // While shutting down, finish this request but do not keep its connection open for another.
      if (closing) res.setHeader('connection', 'close');
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        // Article bodies are counted as they resolve (spendResponseBytes); this catches the rest.
        if (Buffer.byteLength(response.body.string) > limits.maxResponseBytes) {
          const error = responseTooLarge(limits.maxResponseBytes);
          return sendJson(res, 400, { errors: [{ message: error.message, extensions: error.extensions }] });
        }
        res.end(response.body.string);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (error instanceof HttpError)
        return sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: 'BAD_REQUEST' } }] });
      options.logger.error({ requestId, err: error }, 'http handler failed');
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [
            { message: `Internal server error (request id ${requestId})`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } },
          ],
        });
      else res.end();
    }
  }
  const timeouts = { ...DEFAULT_CONNECTION_TIMEOUTS, ...options.timeouts };
  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // Node checks the two timeouts above only this often (30 s by default), so a 10 s header
      // timeout could last 40 s.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, timeouts.headersMs / 4)),
    },
    (req, res) => void handle(req, res),
  );
  server.setTimeout(timeouts.idleSocketMs, (socket) => socket.destroy());
  server.maxConnections = MAX_CONNECTIONS;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    // A port already taken: the feed's connection and timer must not outlive the failed start.
    await live.close();
    throw error;
  }
  const liveServer = startLiveServer({
    server,
    storage: options.storage,
    live,
    limits,
    protection,
    mayWrite: (authorization) => mayWrite(authorization, options.writeToken),
    formatError,
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host}:${address.port}/graphql`,
    live,
    /** Stops accepting connections, lets in-flight requests finish within the grace period, then stops Apollo. */
    async close() {
      closing = true;
      // Live connections are told the server is going away (1001) before HTTP drains.
      await liveServer.close();
      await live.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold close() open forever; busy ones finish first, but a
      // slow client (a body trickling in) only for the grace period.
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
      await closed;
      clearTimeout(grace);
      await apollo.stop();
    },
  };
}
