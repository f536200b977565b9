// The floor for this machine: a minimal node:http handler answering the benchmark's queries
// with hand-written SQL through better-sqlite3, returning byte-for-byte the JSON newsgraph returns.
// The harness checks that equality before it measures anything.
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import type { QueryId } from './queries.js';

const file = process.env.DATABASE_FILE ?? '';
const db = new Database(file, { readonly: true });
db.pragma('busy_timeout = 5000');

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

function group<T extends { parentId: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(row.parentId) ?? [];
    list.push(row);
    map.set(row.parentId, list);
  }
  return map;
}

const latestArticles = db.prepare('SELECT id, title FROM Article ORDER BY publishedAt DESC, id DESC LIMIT 20');

function articleQuotes(ids: number[]) {
  const rows = db
    .prepare(
      `SELECT q.articleId AS parentId, q.text, s.name AS speaker, s.affiliationId, h.name AS home
       FROM Quote q LEFT JOIN Actor s ON s.id = q.speakerId LEFT JOIN Actor h ON h.id = s.affiliationId
       WHERE q.articleId IN (${placeholders(ids.length)})
       ORDER BY q.startOffset IS NULL, q.startOffset, q.id`,
    )
    .all(...ids) as { parentId: number; text: string; speaker: string | null; home: string | null }[];
  return group(rows);
}

function q1() {
  const articles = latestArticles.all() as { id: number; title: string }[];
  const ids = articles.map((a) => a.id);
  const quotes = articleQuotes(ids);
  const positions = group(
    db
      .prepare(
        `SELECT p.articleId AS parentId, p.stance, t.name AS topic FROM Position p JOIN Topic t ON t.id = p.topicId
         WHERE p.articleId IN (${placeholders(ids.length)}) ORDER BY p.id`,
      )
      .all(...ids) as { parentId: number; stance: string; topic: string }[],
  );
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

const actorByKey = db.prepare(`SELECT id FROM Actor WHERE nameKey = ? UNION SELECT actorId FROM ActorAlias WHERE aliasKey = ? LIMIT 1`);
const actorQuotes = db.prepare(
  `SELECT q.text, a.title, a.publishedAt FROM Quote q JOIN Article a ON a.id = q.articleId WHERE q.speakerId = ? ORDER BY q.id LIMIT 50`,
);
const actorPositions = db.prepare(
  `SELECT p.stance, t.name FROM Position p JOIN Topic t ON t.id = p.topicId WHERE p.actorId = ? ORDER BY p.id`,
);

function q2(name: string) {
  const key = name.toLowerCase();
  const actor = actorByKey.get(key, key) as { id: number } | undefined;
  if (!actor) return { actor: null };
  const quotes = actorQuotes.all(actor.id) as { text: string; title: string; publishedAt: string | null }[];
  const positions = actorPositions.all(actor.id) as { stance: string; name: string }[];
  return {
    actor: {
      quotes: { nodes: quotes.map((q) => ({ text: q.text, article: { title: q.title, publishedAt: iso(q.publishedAt) } })) },
      positions: positions.map((p) => ({ stance: p.stance, topic: { name: p.name } })),
    },
  };
}

const topicBoard = db.prepare(
  `SELECT a.name, a.kind, p.stance, p.summary, ar.title FROM Position p
   JOIN Actor a ON a.id = p.actorId JOIN Article ar ON ar.id = p.articleId
   WHERE p.topicId = (SELECT id FROM Topic WHERE slug = ?) AND p.stance = ? ORDER BY p.id`,
);
const topicExists = db.prepare('SELECT id FROM Topic WHERE slug = ?');

function q3(slug: string, stance: string) {
  if (!topicExists.get(slug)) return { topic: null };
  const rows = topicBoard.all(slug, stance) as { name: string; kind: string; stance: string; summary: string; title: string }[];
  return {
    topic: {
      positions: rows.map((r) => ({
        actor: { name: r.name, kind: r.kind },
        stance: r.stance,
        summary: r.summary,
        article: { title: r.title },
      })),
    },
  };
}

function q4() {
  const articles = latestArticles.all() as { id: number; title: string }[];
  const ids = articles.map((a) => a.id);
  const quotes = articleQuotes(ids);
  const actors = group(
    db
      .prepare(
        `SELECT m.articleId AS parentId, a.name, h.name AS home FROM Mention m JOIN Actor a ON a.id = m.actorId
         LEFT JOIN Actor h ON h.id = a.affiliationId WHERE m.articleId IN (${placeholders(ids.length)}) ORDER BY a.name`,
      )
      .all(...ids) as { parentId: number; name: string; home: string | null }[],
  );
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

// Ties in newsgraph's order: by count, then by speaker id with unattributed quotes last. The month's
// articles drive (the date index), each checked for the topic, as newsgraph's statement has it.
const topSpeakers = db.prepare(
  `SELECT g.n, s.name, s.kind FROM (
     SELECT q.speakerId AS id, count(*) AS n FROM Quote q JOIN Article a ON a.id = q.articleId
     WHERE EXISTS (SELECT 1 FROM ArticleTopic l WHERE l.articleId = q.articleId AND l.topicId = (SELECT id FROM Topic WHERE slug = ?))
       AND a.publishedAt >= ? AND a.publishedAt < ?
     GROUP BY q.speakerId ORDER BY n DESC, q.speakerId IS NULL, q.speakerId LIMIT 10
   ) g LEFT JOIN Actor s ON s.id = g.id ORDER BY g.n DESC, g.id IS NULL, g.id`,
);

/** Stored DateTimes are ISO text with an explicit +00:00 (see storedDate in src/read/sqlite.ts). */
const stored = (iso: string) => new Date(iso).toISOString().replace('Z', '+00:00');

function q5(topic: string, after: string, before: string) {
  const rows = topSpeakers.all(topic, stored(after), stored(before)) as { n: number; name: string | null; kind: string | null }[];
  return { quoteStats: rows.map((r) => ({ count: r.n, speaker: r.name === null ? null : { name: r.name, kind: r.kind } })) };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { id, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: QueryId; variables: Record<string, string> };
    const data =
      id === 'Q1'
        ? q1()
        : id === 'Q2'
          ? q2(variables.name ?? '')
          : id === 'Q3'
            ? q3(variables.slug ?? '', variables.stance ?? '')
            : id === 'Q5'
              ? q5(variables.topic ?? '', variables.after ?? '', variables.before ?? '')
              : q4();
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    // Apollo Server ends its JSON with a newline; the same bytes keep the comparison exact.
    res.end(`${JSON.stringify({ data })}\n`);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`baseline listening on ${typeof address === 'object' && address ? address.port : ''}`);
});
