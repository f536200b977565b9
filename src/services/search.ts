import type { Db } from '../db.js';
import { badUserInput } from '../errors.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { type Connection, cursorNumber, type PageArgs, pageRequest, toConnection } from './pagination.js';

export interface SearchHitRow {
  type: 'Article' | 'Quote' | 'Actor';
  id: number;
  /** HTML-escaped passage with matches in <mark>. */
  snippet: string;
  /** Relevance, higher is better (negated BM25). */
  score: number;
}

// Private-use characters mark matches inside FTS5 snippets, so the text can be HTML-escaped first
// and the marks turned into <mark> tags after; a quote containing "<script>" stays inert.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const FTS_SYNTAX = /["*():^]|\b(AND|OR|NOT|NEAR)\b/;
const WORD = /[\p{L}\p{N}_]+/gu;
// A prefix term: the letters before a `*`, with an optional closing quote (`"zelen"*`).
const PREFIX_TERM = /([\p{L}\p{N}_]*)"?\*/gu;

/**
 * Refuses queries whose cost would grow faster than their length: FTS5 plans a query in time that
 * grows with the square of its terms, and a short prefix (`a*`) makes it merge the entries of every
 * indexed word it starts. Every check is one pass over a string of bounded length.
 */
function assertSearchable(query: string, field: string): void {
  const { searchLength, searchTerms, searchPrefixTerms, searchPrefixLength } = INPUT_LIMITS;
  if (query.length > searchLength) throw badUserInput(field, `is ${query.length} characters long; the limit is ${searchLength}`);
  let terms = 0;
  for (WORD.lastIndex = 0; WORD.exec(query) !== null;) terms += 1;
  if (terms > searchTerms) throw badUserInput(field, `has ${terms} words; the limit is ${searchTerms}`);
  let prefixes = 0;
  for (const [term, letters = ''] of query.matchAll(PREFIX_TERM)) {
    if (letters.length < searchPrefixLength) {
      throw badUserInput(field, `prefix term "${term}" needs at least ${searchPrefixLength} letters or digits before the *`);
    }
    prefixes += 1;
  }
  if (prefixes > searchPrefixTerms) throw badUserInput(field, `has ${prefixes} prefix terms (word*); the limit is ${searchPrefixTerms}`);
}

/**
 * Turns what a user typed into an FTS5 query. Plain words become quoted terms that must all occur,
 * so "China's neutrality" needs no escaping; a query that already uses FTS5 syntax (phrases,
 * prefixes, OR, NOT, NEAR) is passed through, and its mistakes come back as BAD_USER_INPUT.
 */
export function matchExpression(query: string, field = 'query'): string {
  assertSearchable(query, field);
  const trimmed = query.trim();
  if (trimmed === '') throw badUserInput(field, 'must not be empty');
  if (FTS_SYNTAX.test(trimmed)) return trimmed;
  const words = trimmed.match(WORD) ?? [];
  if (words.length === 0) throw badUserInput(field, `"${query}" has no letters or digits to search for`);
  return words.map((word) => `"${word}"`).join(' ');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function highlight(snippet: string): string {
  return escapeHtml(snippet).replaceAll(OPEN, '<mark>').replaceAll(CLOSE, '</mark>');
}

/** Runs an FTS query, turning SQLite's complaints about the query into the client's error. */
export async function runMatch<T>(query: string, field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = /fts5: [^\n]*|unterminated string|no such column: [^\n]*|unknown special query[^\n]*/.exec(message)?.[0];
    if (reason) throw badUserInput(field, `"${query}" is not a valid search (${reason})`, { cause: error });
    throw error;
  }
}

/** Articles, quotes and actors matching the query, best first. */
export async function search(db: Db, query: string, args: PageArgs): Promise<Connection<SearchHitRow>> {
  const page = pageRequest(args, 1);
  const match = matchExpression(query);
  const offset = page.after === null ? 0 : cursorNumber(page.after, 0) + 1;
  const rows = await runMatch(
    query,
    'query',
    () =>
      db.$queryRaw<{ type: SearchHitRow['type']; id: bigint | number; score: number; snippet: string }[]>`
      SELECT type, id, score, snippet FROM (
        SELECT 'Article' AS type, rowid AS id, -bm25("ArticleSearch", 10.0, 1.0) AS score,
               snippet("ArticleSearch", -1, ${OPEN}, ${CLOSE}, '…', 16) AS snippet
          FROM "ArticleSearch" WHERE "ArticleSearch" MATCH ${match}
        UNION ALL
        SELECT 'Quote', rowid, -bm25("QuoteSearch"), snippet("QuoteSearch", 0, ${OPEN}, ${CLOSE}, '…', 24)
          FROM "QuoteSearch" WHERE "QuoteSearch" MATCH ${match}
        UNION ALL
        SELECT 'Actor', rowid, -bm25("ActorSearch", 10.0, 5.0), snippet("ActorSearch", -1, ${OPEN}, ${CLOSE}, '…', 16)
          FROM "ActorSearch" WHERE "ActorSearch" MATCH ${match}
      ) ORDER BY score DESC, type, id LIMIT ${page.first + 1} OFFSET ${offset}`,
  );
  const hits = rows.map((row) => ({ type: row.type, id: Number(row.id), score: row.score, snippet: highlight(row.snippet) }));
  const positions = new Map(hits.map((hit, i) => [hit, offset + i]));
  return toConnection(
    hits,
    page,
    (hit) => [positions.get(hit) ?? 0],
    async () => {
      const [count] = await db.$queryRaw<{ total: bigint | number }[]>`
      SELECT (SELECT count(*) FROM "ArticleSearch" WHERE "ArticleSearch" MATCH ${match})
           + (SELECT count(*) FROM "QuoteSearch" WHERE "QuoteSearch" MATCH ${match})
           + (SELECT count(*) FROM "ActorSearch" WHERE "ActorSearch" MATCH ${match}) AS total`;
      return Number(count?.total ?? 0);
    },
  );
}
