// The floor for this machine on SQLite: a minimal node:http handler answering the benchmark's
// queries with hand-written SQL through better-sqlite3, returning byte-for-byte the JSON newsgraph
// returns (baseline-answers.ts). The harness checks that equality before it measures anything.
import Database from 'better-sqlite3';
import {
  type ActorPositionRow,
  type ActorQuoteRow,
  actorProfile,
  type ArticleRow,
  articlePage,
  type BoardRow,
  DEFAULT_PAGE_SIZE,
  type MentionRow,
  nestedArticles,
  type PositionRow,
  type QuoteRow,
  serveBaseline,
  topicBoard,
} from './baseline-answers.js';

const file = process.env.DATABASE_FILE ?? '';
const db = new Database(file, { readonly: true });
db.pragma('busy_timeout = 5000');

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

const latestArticles = db.prepare('SELECT id, title FROM Article ORDER BY publishedAt DESC, id DESC LIMIT 20');

function articleQuotes(ids: number[]): QuoteRow[] {
  return db
    .prepare(
      `SELECT q.articleId AS parentId, q.text, s.name AS speaker, h.name AS home
       FROM Quote q LEFT JOIN Actor s ON s.id = q.speakerId LEFT JOIN Actor h ON h.id = s.affiliationId
       WHERE q.articleId IN (${placeholders(ids.length)})
       ORDER BY q.startOffset IS NULL, q.startOffset, q.id`,
    )
    .all(...ids) as QuoteRow[];
}

function q1() {
  const articles = latestArticles.all() as ArticleRow[];
  const ids = articles.map((a) => a.id);
  const positions = db
    .prepare(
      `SELECT p.articleId AS parentId, p.stance, t.name AS topic FROM Position p JOIN Topic t ON t.id = p.topicId
       WHERE p.articleId IN (${placeholders(ids.length)}) ORDER BY p.id`,
    )
    .all(...ids) as PositionRow[];
  return articlePage(articles, articleQuotes(ids), positions);
}

const actorByKey = db.prepare(`SELECT id FROM Actor WHERE nameKey = ? UNION SELECT actorId FROM ActorAlias WHERE aliasKey = ? LIMIT 1`);
const actorQuotes = db.prepare(
  `SELECT q.text, a.title, a.publishedAt FROM Quote q JOIN Article a ON a.id = q.articleId WHERE q.speakerId = ? ORDER BY q.id LIMIT 50`,
);
const actorPositions = db.prepare(
  `SELECT p.stance, t.name FROM Position p JOIN Topic t ON t.id = p.topicId WHERE p.actorId = ? ORDER BY p.id LIMIT ${DEFAULT_PAGE_SIZE}`,
);

function q2(name: string) {
  const key = name.toLowerCase();
  const actor = actorByKey.get(key, key) as { id: number } | undefined;
  if (!actor) return { actor: null };
  const quotes = (actorQuotes.all(actor.id) as ActorQuoteRow[]).map((q) => ({ ...q, publishedAt: iso(q.publishedAt) }));
  return actorProfile(quotes, actorPositions.all(actor.id) as ActorPositionRow[]);
}

const board = db.prepare(
  `SELECT a.name, a.kind, p.stance, p.summary, ar.title FROM Position p
   JOIN Actor a ON a.id = p.actorId JOIN Article ar ON ar.id = p.articleId
   WHERE p.topicId = (SELECT id FROM Topic WHERE slug = ?) AND p.stance = ? ORDER BY p.id LIMIT ${DEFAULT_PAGE_SIZE}`,
);
const topicExists = db.prepare('SELECT id FROM Topic WHERE slug = ?');

function q3(slug: string, stance: string) {
  if (!topicExists.get(slug)) return { topic: null };
  return topicBoard(board.all(slug, stance) as BoardRow[]);
}

function q4() {
  const articles = latestArticles.all() as ArticleRow[];
  const ids = articles.map((a) => a.id);
  const actors = db
    .prepare(
      `SELECT m.articleId AS parentId, a.name, h.name AS home FROM Mention m JOIN Actor a ON a.id = m.actorId
       LEFT JOIN Actor h ON h.id = a.affiliationId WHERE m.articleId IN (${placeholders(ids.length)}) ORDER BY a.name`,
    )
    .all(...ids) as MentionRow[];
  return nestedArticles(articles, actors, articleQuotes(ids));
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

serveBaseline((id, variables) =>
  id === 'Q1'
    ? q1()
    : id === 'Q2'
      ? q2(variables.name ?? '')
      : id === 'Q3'
        ? q3(variables.slug ?? '', variables.stance ?? '')
        : id === 'Q5'
          ? q5(variables.topic ?? '', variables.after ?? '', variables.before ?? '')
          : q4(),
);
