import type { Db } from '../db.js';
import { fold, parseSearch, type QueryTerm } from '../read/search-query.js';
import { type Connection, cursorNumber, type PageArgs, pageRequest, toConnection } from '../read/pagination.js';

export interface SearchHitRow {
  type: 'Article' | 'Quote' | 'Actor';
  id: number;
  /** HTML-escaped passage with matches in <mark>. */
  snippet: string;
  /** Relevance in [0, 4), higher is better, comparable across types (see search). */
  score: number;
}

const WORD = /[\p{L}\p{N}_]+/gu;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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

/**
 * Articles, quotes and actors matching the query, best first, in one ranking. The three FTS5 indexes
 * score with BM25 against their own statistics (a word in half the articles gets an IDF of almost
 * zero there and a high one among actors), so their scores cannot be compared. Instead a hit's score
 * is its band plus its BM25 within its own index squashed into [0, 1), so it never leaves its band:
 *
 *   score = band + b / (1 + b),  b = -bm25 (higher is better; title 10 : body 1, name 10 : aliases 5)
 *   band  = 3  an actor, matched by its name or an alias: the query names it
 *           2  an article whose title alone matches the whole query: it is about it
 *           1  a quote: someone said it
 *           0  an article that matches only with its body: it mentions it
 *
 * Within a band hits keep their index's BM25 order; ties go by type, then id. The title test is a
 * second MATCH on the same index (`{title} : (...)`), so the cost stays linear in the matches.
 */
export async function search(db: Db, query: string, args: PageArgs): Promise<Connection<SearchHitRow>> {
  const page = pageRequest(args, 1);
  const { match, terms } = parseSearch(query, 'query');
  const titleMatch = `{title} : (${match})`;
  const offset = page.after === null ? 0 : cursorNumber(page.after, 0) + 1;
  const rows = await db.$queryRaw<{ type: SearchHitRow['type']; id: bigint | number; score: number }[]>`
      SELECT type, id, band + b / (1.0 + b) AS score FROM (
        SELECT 'Article' AS type, rowid AS id, -bm25("ArticleSearch", 10.0, 1.0) AS b,
            CASE WHEN rowid IN (SELECT rowid FROM "ArticleSearch" WHERE "ArticleSearch" MATCH ${titleMatch}) THEN 2 ELSE 0 END AS band
          FROM "ArticleSearch" WHERE "ArticleSearch" MATCH ${match}
        UNION ALL
        SELECT 'Quote', rowid, -bm25("QuoteSearch"), 1 FROM "QuoteSearch" WHERE "QuoteSearch" MATCH ${match}
        UNION ALL
        SELECT 'Actor', rowid, -bm25("ActorSearch", 10.0, 5.0), 3 FROM "ActorSearch" WHERE "ActorSearch" MATCH ${match}
      ) ORDER BY score DESC, type, id LIMIT ${page.first + 1} OFFSET ${offset}`;
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
