/**
 * A response cache for read queries. Any write to the database, by this server or by another
 * process (`npm run seed` beside it), empties it: SQLite's `PRAGMA data_version`, read on the
 * server's read-only connection, changes whenever another connection commits, and every write in
 * this process goes through the separate writer connection. Checking it costs one pragma per query.
 */
import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { type FormattedExecutionResult, OperationTypeNode } from 'graphql';
import type { Context } from './context.js';
import type { SqlReader } from './read-model.js';

export function responseCache(sql: SqlReader, maxEntries: number): ApolloServerPlugin<Context> {
  // A Map keeps insertion order, so re-inserting on a hit makes it a least-recently-used list.
  const entries = new Map<string, FormattedExecutionResult>();
  let version = -1;
  const dataVersion = () => Number(sql.pragma('data_version', { simple: true }));

  return {
    async requestDidStart() {
      let key: string | null = null;
      let versionAtLookup = -1;
      return {
        async responseForOperation({ operation, request }) {
          if (operation.operation !== OperationTypeNode.QUERY || request.query === undefined) return null;
          const current = dataVersion();
          if (current !== version) {
            entries.clear();
            version = current;
          }
          versionAtLookup = current;
          key = JSON.stringify([request.query, request.operationName ?? null, request.variables ?? {}]);
          const hit = entries.get(key);
          if (!hit) return null;
          entries.delete(key);
          entries.set(key, hit);
          return { http: { headers: new HeaderMap(), status: undefined }, body: { kind: 'single', singleResult: hit } };
        },
        async willSendResponse({ response }) {
          if (key === null || response.body.kind !== 'single' || response.body.singleResult.errors) return;
          // A write that committed while this query ran may or may not be in its answer: keep neither.
          if (entries.has(key) || dataVersion() !== versionAtLookup) return;
          entries.set(key, response.body.singleResult);
          if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
        },
      };
    },
  };
}
