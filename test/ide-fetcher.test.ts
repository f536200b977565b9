import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { GRAPHIQL_FETCHER_SCRIPT } from '../src/ide-fetcher.js';

type OperationToRun = (query: string, operationName?: string) => string | undefined;
const operationToRun = (() => {
  const sandbox: { operationToRun?: OperationToRun } = {};
  runInNewContext(GRAPHIQL_FETCHER_SCRIPT, sandbox);
  const found = sandbox.operationToRun;
  if (!found) throw new Error('the fetcher script defines no operationToRun');
  return found;
})();

describe('the operation GraphiQL runs', () => {
  it.each([
    ['a pasted anonymous query, with the name of the example it replaced', '{ actor(name: "Xi") { name } }', 'ActorByAlias', undefined],
    ['a pasted named query, with the old name', 'query Board { topic(slug: "x") { name } }', 'ActorByAlias', 'Board'],
    ['the chosen one of several operations', 'query A { a } query B { b }', 'B', 'B'],
    ['none of several when the old name is in neither', 'query A { a } query B { b }', 'Gone', undefined],
    [
      'the operation, not a fragment beside it',
      'fragment F on Actor { name } query Profile($n: String!) @x { actor(name: $n) { ...F } }',
      'Old',
      'Profile',
    ],
    ['an unnamed mutation', 'mutation { addArticle(input: {}) { article { slug } } }', 'Old', undefined],
    [
      'a name that only appears in a comment or a string',
      '# query Old\n{ search(query: "query Old { }") { __typename } }',
      'Old',
      undefined,
    ],
    ['a block string with an escaped delimiter', 'query Real { a(text: """ \\""" query Old """) }', 'Old', 'Real'],
  ])('runs %s', (_case, query, stale, expected) => {
    expect(operationToRun(query, stale)).toBe(expected);
  });

  it('finds the operation of a long document', () => {
    expect(operationToRun(`query Big { ${'a '.repeat(200_000)} }`, 'Old')).toBe('Big');
  });
});
