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
  // A repeated word matches nothing more, but FTS5 would score every occurrence of it once per repeat.
  const distinct = new Map(words.map((word) => [fold(word), word]));
  return [...distinct.values()].map((word) => `"${word}"`).join(' ');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A word of the query as the index sees it (case and accents folded), and whether it is a prefix. */
interface QueryTerm {
  word: string;
  prefix: boolean;
}

const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);
const TERM = /([\p{L}\p{N}_]+)("?\*)?/gu;

function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function queryTerms(query: string): QueryTerm[] {
  return [...query.matchAll(TERM)]
    .filter(([, word = '']) => !OPERATORS.has(word))
    .map(([, word = '', star]) => ({ word: fold(word), prefix: star !== undefined }));
}

function isTerm(token: string, terms: QueryTerm[]): boolean {
  const folded = fold(token);
  return terms.some((t) => (t.prefix ? folded.startsWith(t.word) : folded === t.word));
}

/**
 * About `size` words of `text` from just before its first matching word, HTML-escaped, matches in
 * <mark>; null when no word matches. Written here rather than with FTS5's snippet(), whose time
 * grows with the square of a row's matches: one actor with 100 long aliases answering "ali" took
 * 0.3 s, and an article repeating one word took minutes. This scans no further than the first
 * match plus the window.
 */
function excerpt(text: string, terms: QueryTerm[], size: number): string | null {
  const LEAD = 3;
  const words = new RegExp(WORD.source, 'gu');
  const before: RegExpExecArray[] = [];
  let first: RegExpExecArray | null = null;
  let dropped = false;
  for (let m = words.exec(text); m !== null; m = words.exec(text)) {
    if (isTerm(m[0], terms)) {
      first = m;
      break;
    }
    before.push(m);
    if (before.length > LEAD) {
      before.shift();
      dropped = true;
    }
  }
  if (first === null) return null;
  const window = [...before, first];
  let more = false;
  for (let m = words.exec(text); m !== null; m = words.exec(text)) {
    if (window.length >= size) {
      more = true;
      break;
    }
    window.push(m);
  }
  const start = window[0]?.index ?? 0;
  let html = dropped ? '…' : '';
  let at = start;
  for (const m of window) {
    html += escapeHtml(text.slice(at, m.index));
    html += isTerm(m[0], terms) ? `<mark>${escapeHtml(m[0])}</mark>` : escapeHtml(m[0]);
    at = m.index + m[0].length;
  }
  return more ? `${html}…` : html;
}

/** The excerpt of the first field that has a match, or the opening words of the first field. */
function snippetOf(fields: string[], terms: QueryTerm[], size: number): string {
  for (const field of fields) {
    const found = excerpt(field, terms, size);
    if (found !== null) return found;
  }
  return excerpt(fields[0] ?? '', [{ word: '', prefix: true }], size) ?? '';
}

const SNIPPET_WORDS: Record<SearchHitRow['type'], number> = { Article: 16, Quote: 24, Actor: 16 };

/** The searchable fields of each hit, in the order their excerpt is preferred. */
async function hitFields(db: Db, hits: { type: SearchHitRow['type']; id: number }[]): Promise<Map<string, string[]>> {
  const idsOf = (type: SearchHitRow['type']) => JSON.stringify(hits.filter((h) => h.type === type).map((h) => h.id));
  const [articles, quotes, actors] = await Promise.all([
    db.$queryRaw<{ id: bigint | number; a: string; b: string }[]>`
      SELECT id, title AS a, body AS b FROM "Article" WHERE id IN (SELECT value FROM json_each(${idsOf('Article')}))`,
    db.$queryRaw<{ id: bigint | number; a: string }[]>`
      SELECT id, text AS a FROM "Quote" WHERE id IN (SELECT value FROM json_each(${idsOf('Quote')}))`,
    db.$queryRaw<{ id: bigint | number; a: string; b: string }[]>`
      SELECT rowid AS id, name AS a, aliases AS b FROM "ActorSearch" WHERE rowid IN (SELECT value FROM json_each(${idsOf('Actor')}))`,
  ]);
  const fields = new Map<string, string[]>();
  for (const row of articles) fields.set(`Article:${row.id}`, [row.a, row.b]);
  for (const row of quotes) fields.set(`Quote:${row.id}`, [row.a]);
  for (const row of actors) fields.set(`Actor:${row.id}`, [row.a, row.b]);
  return fields;
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
      db.$queryRaw<{ type: SearchHitRow['type']; id: bigint | number; score: number }[]>`
      SELECT type, id, score FROM (
        SELECT 'Article' AS type, rowid AS id, -bm25("ArticleSearch", 10.0, 1.0) AS score
          FROM "ArticleSearch" WHERE "ArticleSearch" MATCH ${match}
        UNION ALL
        SELECT 'Quote', rowid, -bm25("QuoteSearch") FROM "QuoteSearch" WHERE "QuoteSearch" MATCH ${match}
        UNION ALL
        SELECT 'Actor', rowid, -bm25("ActorSearch", 10.0, 5.0) FROM "ActorSearch" WHERE "ActorSearch" MATCH ${match}
      ) ORDER BY score DESC, type, id LIMIT ${page.first + 1} OFFSET ${offset}`,
  );
  const terms = queryTerms(query);
  const found = rows.map((row) => ({ type: row.type, id: Number(row.id), score: row.score }));
  const fields = await hitFields(db, found);
  const hits = found.map((hit) => ({
    ...hit,
    snippet: snippetOf(fields.get(`${hit.type}:${hit.id}`) ?? [], terms, SNIPPET_WORDS[hit.type]),
  }));
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
