import { badUserInput } from '../errors.js';
import type { SearchFilter, SearchResultType } from '../generated/graphql.js';
import { ACTOR, toActor } from './actors.js';
import { ARTICLE, toArticle } from './articles.js';
import { type Connection, cursorNumber, type PageArgs, pageRequest, toConnection } from './pagination.js';
import { QUOTE, toQuote } from './quotes.js';
import type { SearchHitRow } from './rows.js';
import { fold, parseSearch, type QueryTerm } from './search-query.js';
import { allByIds, countOf, type ReadScope, type Row, type SearchPart } from './sql.js';

/**
 * Search over articles, quotes and actors, for the read store: on SQLite's FTS5 indexes, or on
 * PostgreSQL's tsvector search tables. The ranking and counting statements are the dialect's
 * (Dialect.search); the snippets, the hits' rows and the paging are shared.
 */

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

const SNIPPET_WORDS: Record<HitKind, number> = { Article: 16, Quote: 24, Actor: 16 };

type HitKind = SearchHitRow['type'];

/**
 * The searchable fields of each hit, in the order their excerpt is preferred. The statements read
 * the hits' rows as well and hand them to the request's loaders, so `node` costs nothing more.
 */
async function hitFields(scope: ReadScope, hits: { type: HitKind; id: number }[]): Promise<Map<string, string[]>> {
  const idsOf = (type: HitKind) => hits.filter((h) => h.type === type).map((h) => h.id);
  const fields = new Map<string, string[]>();
  const { dialect } = scope;
  const read = async (type: HitKind, text: string, keep: (row: Row) => void, fieldsOf: (row: Row) => unknown[]) => {
    const ids = idsOf(type);
    if (ids.length === 0) return;
    for (const row of await allByIds(scope, text, ids)) {
      keep(row);
      fields.set(`${type}:${String(row[0])}`, fieldsOf(row).map(String));
    }
  };
  await read(
    'Article',
    `SELECT ${ARTICLE.list}, a.body FROM "Article" a WHERE ${dialect.inIds('a.id')}`,
    (row) => scope.known.article(toArticle(row)),
    (row) => [row[ARTICLE.at.title], row[ARTICLE.width]],
  );
  await read(
    'Quote',
    `SELECT ${QUOTE.list} FROM "Quote" q WHERE ${dialect.inIds('q.id')}`,
    (row) => scope.known.quote(toQuote(row)),
    (row) => [row[QUOTE.at.text]],
  );
  await read(
    'Actor',
    `SELECT ${ACTOR.list}, s.aliases FROM "Actor" c JOIN "ActorSearch" s ON s.${dialect.search.key} = c.id WHERE ${dialect.inIds('c.id')}`,
    (row) => scope.known.actor(toActor(row)),
    (row) => [row[ACTOR.at.name], row[ACTOR.width]],
  );
  return fields;
}

const TYPES: Record<SearchResultType, HitKind> = { ARTICLE: 'Article', QUOTE: 'Quote', ACTOR: 'Actor' };

/**
 * Which ids of each type a date range keeps: articles published in it, quotes from them, and the
 * actors they mention (an actor has no date of its own). Written as `id IN (...)` beside the MATCH,
 * so the full-text index still drives and the range only checks its matches.
 */
const IN_RANGE: Record<HitKind, string> = {
  Article: 'SELECT a.id FROM "Article" a',
  Quote: 'SELECT q.id FROM "Quote" q JOIN "Article" a ON a.id = q."articleId"',
  Actor: 'SELECT m."actorId" FROM "Mention" m JOIN "Article" a ON a.id = m."articleId"',
};

/** The types a search looks for, each with the filter's date range, checked before any statement. */
function searchParts(scope: ReadScope, filter: SearchFilter | null | undefined): SearchPart[] {
  const types = filter?.types ?? ['ARTICLE', 'QUOTE', 'ACTOR'];
  if (types.length === 0) throw badUserInput('filter.types', 'needs at least one of ARTICLE, QUOTE and ACTOR (leave it out for all three)');
  const range: string[] = [];
  const params: unknown[] = [];
  if (filter?.publishedAfter != null) {
    range.push('a."publishedAt" >= ?');
    params.push(scope.dialect.date(filter.publishedAfter));
  }
  if (filter?.publishedBefore != null) {
    range.push('a."publishedAt" < ?');
    params.push(scope.dialect.date(filter.publishedBefore));
  }
  // In the order the ranking has always listed them, so the same search is the same statement.
  return (['Article', 'Quote', 'Actor'] as const)
    .filter((type) => types.some((wanted) => TYPES[wanted] === type))
    .map((type) => ({
      type,
      within: range.length === 0 ? null : (id: string) => `${id} IN (${IN_RANGE[type]} WHERE ${range.join(' AND ')})`,
      params,
    }));
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
 * Within a band hits keep their index's BM25 order; ties go by type, then id. A filter drops the
 * types it leaves out from the statement and checks each match against its date range. The title test is a
 * second MATCH on the same index (`{title} : (...)`), so the cost stays linear in the matches.
 */
export async function searchHits(
  scope: ReadScope,
  query: string,
  args: PageArgs,
  filter?: SearchFilter | null,
): Promise<Connection<SearchHitRow>> {
  const page = pageRequest(args, 1);
  const parsed = parseSearch(query, 'query');
  const parts = searchParts(scope, filter);
  const { terms } = parsed;
  const { search } = scope.dialect;
  const offset = page.after === null ? 0 : cursorNumber(page.after, 0) + 1;
  const statement = search.ranked(parsed, parts);
  const ranked = await scope.db.rows(statement.text, [...statement.params, page.first + 1, offset]);
  const found = ranked.map((row) => ({
    type: row[0] as HitKind,
    id: Number(row[1]),
    score: Number(row[2]),
  }));
  const fields = await hitFields(scope, found);
  const hits = found.map((hit) => ({
    ...hit,
    snippet: snippetOf(fields.get(`${hit.type}:${hit.id}`) ?? [], terms, SNIPPET_WORDS[hit.type]),
  }));
  const positions = new Map(hits.map((hit, i) => [hit, offset + i]));
  return toConnection(
    hits,
    page,
    (hit) => [positions.get(hit) ?? 0],
    () => {
      const count = search.count(parsed, parts);
      return countOf(scope, count.text, count.params);
    },
  );
}
