import type pg from 'pg';
import { readsOver } from './reads.js';
import { parseSearch } from './search-query.js';
import { type Dialect, LIMIT, type ReadScope, type Row, type SearchPart, type SearchStatements, type Statements } from './sql.js';
import type { ReadStore } from './store.js';

/**
 * The weights of the labels the search tables give words, as ts_rank takes them ({D, C, B, A}): an
 * article's title (A) counts ten times its body (D), an actor's name (A) twice its aliases (B), the
 * ratios FTS5's BM25 weights give on SQLite.
 */
const WEIGHTS = `'{0.1, 0.2, 0.5, 1.0}'`;

/**
 * The ranking of searchHits on PostgreSQL: the same bands, with ts_rank (normalised by the
 * logarithm of the row's length, as BM25 is by length) in place of BM25, which PostgreSQL lacks.
 * The title band matches the query with every word restricted to the title's label (A). One SELECT
 * per type searched, each with the condition its part adds on the row id.
 */
const RANKED_PARTS: Record<SearchPart['type'], string> = {
  Article: `SELECT 'Article' AS type, s.id, ts_rank(${WEIGHTS}, s.search, q.query, 1) AS b,
        CASE WHEN s.search @@ q.title THEN 2 ELSE 0 END AS band
      FROM "ArticleSearch" s, q WHERE s.search @@ q.query`,
  Quote: `SELECT 'Quote' AS type, s.id, ts_rank(${WEIGHTS}, s.search, q.query, 1) AS b, 1 AS band FROM "QuoteSearch" s, q WHERE s.search @@ q.query`,
  Actor: `SELECT 'Actor' AS type, s.id, ts_rank(${WEIGHTS}, s.search, q.query, 1) AS b, 3 AS band FROM "ActorSearch" s, q WHERE s.search @@ q.query`,
};

const within = (part: SearchPart) => (part.within ? ` AND ${part.within('s.id')}` : '');

const postgresSearch: SearchStatements = {
  ranked: ({ tsquery, titleTsquery }, parts) => ({
    text: `WITH q AS (SELECT to_tsquery('newsgraph', ?) AS query, to_tsquery('newsgraph', ?) AS title)
  SELECT type, id, band + b / (1.0 + b) AS score FROM (
    ${parts.map((part) => `${RANKED_PARTS[part.type]}${within(part)}`).join('\n    UNION ALL\n    ')}
  ) hits ORDER BY score DESC, type, id ${LIMIT} OFFSET ?`,
    params: [tsquery, titleTsquery, ...parts.flatMap((part) => part.params)],
  }),
  count: ({ tsquery }, parts) => ({
    text: `WITH q AS (SELECT to_tsquery('newsgraph', ?) AS query)
  SELECT ${parts.map((part) => `(SELECT count(*) FROM "${part.type}Search" s, q WHERE s.search @@ q.query${within(part)})`).join('\n    + ')} AS total`,
    params: [tsquery, ...parts.flatMap((part) => part.params)],
  }),
  key: 'id',
};

export const postgresDialect: Dialect = {
  name: 'postgresql',
  inIds: (column) => `${column} = ANY(?)`,
  // pg sends a JavaScript array as an array literal; PostgreSQL types it from the column.
  ids: (ids) => ids,
  // Prisma stores DateTime as timestamp(3) holding UTC; PostgreSQL ignores the Z of an ISO string
  // read as a timestamp without time zone, so the UTC digits are compared as they are stored.
  date: (date) => date.toISOString(),
  nullsLast: (descending) => (descending ? ' NULLS LAST' : ''),
  contains: (haystack) => `strpos(${haystack}, ?) > 0`,
  equalsIgnoringCase: (column) => `lower(${column}) = lower(?)`,
  // The stored timestamps hold UTC (see `date`); date_trunc's weeks start on Monday, as ISO's do.
  periodStart: (column, bucket) => `to_char(date_trunc('${bucket.toLowerCase()}', ${column}), 'YYYY-MM-DD')`,
  byCodePoint: (expression) => `${expression} COLLATE "C"`,
  matches: (table, alias, search, field) => [
    `${alias}.id IN (SELECT id FROM "${table}Search" WHERE search @@ to_tsquery('newsgraph', ?))`,
    parseSearch(search, field).tsquery,
  ],
  search: postgresSearch,
};

/**
 * The read store's statements as PostgreSQL takes them: `?` numbered as `$1, $2, ...`, and each
 * distinct text a named prepared statement, which pg prepares once per connection and then only
 * binds, as better-sqlite3's prepared statements are on SQLite.
 */
const numbered = new Map<string, { name: string; text: string }>();
function statementFor(text: string): { name: string; text: string } {
  let statement = numbered.get(text);
  if (!statement) {
    let n = 0;
    statement = { name: `newsgraph_read_${numbered.size}`, text: text.replace(/\?/g, () => `$${(n += 1)}`) };
    numbered.set(text, statement);
  }
  return statement;
}

async function run(client: pg.Pool | pg.PoolClient, text: string, params: readonly unknown[]): Promise<Row[]> {
  const { name, text: sql } = statementFor(text);
  const result = await client.query<unknown[]>({ name, text: sql, values: [...params], rowMode: 'array' });
  return result.rows;
}

/** Begins and ends a request's snapshot; they read nothing, so statement counts leave them out. */
export const SNAPSHOT_STATEMENTS = new Set(['BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', 'COMMIT']);
const [BEGIN_SNAPSHOT = '', END_SNAPSHOT = ''] = SNAPSHOT_STATEMENTS;

/**
 * The read store on PostgreSQL: the entity modules' statements over a pg pool. Each request reads
 * one snapshot, as on SQLite: its first read takes a pooled connection and begins a REPEATABLE READ,
 * READ ONLY transaction there, which it holds until the request ends (Reads.end), so a write that
 * commits between two of its statements shows in neither. Statements of one request run one after
 * another on that connection, so a request holds one connection, and the pool's size bounds how
 * many requests read at once; the rest wait their turn for a connection.
 */
export function postgresReadStore(pool: pg.Pool): ReadStore & { close(): void } {
  // Connections held by sessions; one that was never ended (a caller that skips end) is let go at
  // close, or the pool would wait for it forever.
  const held = new Set<pg.PoolClient>();
  return {
    close() {
      for (const connection of held) connection.release(true);
      held.clear();
    },
    session: (known) => {
      let client: Promise<pg.PoolClient> | null = null;
      let ended = false;
      const acquire = async () => {
        const connection = await pool.connect();
        held.add(connection);
        try {
          await connection.query(BEGIN_SNAPSHOT);
        } catch (error) {
          // close() may have let it go already.
          if (held.delete(connection)) connection.release(error instanceof Error ? error : true);
          throw error;
        }
        return connection;
      };
      // A request's statements take turns on its connection (pg queues them too, but is retiring
      // that). Reads after the end (a resolver still running when the answer was sent) run outside
      // any snapshot, each a query of its own on the pool, so they hold no connection between them.
      let turn: Promise<unknown> = Promise.resolve();
      const db: Statements = {
        rows: (text, params) => {
          if (ended) return run(pool, text, params);
          if (client === null) {
            client = acquire();
            // Whoever reads through it handles a failure; this only keeps it from counting as unhandled meanwhile.
            client.catch(() => {});
          }
          const connection = client;
          const result = turn.then(async () => run(await connection, text, params));
          turn = result.catch(() => {});
          return result;
        },
      };
      const scope: ReadScope = { db, dialect: postgresDialect, known };
      const end = () => {
        ended = true;
        const mine = client;
        client = null;
        if (mine === null) return;
        const release = (connection: pg.PoolClient, error?: unknown) => {
          if (!held.delete(connection)) return;
          connection.release(error === undefined ? undefined : error instanceof Error ? error : true);
        };
        void turn
          .then(() => mine)
          .then(
            (connection) =>
              connection.query(END_SNAPSHOT).then(
                () => release(connection),
                (error: unknown) => release(connection, error ?? true),
              ),
            // The snapshot never began; acquire already gave its connection back.
            () => {},
          );
      };
      return readsOver(() => scope, end);
    },
  };
}
