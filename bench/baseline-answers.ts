// What the baseline servers (baseline-server.ts on better-sqlite3, baseline-postgres-server.ts on
// pg) share: the JSON of the benchmark's answers, built from the rows each reads with its own
// hand-written SQL, and the node:http handler that serves them. The harness checks that their
// answers are byte-for-byte newsgraph's before it measures anything.
import { createServer } from 'node:http';
import type { QueryId } from './queries.js';

export interface ArticleRow {
  id: number;
  title: string;
}
export interface QuoteRow {
  parentId: number;
  text: string;
  speaker: string | null;
  home: string | null;
}
export interface PositionRow {
  parentId: number;
  stance: string;
  topic: string;
}
export interface MentionRow {
  parentId: number;
  name: string;
  home: string | null;
}
export interface ActorQuoteRow {
  text: string;
  title: string;
  /** An ISO 8601 timestamp in UTC, or null. */
  publishedAt: string | null;
}
export interface ActorPositionRow {
  stance: string;
  name: string;
}
export interface BoardRow {
  name: string;
  kind: string;
  stance: string;
  summary: string;
  title: string;
}

function group<T extends { parentId: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(row.parentId) ?? [];
    list.push(row);
    map.set(row.parentId, list);
  }
  return map;
}

/** Q1: the latest articles with their quotes' speakers and their positions' topics. */
export function articlePage(articles: ArticleRow[], quoteRows: QuoteRow[], positionRows: PositionRow[]) {
  const quotes = group(quoteRows);
  const positions = group(positionRows);
  return {
    articles: {
      nodes: articles.map((a) => ({
        title: a.title,
        quotes: (quotes.get(a.id) ?? []).map((q) => ({ text: q.text, speaker: q.speaker === null ? null : { name: q.speaker } })),
        positions: (positions.get(a.id) ?? []).map((p) => ({ stance: p.stance, topic: { name: p.topic } })),
      })),
    },
  };
}

/** How many positions a child list returns when `first` is not given: newsgraph's default page size. */
export const DEFAULT_PAGE_SIZE = 20;

/** Q2: an actor's quotes with their articles, and the first page of its positions with their topics. */
export function actorProfile(quotes: ActorQuoteRow[], positions: ActorPositionRow[]) {
  return {
    actor: {
      quotes: { nodes: quotes.map((q) => ({ text: q.text, article: { title: q.title, publishedAt: q.publishedAt } })) },
      positions: { nodes: positions.map((p) => ({ stance: p.stance, topic: { name: p.name } })) },
    },
  };
}

/** Q3: the first page of a topic's positions of one stance, with their actors and articles. */
export function topicBoard(rows: BoardRow[]) {
  return {
    topic: {
      positions: {
        nodes: rows.map((r) => ({
          actor: { name: r.name, kind: r.kind },
          stance: r.stance,
          summary: r.summary,
          article: { title: r.title },
        })),
      },
    },
  };
}

/** Q4: the latest articles with their actors and quotes' speakers, each with its affiliation. */
export function nestedArticles(articles: ArticleRow[], actorRows: MentionRow[], quoteRows: QuoteRow[]) {
  const actors = group(actorRows);
  const quotes = group(quoteRows);
  return {
    articles: {
      nodes: articles.map((a) => ({
        title: a.title,
        actors: (actors.get(a.id) ?? []).map((m) => ({ name: m.name, affiliation: m.home === null ? null : { name: m.home } })),
        quotes: (quotes.get(a.id) ?? []).map((q) => ({
          text: q.text,
          speaker: q.speaker === null ? null : { name: q.speaker, affiliation: q.home === null ? null : { name: q.home } },
        })),
      })),
    },
  };
}

/** Answers `{ id, variables }` with `{ data }`, as newsgraph answers the query named by id. */
export type Answer = (id: QueryId, variables: Record<string, string>) => unknown;

/** Serves the answers on PORT (127.0.0.1), in newsgraph's exact bytes. */
export function serveBaseline(answer: Answer): void {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { id, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: QueryId; variables: Record<string, string> };
      const send = (data: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        // Apollo Server ends its JSON with a newline; the same bytes keep the comparison exact.
        res.end(`${JSON.stringify({ data })}\n`);
      };
      const data = answer(id, variables);
      // better-sqlite3 answers synchronously, and a promise would only add to its time.
      if (data instanceof Promise) {
        data.then(send, (error: unknown) => {
          res.writeHead(500).end(String(error));
        });
      } else send(data);
    });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    console.log(`baseline listening on ${typeof address === 'object' && address ? address.port : ''}`);
  });
}
