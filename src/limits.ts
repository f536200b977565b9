import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  getNamedType,
  GraphQLError,
  isListType,
  isNonNullType,
  type GraphQLOutputType,
  getVariableValues,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from './read/pagination.js';

/** Limits against abusive requests; each is refused before any resolver runs. */
export interface RequestLimits {
  /** Deepest field nesting, e.g. actor -> quotes -> nodes -> article is 4. */
  maxDepth: number;
  /** Estimated rows a query may touch: list sizes multiply down the tree (see listAwareCost). */
  maxCost: number;
  /** Aliased fields per operation; aliases are how one request asks for the same list many times. */
  maxAliases: number;
  /** Lexical tokens per document, counted by the parser so a huge document is never built. */
  maxTokens: number;
  /** Directives per operation. */
  maxDirectives: number;
  /** Operations in one batched HTTP request (a JSON array body). */
  maxBatchSize: number;
  /** Bytes in one HTTP request body: room for a 1 MB article with its annotation. */
  maxBodyBytes: number;
  /** Bytes of one response: a query whose answer would be larger fails instead of being built. */
  maxResponseBytes: number;
}

export const DEFAULT_LIMITS: RequestLimits = {
  maxDepth: 10,
  maxCost: 250_000,
  maxAliases: 15,
  maxTokens: 2_000,
  maxDirectives: 20,
  maxBatchSize: 10,
  maxBodyBytes: 6 * 1024 * 1024,
  maxResponseBytes: 16 * 1024 * 1024,
};

/**
 * What a field weighs in the cost beyond the 1 of any field: an article body may be a megabyte,
 * where a name is a few words. Keyed `Type.field`.
 */
const FIELD_WEIGHTS: Record<string, number> = { 'Article.body': 200 };

/** How many items a list without `first` is assumed to hold when estimating cost. */
const ASSUMED_LIST_SIZE = 10;

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * Cost = rows a query may load. A connection multiplies everything below it by `first` (default 20);
 * a plain list by an assumed 10; a scalar or object costs 1. So `articles(first: 100) { nodes {
 * quotes { speaker { name } } } }` costs about 100 x 10 x 3, while a cyclic query that nests
 * paged lists inside paged lists grows geometrically and is refused.
 */
const listAwareCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const weight = FIELD_WEIGHTS[`${type.name}.${field.name}`];
  if (weight !== undefined) return weight + childComplexity;
  const connection = getNamedType(field.type).name.endsWith('Connection');
  if (connection) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + Math.max(first, 1) * Math.max(childComplexity, 1);
  }
  if (isList(field.type)) {
    // A plain list that takes `first` (the grouped counts) holds at most that many items.
    const paged = field.args.some((arg) => arg.name === 'first');
    const size = paged ? (typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE) : ASSUMED_LIST_SIZE;
    return 1 + Math.max(size, 1) * Math.max(childComplexity, 1);
  }
  return 1 + childComplexity;
};

/**
 * The cost of one operation with one set of variables, or null when the variables do not fit the
 * operation (execution then refuses them with BAD_USER_INPUT before any resolver runs). Costing walks
 * the whole document, which took about a tenth of a simple query's time, so results are kept per
 * parsed document (Apollo reuses one DocumentNode per distinct query text). Only `first` (an Int) and
 * @skip/@include (Booleans) change a cost, never a string, so variables that are strings are left out
 * of the key: an actor profile asked for many names is costed once.
 *
 * A cost that cannot be worked out is a refusal, never a pass: graphql-query-complexity gives up by
 * throwing (at 10,000 nodes, which fragments spreading fragments reach in a few dozen tokens), and
 * such a query is exactly the one that must not run.
 */
function cachedCost(
  schema: GraphQLSchema,
): (document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) => number | null {
  const costs = new WeakMap<DocumentNode, Map<string, number | null>>();
  const MAX_KEYS_PER_DOCUMENT = 100;
  return (document, operation, variables) => {
    const key = JSON.stringify([operation.name?.value ?? null, variables], (_, value: unknown) => (typeof value === 'string' ? '' : value));
    let known = costs.get(document);
    if (!known) costs.set(document, (known = new Map<string, number | null>()));
    let cost = known.get(key);
    if (cost === undefined) {
      if (getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) cost = null;
      else {
        try {
          cost = getComplexity({ schema, query: document, variables, operationName: operation.name?.value, estimators: [listAwareCost] });
        } catch (error) {
          throw new GraphQLError(
            `Query cost cannot be worked out (${error instanceof Error ? error.message : String(error)}): nest fewer fragments or lists`,
            {
              extensions: { code: 'COST_LIMIT_EXCEEDED', http: { status: 400 } },
            },
          );
        }
      }
      if (known.size >= MAX_KEYS_PER_DOCUMENT) known.clear();
      known.set(key, cost);
    }
    return cost;
  };
}

/**
 * The cost check of one operation with its variables: null when it may run, else the error that
 * refuses it. The HTTP plugin below and the WebSocket server (src/live-server.ts) share it.
 */
export function costCheck(
  schema: GraphQLSchema,
  maxCost: number,
): (document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) => GraphQLError | null {
  const costOf = cachedCost(schema);
  return (document, operation, variables) => {
    let cost: number | null;
    try {
      cost = costOf(document, operation, variables);
    } catch (error) {
      if (error instanceof GraphQLError) return error;
      throw error;
    }
    if (cost === null || cost <= maxCost) return null;
    return new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}: ask for fewer items (first) or nest fewer lists`, {
      extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost, http: { status: 400 } },
    });
  };
}

/** Refuses over-expensive operations once variables are known (validation rules never see them). */
function costLimit(check: ReturnType<typeof costCheck>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (!operation) return;
          const refusal = check(document, operation, request.variables ?? {});
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/** graphql-armor's depth, alias, token and directive limits, plus our list-aware cost limit. */
export function requestProtection(
  schema: GraphQLSchema,
  limits: RequestLimits,
): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[]; costCheck: ReturnType<typeof costCheck> } {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    // graphql-js enforces this while parsing (Apollo's parseOptions.maxTokens), and a document it
    // cannot parse stays a 400; armor's version of this check turns syntax errors into 500s.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    // Armor's cost limit counts fields, not list sizes; ours above does.
    costLimit: { enabled: false },
    // Apollo's hideSchemaDetailsFromClientErrors does this, per configuration.
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  // Armor's declarations resolve @apollo/server's CommonJS types while ours are the ESM ones; the
  // two describe the same runtime objects.
  const armorPlugins = protection.plugins as unknown as ApolloServerPlugin[];
  const check = costCheck(schema, limits.maxCost);
  return { plugins: [...armorPlugins, costLimit(check)], validationRules: protection.validationRules, costCheck: check };
}
