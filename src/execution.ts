/**
 * Compiled execution. graphql-js interprets a query afresh on every request, walking the document
 * and checking every value against the schema; graphql-jit compiles each distinct operation once into
 * a JavaScript function that does only what that operation needs. Apollo Server keeps doing
 * everything else (parsing with its document cache, validation, our limits, error formatting): it
 * hands execution to the `executor` of a gateway, which is the extension point Apollo Server offers
 * for it.
 */
import type { GatewayExecutionResult, GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { type DocumentNode, type ExecutionResult, getVariableValues, GraphQLError, type GraphQLSchema, printSchema } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/** Compiled operations per parsed document (Apollo reuses one DocumentNode per distinct query text). */
type Compiled = Map<string, CompiledQuery | ExecutionResult>;

export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const cache = new WeakMap<DocumentNode, Compiled>();
  const executor: GatewayExecutor = async (requestContext) => {
    const { document, operationName, operation } = requestContext;
    // Variables are checked by graphql-js itself, so a bad one gets exactly graphql-js's message and,
    // as in Apollo's own execution, BAD_USER_INPUT with HTTP status 400.
    const variables = requestContext.request.variables ?? {};
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) {
      const http = requestContext.response?.http;
      if (http) http.status = 400;
      return {
        errors: coerced.errors.map(
          (error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } }),
        ),
      };
    }
    let byOperation = cache.get(document);
    if (!byOperation) {
      byOperation = new Map();
      cache.set(document, byOperation);
    }
    const key = operationName ?? '';
    let compiled = byOperation.get(key);
    if (!compiled) {
      compiled = compileQuery(schema, document, operationName ?? undefined);
      byOperation.set(key, compiled);
    }
    if (!isCompiledQuery(compiled)) return compiled as GatewayExecutionResult;
    const result: ExecutionResult = await compiled.query(undefined, requestContext.context, variables);
    return result as GatewayExecutionResult;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    load: () => Promise.resolve({ executor }),
    stop: () => Promise.resolve(),
  };
}
