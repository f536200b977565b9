import type Database from 'better-sqlite3';
import { matchExpression, type SearchQuery } from './search-query.js';
import { type Dialect, LIMIT, type Row, type SearchPart, type SearchStatements, type Statements } from './sql.js';

/**
 * The read store's SQLite plumbing: prepared statements on a read-only better-sqlite3 connection.
 * Prisma costs about a millisecond per statement here against microseconds for a prepared
 * statement, and loaders run several statements per request, so reads go through this instead;
 * Prisma stays the owner of the schema, the migrations and every write. Rows come back in Prisma's
 * shapes (Dates for DateTime columns), so resolvers cannot tell the difference.
 */
export type SqlReader = Database.Database;

/** A DateTime as Prisma's adapter stores it (ISO 8601 with an explicit +00:00), for comparisons in SQL. */
export function storedDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/**
 * FTS5's ranking (see searchHits): BM25 with title 10 : body 1 and name 10 : aliases 5, and the
 * title band a second MATCH on the title column alone. One SELECT per type searched, each with the
 * condition its part adds on the row id.
 */
const RANKED_PARTS: Record<SearchPart['type'], { select: string; matches: (query: SearchQuery) => unknown[] }> = {
  Article: {
    select: `SELECT 'Article' AS type, rowid AS id, -bm25(ArticleSearch, 10.0, 1.0) AS b,
        CASE WHEN rowid IN (SELECT rowid FROM ArticleSearch WHERE ArticleSearch MATCH ?) THEN 2 ELSE 0 END AS band
      FROM ArticleSearch WHERE ArticleSearch MATCH ?`,
    matches: ({ match }) => [`{title} : (${match})`, match],
  },
  Quote: {
    select: `SELECT 'Quote' AS type, rowid AS id, -bm25(QuoteSearch) AS b, 1 AS band FROM QuoteSearch WHERE QuoteSearch MATCH ?`,
    matches: ({ match }) => [match],
  },
  Actor: {
    select: `SELECT 'Actor' AS type, rowid AS id, -bm25(ActorSearch, 10.0, 5.0) AS b, 3 AS band FROM ActorSearch WHERE ActorSearch MATCH ?`,
    matches: ({ match }) => [match],
  },
};

const within = (part: SearchPart) => (part.within ? ` AND ${part.within('rowid')}` : '');

const sqliteSearch: SearchStatements = {
  ranked: (query, parts) => ({
    text: `SELECT type, id, band + b / (1.0 + b) AS score FROM (
    ${parts.map((part) => `${RANKED_PARTS[part.type].select}${within(part)}`).join('\n    UNION ALL\n    ')}
  ) ORDER BY score DESC, type, id ${LIMIT} OFFSET ?`,
    params: parts.flatMap((part) => [...RANKED_PARTS[part.type].matches(query), ...part.params]),
  }),
  count: (query, parts) => ({
    text: `SELECT ${parts.map((part) => `(SELECT count(*) FROM ${part.type}Search WHERE ${part.type}Search MATCH ?${within(part)})`).join('\n    + ')} AS total`,
    params: parts.flatMap((part) => [query.match, ...part.params]),
  }),
  key: 'rowid',
};

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  inIds: (column) => `${column} IN (SELECT value FROM json_each(?))`,
  ids: (ids) => JSON.stringify(ids),
  date: storedDate,
  nullsLast: (descending) => (descending ? '' : ' NULLS LAST'),
  contains: (haystack) => `instr(${haystack}, ?) > 0`,
  equalsIgnoringCase: (column) => `${column} = ? COLLATE NOCASE`,
  // date() reads the stored ISO text with its offset and answers the UTC date; `weekday 1` moves
  // forward to a Monday, so six days back first lands on the Monday that starts the week.
  periodStart: (column, bucket) =>
    ({ DAY: `date(${column})`, WEEK: `date(${column}, '-6 days', 'weekday 1')`, MONTH: `strftime('%Y-%m-01', ${column})` })[bucket],
  byCodePoint: (expression) => expression,
  // A subquery rather than a list of ids, so that any number of matches fits in one statement.
  matches: (table, alias, search, field) => [
    `${alias}.id IN (SELECT rowid FROM "${table}Search" WHERE "${table}Search" MATCH ?)`,
    matchExpression(search, field),
  ],
  search: sqliteSearch,
};

/**
 * Prepared statements (or what runs them) keyed by SQL text, one cache per connection, each made
 * by `make` at its first use: a statement whose keys are a JSON array
 * (`IN (SELECT value FROM json_each(?))`) serves every batch size.
 */
function statementCache<T>(make: (sql: SqlReader, text: string) => T) {
  const cache = new WeakMap<SqlReader, Map<string, T>>();
  return (sql: SqlReader, text: string): T => {
    let statements = cache.get(sql);
    if (!statements) cache.set(sql, (statements = new Map<string, T>()));
    let statement = statements.get(text);
    if (statement === undefined) statements.set(text, (statement = make(sql, text)));
    return statement;
  };
}

export const prepared = statementCache((sql, text) => sql.prepare(text));

/**
 * Declared column types whose every stored value json_array renders exactly: Prisma's Int, String,
 * DateTime (ISO text) and Boolean, and enums (text). A REAL is printed with 15 significant digits
 * (0.1 + 0.2 would come back as 0.3), so a statement that reads a Float column, or an expression
 * of unknown type (a count, a score), is read as it is.
 */
const EXACT_IN_JSON = new Set(['INTEGER', 'TEXT', 'DATETIME', 'BOOLEAN']);

/**
 * At least this many columns for rows to come as JSON, and none of them a document: the saving is
 * per value, the cost (escaping, parsing) per byte. Five article rows of 96 KB bodies took 0.1 ms
 * as written and 0.4 to 1.2 ms as JSON; names, titles and quotes are short enough to gain.
 */
const JSON_ROWS_FROM_COLUMNS = 4;
const DOCUMENT_COLUMNS = new Set(['Article.body']);

/** Top-level words of a statement the rewrite refuses: named columns and compounds. */
const REFUSED_KEYWORDS = new Set(['AS', 'UNION', 'INTERSECT', 'EXCEPT']);

/**
 * `SELECT a, b, c FROM ...` as `SELECT json_array(a, b, c) FROM ...`: the same statement, each row
 * as one JSON text. Null for a text this cannot rewrite without changing its meaning: one that does
 * not begin with SELECT, whose columns have names (AS) or are DISTINCT, that is a compound (UNION),
 * or whose order or groups name a column by its position.
 */
export function asJsonArraySelect(text: string): string | null {
  const start = /^\s*SELECT\s+/i.exec(text);
  if (!start || /^DISTINCT\b/i.test(text.slice(start[0].length))) return null;
  let depth = 0;
  let quote: string | null = null;
  let from = -1;
  for (let i = start[0].length; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (depth === 0 && /[A-Za-z]/.test(ch) && !/[\w."]/.test(text[i - 1] ?? ' ')) {
      // A word at the top level, outside parentheses and quotes.
      const word = /^[A-Za-z_]+/.exec(text.slice(i))?.[0] ?? '';
      const keyword = word.toUpperCase();
      if (REFUSED_KEYWORDS.has(keyword)) return null;
      if (from < 0 && keyword === 'FROM') from = i;
      i += word.length - 1;
    }
  }
  if (from < 0 || quote !== null || depth !== 0) return null;
  if (/\b(ORDER|GROUP)\s+BY\s+\d/i.test(text)) return null;
  return `SELECT json_array(${text.slice(start[0].length, from).trim()}) ${text.slice(from)}`;
}

/** A rewritten statement, or null when SQLite refuses it (a column that names a result column): it is then read as written. */
function preparedOrNull(sql: SqlReader, text: string): Database.Statement | null {
  try {
    return sql.prepare(text);
  } catch {
    return null;
  }
}

/** How one statement's rows are read on one connection. */
type RowReader = (params: readonly unknown[]) => Row[];

/**
 * Rows as arrays (see the row mappers). better-sqlite3 builds each row through V8's generic API,
 * one property store per value, which was about a fifth of the instructions of a topic board's
 * request; so a statement of enough columns that json_array renders exactly is run as its
 * json_array form, each row one text that JSON.parse makes an array of, faster than those stores.
 */
const rowReader = statementCache((sql, text): RowReader => {
  const statement = sql.prepare(text).raw(true);
  const columns = statement.columns();
  const asJson =
    columns.length >= JSON_ROWS_FROM_COLUMNS &&
    columns.every(
      (column) => EXACT_IN_JSON.has(column.type?.toUpperCase() ?? '') && !DOCUMENT_COLUMNS.has(`${column.table}.${column.column}`),
    )
      ? asJsonArraySelect(text)
      : null;
  const json = asJson === null ? null : preparedOrNull(sql, asJson);
  if (json !== null) {
    json.pluck(true);
    return (params) => (json.all(...params) as string[]).map((row) => JSON.parse(row) as Row);
  }
  return (params) => statement.all(...params) as Row[];
});

/** Statements on one connection, run synchronously and answered as settled promises. */
export function sqliteStatements(sql: SqlReader): Statements {
  return { rows: async (text, params) => rowReader(sql, text)(params) };
}
