import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import {
  getOperationAST,
  GraphQLError,
  type GraphQLFormattedError,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
} from 'graphql';
import type { Context as SocketContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createContext, finishRequest, type Context } from './context.js';
import type { Storage } from './db.js';
import { unauthenticated } from './errors.js';
import type { RequestLimits } from './limits.js';
import type { requestProtection } from './limits.js';
import type { LiveEvents } from './live.js';
import { schema } from './schema.js';

export interface LiveServerOptions {
  server: Server;
  storage: Storage;
  live: LiveEvents;
  limits: RequestLimits;
  protection: ReturnType<typeof requestProtection>;
  /** Whether a request's Authorization value may write (the HTTP server's own check). */
  mayWrite: (authorization: string | undefined) => boolean;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** Open WebSocket connections at most; each holds a socket and its subscriptions' listeners. */
export const MAX_LIVE_CONNECTIONS = 1_000;
/** Operations one connection may run at once: enough for any page, not for flooding the event fan-out. */
export const MAX_OPERATIONS_PER_CONNECTION = 20;

/**
 * GraphQL over WebSocket (graphql-ws, as Apollo Server's documentation sets it up) on the HTTP
 * server's port at /graphql, for subscriptions, with the rules a request over HTTP meets: the same
 * parse, depth, alias, directive and cost limits before anything runs, the write token for a
 * mutation sent this way (from the connection's `authorization` parameter or the upgrade request's
 * header), masked unexpected errors, and one snapshot per event rather than per connection.
 */
export function startLiveServer(options: LiveServerOptions): { close: () => Promise<void> } {
  const { server, storage, live, limits, protection } = options;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: limits.maxBodyBytes });
  const onUpgrade: Parameters<Server['on']>[1] = (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/graphql' || sockets.clients.size >= MAX_LIVE_CONNECTIONS) {
      const status = path !== '/graphql' ? '404 Not Found' : '503 Service Unavailable';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  const operations = new WeakMap<object, Set<string>>();
  const authorizationOf = (
    ctx: SocketContext<Record<string, unknown> | undefined, { request: { headers: { authorization?: string } } }>,
  ) => {
    const param = ctx.connectionParams?.authorization;
    return typeof param === 'string' ? param : ctx.extra.request.headers.authorization;
  };
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));

  const graphqlWs = useServer(
    {
      schema,
      async onSubscribe(ctx, id, payload) {
        const open = operations.get(ctx) ?? new Set<string>();
        operations.set(ctx, open);
        if (open.size >= MAX_OPERATIONS_PER_CONNECTION) {
          return [
            new GraphQLError(`A connection may run at most ${MAX_OPERATIONS_PER_CONNECTION} operations at once: complete one first`, {
              extensions: { code: 'OPERATION_LIMIT_EXCEEDED' },
            }),
          ];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const invalid = validate(schema, document, [...specifiedRules, ...protection.validationRules]);
        if (invalid.length > 0) return invalid;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [
            new GraphQLError('operationName must name one operation of the document', {
              extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
            }),
          ];
        }
        const mayWrite = options.mayWrite(authorizationOf(ctx));
        if (operation.operation === OperationTypeNode.MUTATION && !mayWrite) {
          return [unauthenticated('Mutations need the connection parameter or header "authorization: Bearer <WRITE_TOKEN>"')];
        }
        const variables = payload.variables ?? {};
        const refusal = protection.costCheck(document, operation, variables);
        if (refusal) return [refusal];
        open.add(id);
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: variables,
          contextValue: createContext(storage, randomUUID(), mayWrite, limits.maxResponseBytes, live),
        };
      },
      // Each event is answered from a snapshot of its own (its resolver begins it, beginEvent):
      // ending it here lets the read connection serve others and the WAL be checkpointed while the
      // subscription waits for the next event.
      onNext(_ctx, _id, _payload, args, result) {
        finishRequest(args.contextValue as Context);
        if (result.errors) return { ...result, errors: format(result.errors) };
      },
      onError(_ctx, _id, _payload, errors) {
        return format(errors);
      },
      onComplete(ctx, id) {
        operations.get(ctx)?.delete(id);
      },
    },
    sockets,
  );

  return {
    async close() {
      server.off('upgrade', onUpgrade);
      await graphqlWs.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
