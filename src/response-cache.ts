/**
 * A response cache for read queries. Any write to the database, by this server or by another
 * process (`npm run seed` beside it, another server on the same PostgreSQL database), empties it:
 * the storage's data version (Storage.dataVersion) changes whenever a write commits. On SQLite that
 * is `PRAGMA data_version` on the server's read-only connection, which changes whenever another
 * connection commits (every write in this process goes through the separate writer connection); on
 * PostgreSQL it is the current snapshot, which changes whenever any transaction that wrote ends.
 * Checking it costs one statement per query.
 *
 * It is bounded in bytes as well as entries, so what clients send cannot grow it: an entry's size is
 * its key (query and variables) plus its serialized answer, and an entry larger than a sixteenth of
 * the budget (a page of article bodies) is not kept at all. A request whose query and variables are
 * longer than MAX_KEY_CHARACTERS is not looked up either: writing out and hashing a megabyte key
 * costs milliseconds of the event loop per request, and such a request is rarely asked twice.
 */
import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { type FormattedExecutionResult, OperationTypeNode } from 'graphql';
import type { Context } from './context.js';

export const DEFAULT_RESPONSE_CACHE_BYTES = 64 * 1024 * 1024;
export const MAX_KEY_CHARACTERS = 16 * 1024;

interface Entry {
  result: FormattedExecutionResult;
  bytes: number;
}

export function responseCache(
  dataVersion: () => Promise<string>,
  maxEntries: number,
  maxBytes = DEFAULT_RESPONSE_CACHE_BYTES,
): ApolloServerPlugin<Context> {
  // A Map keeps insertion order, so re-inserting on a hit makes it a least-recently-used list.
  const entries = new Map<string, Entry>();
  const maxEntryBytes = maxBytes / 16;
  const maxKeyCharacters = Math.min(MAX_KEY_CHARACTERS, maxEntryBytes);
  let bytes = 0;
  let version = '';
  const clear = () => {
    entries.clear();
    bytes = 0;
  };
  const evictOldest = () => {
    const [oldestKey, oldest] = entries.entries().next().value as [string, Entry];
    entries.delete(oldestKey);
    bytes -= oldest.bytes;
  };

  return {
    async requestDidStart() {
      let key: string | null = null;
      let versionAtLookup = '';
      return {
        async responseForOperation({ operation, request }) {
          if (operation.operation !== OperationTypeNode.QUERY || request.query === undefined) return null;
          const current = await dataVersion();
          if (current !== version) {
            clear();
            version = current;
          }
          versionAtLookup = current;
          // A request body longer than a key may be is not worth writing out as one.
          if (Number(request.http?.headers.get('content-length') ?? 0) > maxKeyCharacters) return null;
          if (request.query.length > maxKeyCharacters) return null;
          key = JSON.stringify([request.query, request.operationName ?? null, request.variables ?? {}]);
          if (key.length > maxKeyCharacters) {
            key = null;
            return null;
          }
          const hit = entries.get(key);
          if (!hit) return null;
          entries.delete(key);
          entries.set(key, hit);
          return { http: { headers: new HeaderMap(), status: undefined }, body: { kind: 'single', singleResult: hit.result } };
        },
        async willSendResponse({ response }) {
          if (key === null || response.body.kind !== 'single' || response.body.singleResult.errors) return;
          // A write that committed while this query ran may or may not be in its answer: keep neither.
          if (entries.has(key) || (await dataVersion()) !== versionAtLookup) return;
          const result = response.body.singleResult;
          const entryBytes = key.length + JSON.stringify(result).length;
          if (entryBytes > maxEntryBytes) return;
          entries.set(key, { result, bytes: entryBytes });
          bytes += entryBytes;
          while (entries.size > maxEntries || bytes > maxBytes) evictOldest();
        },
      };
    },
  };
}
