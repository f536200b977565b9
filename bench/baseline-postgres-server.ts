// The floor for this machine on PostgreSQL: the same minimal node:http handler as
// baseline-server.ts, answering the benchmark's queries with hand-written SQL through pg (a pool
// of 10 connections, as newsgraph's read store has, and named statements, so each is planned once
// per connection), returning byte-for-byte the JSON newsgraph returns (baseline-answers.ts).
import pg from 'pg';
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

// Prisma stores DateTime as timestamp(3) without a time zone, holding UTC; pg would read it as local time.
const TIMESTAMP: number = pg.types.builtins.TIMESTAMP;
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  types: {
    getTypeParser: (oid: number) =>
      oid === TIMESTAMP
        ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`).toISOString()
        : (pg.types.getTypeParser(oid, 'text') as (value: string) => unknown),
  },
});

async function rows<T>(name: string, text: string, values: unknown[] = []): Promise<T[]> {
  return (await pool.query({ name, text, values })).rows as T[];
}

const latestArticles = () =>
  rows<ArticleRow>('latest', `SELECT id, title FROM "Article" ORDER BY "publishedAt" DESC NULLS LAST, id DESC LIMIT 20`);

const articleQuotes = (ids: number[]) =>
  rows<QuoteRow>(
    'article_quotes',
    `SELECT q."articleId" AS "parentId", q.text, s.name AS speaker, h.name AS home
     FROM "Quote" q LEFT JOIN "Actor" s ON s.id = q."speakerId" LEFT JOIN "Actor" h ON h.id = s."affiliationId"
     WHERE q."articleId" = ANY($1) ORDER BY q."startOffset" IS NULL, q."startOffset", q.id`,
    [ids],
  );

async function q1() {
  const articles = await latestArticles();
  const ids = articles.map((a) => a.id);
  const [quotes, positions] = await Promise.all([
    articleQuotes(ids),
    rows<PositionRow>(
      'article_positions',
      `SELECT p."articleId" AS "parentId", p.stance, t.name AS topic FROM "Position" p JOIN "Topic" t ON t.id = p."topicId"
       WHERE p."articleId" = ANY($1) ORDER BY p.id`,
      [ids],
    ),
  ]);
  return articlePage(articles, quotes, positions);
}

async function q2(name: string) {
  const key = name.toLowerCase();
  const [actor] = await rows<{ id: number }>(
    'actor_by_key',
    `SELECT id FROM "Actor" WHERE "nameKey" = $1 UNION SELECT "actorId" FROM "ActorAlias" WHERE "aliasKey" = $1 LIMIT 1`,
    [key],
  );
  if (!actor) return { actor: null };
  const [quotes, positions] = await Promise.all([
    rows<ActorQuoteRow>(
      'actor_quotes',
      `SELECT q.text, a.title, a."publishedAt" FROM "Quote" q JOIN "Article" a ON a.id = q."articleId"
       WHERE q."speakerId" = $1 ORDER BY q.id LIMIT 50`,
      [actor.id],
    ),
    rows<ActorPositionRow>(
      'actor_positions',
      `SELECT p.stance, t.name FROM "Position" p JOIN "Topic" t ON t.id = p."topicId" WHERE p."actorId" = $1 ORDER BY p.id LIMIT ${DEFAULT_PAGE_SIZE}`,
      [actor.id],
    ),
  ]);
  return actorProfile(quotes, positions);
}

async function q3(slug: string, stance: string) {
  const [topic] = await rows<{ id: number }>('topic_by_slug', `SELECT id FROM "Topic" WHERE slug = $1`, [slug]);
  if (!topic) return { topic: null };
  const board = await rows<BoardRow>(
    'topic_board',
    `SELECT a.name, a.kind, p.stance, p.summary, ar.title FROM "Position" p
     JOIN "Actor" a ON a.id = p."actorId" JOIN "Article" ar ON ar.id = p."articleId"
     WHERE p."topicId" = $1 AND p.stance = $2::"Stance" ORDER BY p.id LIMIT ${DEFAULT_PAGE_SIZE}`,
    [topic.id, stance],
  );
  return topicBoard(board);
}

async function q4() {
  const articles = await latestArticles();
  const ids = articles.map((a) => a.id);
  const [actors, quotes] = await Promise.all([
    rows<MentionRow>(
      'article_actors',
      `SELECT m."articleId" AS "parentId", a.name, h.name AS home FROM "Mention" m JOIN "Actor" a ON a.id = m."actorId"
       LEFT JOIN "Actor" h ON h.id = a."affiliationId" WHERE m."articleId" = ANY($1) ORDER BY a.name`,
      [ids],
    ),
    articleQuotes(ids),
  ]);
  return nestedArticles(articles, actors, quotes);
}

// Ties in newsgraph's order: by count, then by speaker id with unattributed quotes last; the month's
// articles drive, each checked for the topic, as newsgraph's statement has it (see baseline-server.ts).
async function q5(topic: string, after: string, before: string) {
  const groups = await rows<{ n: string; name: string | null; kind: string | null }>(
    'top_speakers',
    `SELECT g.n, s.name, s.kind FROM (
       SELECT q."speakerId" AS id, count(*) AS n FROM "Quote" q JOIN "Article" a ON a.id = q."articleId"
       WHERE EXISTS (SELECT 1 FROM "ArticleTopic" l WHERE l."articleId" = q."articleId" AND l."topicId" = (SELECT id FROM "Topic" WHERE slug = $1))
         AND a."publishedAt" >= $2 AND a."publishedAt" < $3
       GROUP BY q."speakerId" ORDER BY n DESC, q."speakerId" IS NULL, q."speakerId" LIMIT 10
     ) g LEFT JOIN "Actor" s ON s.id = g.id ORDER BY g.n DESC, g.id IS NULL, g.id`,
    // UTC wall-clock text, as the column holds it (a Date would be sent in the process's time zone).
    [topic, new Date(after).toISOString().slice(0, 23), new Date(before).toISOString().slice(0, 23)],
  );
  return { quoteStats: groups.map((g) => ({ count: Number(g.n), speaker: g.name === null ? null : { name: g.name, kind: g.kind } })) };
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
