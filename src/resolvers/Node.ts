import type { NodeResolvers } from '../generated/graphql.js';
import type { NodeType } from '../ids.js';

// Storage rows do not say which table they came from; Query.node records it here for __resolveType.
const typeOfNode = new WeakMap<object, NodeType>();

export function asNode<T extends object>(type: NodeType, row: T | null): T | null {
  if (row) typeOfNode.set(row, type);
  return row;
}

/** The GraphQL type of a row that went through asNode. */
export function nodeTypeOf(row: object): NodeType | null {
  return typeOfNode.get(row) ?? null;
}

export const Node: NodeResolvers = {
  __resolveType: (node) => nodeTypeOf(node),
};
