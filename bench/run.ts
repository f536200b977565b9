// `npm run bench`: ingestion and read benchmarks, each against a baseline measured in the same run.
// See the README's Performance section for what is measured and how to read it.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../src/db.js';
import { createLogger } from '../src/logger.js';
import { applyMigrations } from '../src/migrate.js';
import { type Cluster, startCluster } from '../src/postgres/cluster.js';
import { storedDate } from '../src/read/sqlite.js';
import { startHttpServer } from '../src/server.js';
import { nameKey, slugify } from '../src/text/names.js';
import { locateQuote } from '../src/services/quote-offsets.js';
import { corpus } from './corpus.js';
import { measureExtraction } from './extraction.js';
import { timeImport, writeCorpusJsonl } from './import.js';
import { loadCorpus } from './load-corpus.js';
import { QUERIES, type QueryId } from './queries.js';

// `--postgres` takes a server's URL, or nothing for a throwaway cluster; parseArgs wants a value,
// so a bare one is given an empty one.
const argv = process.argv.slice(2).map((arg, i, all) => (arg === '--postgres' && !/^[^-]/.test(all[i + 1] ?? '') ? '--postgres=' : arg));
const { values } = parseArgs({
  args: argv,
  options: {
    large: { type: 'boolean', default: false },
    scales: { type: 'string' },
    postgres: { type: 'string' },
    duration: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    ingest: { type: 'string', default: '10000' },
    'extraction-only': { type: 'boolean', default: false },
    'import-only': { type: 'boolean', default: false },
    'reads-only': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: npm run bench [-- --large] [--postgres [URL]] [--scales N,N] [--duration SECONDS] [--rounds N]
                     [--ingest N] [--reads-only | --extraction-only | --import-only]

1. Ingestion: loads N (default 10,000) synthetic articles through newsgraph's write path, and the
   same rows through hand-written better-sqlite3 statements in one transaction (the baseline).
2. Reads at 1,000 and 10,000 articles (--scales; and 100,000 with --large): queries Q1-Q5 under load
   (10 connections) against the real server and against a minimal node:http + better-sqlite3
   baseline that returns the same JSON, in N rounds (default 3) of SECONDS each (default 3)
   alternating between the two, reporting medians; latency of requests sent one at a time;
   SQL statements per request (those that read: the BEGIN and COMMIT of a request's snapshot are not
   counted); peak RSS of the server. --scales replaces the article counts (e.g. --scales 1000).
   With --postgres, the same again on PostgreSQL, beside SQLite: newsgraph on a database of its own
   per scale against a node:http + pg baseline returning the same JSON. URL is a PostgreSQL server
   (postgresql://user:pass@host:5432/postgres) on which the run creates, and then drops, a database
   per scale (newsgraph_bench_<scale>_<pid>); with no URL it starts a throwaway cluster and removes
   it after. --reads-only skips 1, 3 and 4.
3. Extraction: milliseconds to extract a 5,000-word article (target: under 200 ms on one core),
   against one pass that only splits the same text into words. --extraction-only runs just this.
4. Import: \`npm run import\`'s work on N synthetic annotated articles as a JSONL file (target: 10,000
   in under 30 s), and on 1,000 bare ones with --extract (articles/s; two batches, so a step that
   grows with the batch, or a refused line that costs its batch, shows). --import-only runs just this.
Prints a table and writes bench/results.json, unless the run is partial (--scales or one of the
--...-only options), which leaves the record of the last full run as it was.`);
  process.exit(0);
}

type Store = 'sqlite' | 'postgresql';
/** Where a figure was measured: on how many articles, and on which database. */
interface At {
  scale: number;
  database: Store;
}
const onSqlite = (scale: number): At => ({ scale, database: 'sqlite' });

interface Measurement {
  name: string;
  database: Store;
  scale: number;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
}
const results: Measurement[] = [];
function record(
  name: string,
  { scale, database }: At,
  value: number,
  unit: string,
  baseline: number | null = null,
  higherIsBetter = true,
  measuredRatio?: number,
): void {
  const ratio = measuredRatio ?? (baseline === null || baseline === 0 ? null : higherIsBetter ? value / baseline : baseline / value);
  results.push({
    name,
    database,
    scale,
    value: round(value),
    unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: ratio === null ? null : round(ratio, 3),
  });
  const base = baseline === null ? '' : `   baseline ${round(baseline)} ${unit}   ratio ${ratio === null ? 'n/a' : ratio.toFixed(3)}`;
  console.log(
    `${name.padEnd(42)} ${database.padEnd(10)} ${String(scale).padStart(7)}   ${String(round(value)).padStart(10)} ${unit}${base}`,
  );
}
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

const readsOnly = values['reads-only'];
const partial = readsOnly || values['extraction-only'] || values['import-only'] || values.scales !== undefined;
const scales = values.scales?.split(',').map(Number) ?? [1_000, 10_000, ...(values.large ? [100_000] : [])];
if (scales.length === 0 || scales.some((n) => !Number.isInteger(n) || n < 1))
  throw new Error(`--scales must list positive whole numbers of articles, as in --scales 1000,10000; got ${values.scales}`);

if (!readsOnly) {
  console.log('== Extraction ==');
  const extraction = measureExtraction();
  record('extraction median, 5,000 words', onSqlite(extraction.words), extraction.medianMs, 'ms', extraction.baselineMs, false);
  record('extraction p95, 5,000 words', onSqlite(extraction.words), extraction.p95Ms, 'ms');
  console.log(`(${extraction.quotes} quotes and statements found; target: under 200 ms)`);
  if (values['extraction-only']) process.exit(0);
}

const work = mkdtempSync(path.join(tmpdir(), 'newsgraph-bench-'));
const template = path.join(work, 'template.db');
await applyMigrations(`file:${template}`);
const fresh = (name: string) => {
  const file = path.join(work, `${name}.db`);
  copyFileSync(template, file);
  return file;
};

// --- 1. Ingestion -------------------------------------------------------------------------------

/** The baseline loader: what a careful hand-written importer does, in one transaction. */
function loadBaseline(file: string, count: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const started = performance.now();
  const now = storedDate(new Date());
  const insertActor = db.prepare('INSERT INTO Actor (name, nameKey, kind, description, createdAt, updatedAt) VALUES (?, ?, ?, NULL, ?, ?)');
  const setAffiliation = db.prepare('UPDATE Actor SET affiliationId = ? WHERE id = ?');
  const insertAlias = db.prepare('INSERT INTO ActorAlias (actorId, alias, aliasKey) VALUES (?, ?, ?)');
  const insertTopic = db.prepare('INSERT INTO Topic (name, slug) VALUES (?, ?)');
  const insertArticle = db.prepare(
    'INSERT INTO Article (slug, title, body, source, url, publishedAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertMention = db.prepare('INSERT INTO Mention (articleId, actorId) VALUES (?, ?)');
  const insertArticleTopic = db.prepare('INSERT INTO ArticleTopic (articleId, topicId) VALUES (?, ?)');
  const insertQuote = db.prepare(
    'INSERT INTO Quote (articleId, speakerId, text, kind, channel, startOffset, endOffset) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertPosition = db.prepare(
    'INSERT INTO Position (actorId, topicId, articleId, quoteId, stance, summary) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const actorIds = new Map<string, number>();
  const affiliated = new Set<number>();
  const topicIds = new Map<string, number>();
  db.transaction(() => {
    for (const input of corpus(count)) {
      for (const actor of input.actors ?? []) {
        if (actorIds.has(nameKey(actor.name))) continue;
        const id = Number(insertActor.run(actor.name, nameKey(actor.name), actor.kind, now, now).lastInsertRowid);
        actorIds.set(nameKey(actor.name), id);
        for (const alias of actor.aliases ?? []) {
          insertAlias.run(id, alias, nameKey(alias));
          actorIds.set(nameKey(alias), id);
        }
      }
      for (const actor of input.actors ?? []) {
        const id = actorIds.get(nameKey(actor.name)) ?? 0;
        if (actor.affiliation && !affiliated.has(id)) {
          setAffiliation.run(actorIds.get(nameKey(actor.affiliation)), id);
          affiliated.add(id);
        }
      }
      for (const topic of input.topics ?? []) {
        if (!topicIds.has(slugify(topic))) topicIds.set(slugify(topic), Number(insertTopic.run(topic, slugify(topic)).lastInsertRowid));
      }
      const articleId = Number(
        insertArticle.run(
          input.slug,
          input.title,
          input.body,
          input.source,
          input.url,
          input.publishedAt ? storedDate(input.publishedAt) : null,
          now,
          now,
        ).lastInsertRowid,
      );
      const mentioned = new Set((input.actors ?? []).map((a) => actorIds.get(nameKey(a.name)) ?? 0));
      for (const actorId of mentioned) insertMention.run(articleId, actorId);
      for (const topic of input.topics ?? []) insertArticleTopic.run(articleId, topicIds.get(slugify(topic)));
      const claimed = new Set<number>();
      const quoteIds = new Map<string, number>();
      for (const quote of input.quotes ?? []) {
        const span = locateQuote(input.body, quote.text, quote.kind, claimed);
        const speaker = quote.speaker ? (actorIds.get(nameKey(quote.speaker)) ?? null) : null;
        const id = insertQuote.run(
          articleId,
          speaker,
          quote.text,
          quote.kind,
          quote.channel ?? null,
          span?.startOffset ?? null,
          span?.endOffset ?? null,
        );
        quoteIds.set(quote.text, Number(id.lastInsertRowid));
      }
      for (const position of input.positions ?? []) {
        insertPosition.run(
          actorIds.get(nameKey(position.actor)),
          topicIds.get(slugify(position.topic)),
          articleId,
          position.quote ? (quoteIds.get(position.quote) ?? null) : null,
          position.stance,
          position.summary,
        );
      }
    }
  })();
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return seconds;
}

const ingestCount = Number(values.ingest);
console.log(
  `\nnewsgraph benchmark: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
);
if (!values['import-only'] && !readsOnly) {
  console.log('== Ingestion ==');
  const ours = await loadCorpus(`file:${fresh('ingest')}`, ingestCount);
  const theirs = loadBaseline(fresh('ingest-baseline'), ingestCount);
  record('ingest seconds', onSqlite(ingestCount), ours, 's', theirs, false);
  record('ingest articles/s', onSqlite(ingestCount), ingestCount / ours, 'articles/s', ingestCount / theirs);
}

// --- 1b. Import from JSONL ------------------------------------------------------------------------------

if (!readsOnly) {
  console.log('== Import (npm run import) ==');
  const annotated = path.join(work, 'annotated.jsonl');
  writeCorpusJsonl(annotated, ingestCount);
  const { seconds, stored } = await timeImport(`file:${fresh('import')}`, annotated, false);
  record('import annotated JSONL seconds', onSqlite(stored), seconds, 's');
  record('import annotated JSONL articles/s', onSqlite(stored), stored / seconds, 'articles/s');
  console.log(`(target: 10,000 annotated articles in under 30 s)`);
  const bare = path.join(work, 'bare.jsonl');
  writeCorpusJsonl(bare, 1_000, true);
  const extracted = await timeImport(`file:${fresh('import-extract')}`, bare, true);
  record('import --extract articles/s', onSqlite(extracted.stored), extracted.stored / extracted.seconds, 'articles/s');
}
if (values['import-only']) {
  // A partial run leaves bench/results.json, the record of the last full run, as it was.
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

// --- 2. Reads -------------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function spawnAndWait(args: string[], env: Record<string, string>, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let attempt = 0; attempt < 300; attempt += 1) {
    try {
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }","id":"Q1","variables":{}}',
      });
      return child;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${args.join(' ')} did not start`);
}

function peakRss(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * Picks arguments whose result sizes are as alike at every scale as the corpus allows (an actor with
 * about 10 positions and 20 quotes, a board of about 25 positions, of which Q3 answers the first page
 * of 20), so latency reflects access paths rather than result size. At 100,000 articles every actor
 * is quoted more, so the harness also reports the size of each answer (answerSize) beside its figures.
 */
function queryArguments(file: string): Record<QueryId, Record<string, string>> {
  const db = new Database(file, { readonly: true });
  const actor = db
    .prepare(
      `SELECT a.name FROM Actor a JOIN (SELECT actorId, count(*) AS n FROM Position GROUP BY actorId) p ON p.actorId = a.id
       JOIN (SELECT speakerId, count(*) AS n FROM Quote GROUP BY speakerId) q ON q.speakerId = a.id
       ORDER BY abs(p.n - 10) + abs(min(q.n, 50) - 20), a.id LIMIT 1`,
    )
    .pluck()
    .get() as string;
  const board = db
    .prepare(
      'SELECT t.slug, p.stance FROM Position p JOIN Topic t ON t.id = p.topicId GROUP BY p.topicId, p.stance ORDER BY abs(count(*) - 25), t.id, p.stance LIMIT 1',
    )
    .get() as { slug: string; stance: string };
  // The corpus's first month, the same articles at every scale, so Q5 counts the same quotes however
  // many articles follow: its time reflects how the statement reaches them, not how many there are.
  const month = { after: '2020-01-01T00:00:00.000Z', before: '2020-02-01T00:00:00.000Z' };
  const topic = db
    .prepare(
      `SELECT t.slug FROM ArticleTopic l JOIN Topic t ON t.id = l.topicId JOIN Article a ON a.id = l.articleId
       WHERE a.publishedAt >= ? AND a.publishedAt < ? GROUP BY l.topicId ORDER BY count(*) DESC, l.topicId LIMIT 1`,
    )
    .pluck()
    .get(storedDate(new Date(month.after)), storedDate(new Date(month.before))) as string;
  db.close();
  return { Q1: {}, Q2: { name: actor }, Q3: { slug: board.slug, stance: board.stance }, Q4: {}, Q5: { topic, ...month } };
}

/** How many rows one answer lists: Q2's quotes and positions, Q3's positions, Q5's groups, Q1 and Q4's articles. */
function answerSize(id: QueryId, json: string): number {
  const data = (JSON.parse(json) as { data: Record<string, unknown> }).data;
  if (id === 'Q5') return (data.quoteStats as unknown[]).length;
  if (id === 'Q2') {
    const actor = data.actor as { quotes: { nodes: unknown[] }; positions: { nodes: unknown[] } };
    return actor.quotes.nodes.length + actor.positions.nodes.length;
  }
  if (id === 'Q3') return (data.topic as { positions: { nodes: unknown[] } }).positions.nodes.length;
  return (data.articles as { nodes: unknown[] }).nodes.length;
}

async function statementsPerRequest(databaseUrl: string, id: QueryId, variables: Record<string, string>): Promise<number> {
  let statements = 0;
  const storage = await openDatabase(databaseUrl, { onStatement: () => (statements += 1) });
  const running = await startHttpServer({ storage, logger: createLogger('silent'), port: 0, host: '127.0.0.1' });
  const body = JSON.stringify({ query: QUERIES[id].query, variables });
  const post = () => fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await (await post()).text();
  statements = 0;
  await (await post()).text();
  const counted = statements;
  await running.close();
  await storage.close();
  return counted;
}

async function load(url: string, body: string, seconds: number) {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: 10,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Load on both servers in alternating rounds: this machine's speed drifts by tens of percent over
 * a minute, and alternating exposes both to the same drift. Medians over the rounds.
 */
async function loadBoth(ours: [string, string], theirs: [string, string], seconds: number, rounds: number) {
  const mine: Awaited<ReturnType<typeof load>>[] = [];
  const base: Awaited<ReturnType<typeof load>>[] = [];
  for (let round = 0; round < rounds; round += 1) {
    mine.push(await load(...ours, seconds));
    base.push(await load(...theirs, seconds));
  }
  const summary = (runs: typeof mine) => ({
    rps: median(runs.map((run) => run.rps)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  });
  return { ours: summary(mine), baseline: summary(base), ratio: median(mine.map((run, i) => run.rps / (base[i]?.rps ?? Infinity))) };
}

/**
 * Median latency of requests sent one at a time, in fractions of a millisecond (autocannon counts
 * whole milliseconds, too coarse to compare 1k with 10k articles): the time a server takes to
 * answer, without queueing behind other requests. The targets take turns, one request each, so a
 * slow spell of this machine falls on all of them alike rather than on whichever ran then.
 */
async function latenciesInTurn(targets: { url: string; body: string }[], requests = 300): Promise<number[]> {
  const times = targets.map((): number[] => []);
  for (let i = 0; i < requests; i += 1) {
    for (const [t, { url, body }] of targets.entries()) {
      const started = performance.now();
      await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).arrayBuffer();
      times[t]?.push(performance.now() - started);
    }
  }
  return times.map(median);
}

const duration = Number(values.duration);
const rounds = Number(values.rounds);

/**
 * PostgreSQL for the reads, when asked for: the server named by --postgres (whose database is only
 * used to create and drop the benchmark's own), or a throwaway cluster.
 */
let cluster: Cluster | null = null;
let postgresServer: string | null = null;
if (values.postgres !== undefined) {
  postgresServer = values.postgres === '' ? (cluster = await startCluster()).url() : values.postgres;
}
const postgresDatabases: string[] = [];

async function onPostgres(sql: string): Promise<void> {
  const admin = new pg.Client(postgresServer ?? '');
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A new database on the PostgreSQL server for one scale's corpus; its URL. */
async function postgresDatabase(scale: number): Promise<string> {
  const name = `newsgraph_bench_${scale}_${process.pid}`;
  await onPostgres(`CREATE DATABASE "${name}"`);
  postgresDatabases.push(name);
  const url = new URL(postgresServer ?? '');
  url.pathname = `/${name}`;
  return url.toString();
}

/** A database's two servers, newsgraph and the baseline, for one scale: every scale's stay up until the end. */
interface Target extends At {
  ourUrl: string;
  baseUrl: string;
  args: Record<QueryId, Record<string, string>>;
}
const readTargets: Target[] = [];
/** Statements per request by query, database and scale, for the target that they do not grow. */
const statementCounts = new Map<string, number>();
const processes: ChildProcess[] = [];

const BASELINES: Record<Store, { entry: string; env: (databaseUrl: string) => Record<string, string> }> = {
  sqlite: { entry: 'bench/baseline-server.ts', env: (url) => ({ DATABASE_FILE: url.replace(/^file:/, '') }) },
  postgresql: { entry: 'bench/baseline-postgres-server.ts', env: (url) => ({ DATABASE_URL: url }) },
};

const LABELS: Record<Store, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL' };

/**
 * Starts newsgraph and the baseline on a database holding a scale's corpus, checks that they answer
 * alike, and measures each query under load.
 */
async function measureReads(at: At, databaseUrl: string, args: Record<QueryId, Record<string, string>>): Promise<void> {
  const label = LABELS[at.database];

  const ourPort = await freePort();
  const ourUrl = `http://127.0.0.1:${ourPort}/graphql`;
  const server = await spawnAndWait(
    ['--import', 'tsx', 'src/index.ts'],
    // As deployed (NODE_ENV=production also turns off graphql-js's development-only checks), but with
    // the response cache off: the targets are for uncached reads.
    { DATABASE_URL: databaseUrl, PORT: String(ourPort), LOG_LEVEL: 'warn', NODE_ENV: 'production', RESPONSE_CACHE_ENTRIES: '0' },
    ourUrl,
  );
  processes.push(server);
  const basePort = await freePort();
  const baseUrl = `http://127.0.0.1:${basePort}/`;
  const { entry, env } = BASELINES[at.database];
  const baseline = await spawnAndWait(['--import', 'tsx', entry], { ...env(databaseUrl), PORT: String(basePort) }, baseUrl);
  processes.push(baseline);
  readTargets.push({ ...at, ourUrl, baseUrl, args });
  for (const id of Object.keys(QUERIES) as QueryId[]) {
    const variables = args[id];
    const ourBody = JSON.stringify({ query: QUERIES[id].query, variables });
    const baseBody = JSON.stringify({ id, variables });
    const ourJson = await (await fetch(ourUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ourBody })).text();
    const baseJson = await (await fetch(baseUrl, { method: 'POST', body: baseBody })).text();
    if (ourJson !== baseJson) {
      let i = 0;
      while (ourJson[i] === baseJson[i]) i += 1;
      throw new Error(
        `${id} at ${at.scale} on ${label}: the baseline answers differently from character ${i}:\nnewsgraph: …${ourJson.slice(i - 200, i + 200)}\nbaseline:  …${baseJson.slice(i - 200, i + 200)}`,
      );
    }

    const statements = await statementsPerRequest(databaseUrl, id, variables);
    record(`${id} rows in the answer`, at, answerSize(id, ourJson), 'rows');
    // A short warm-up first, so both servers are measured with their code paths compiled.
    await load(ourUrl, ourBody, 1);
    await load(baseUrl, baseBody, 1);
    const { ours: ourLoad, baseline: baseLoad, ratio } = await loadBoth([ourUrl, ourBody], [baseUrl, baseBody], duration, rounds);
    if (ourLoad.errors > 0 || baseLoad.errors > 0)
      throw new Error(`${id} at ${at.scale} on ${label}: ${ourLoad.errors} / ${baseLoad.errors} failed requests`);
    record(`${id} requests/s`, at, ourLoad.rps, 'req/s', baseLoad.rps, true, ratio);
    record(`${id} p50 latency`, at, ourLoad.p50, 'ms', baseLoad.p50, false);
    record(`${id} p99 latency`, at, ourLoad.p99, 'ms', baseLoad.p99, false);
    record(`${id} SQL statements/request`, at, statements, 'statements');
    statementCounts.set(`${id}:${at.database}:${at.scale}`, statements);
  }
  record('server peak RSS', at, peakRss(server), 'MiB', peakRss(baseline), false);
}

try {
  for (const scale of scales) {
    console.log(`\n== Reads at ${scale} articles on SQLite ==`);
    const file = fresh(`read-${scale}`);
    record('corpus load seconds', onSqlite(scale), await loadCorpus(`file:${file}`, scale), 's');
    // The corpus is the same for a scale on either database, and so are the arguments.
    const args = queryArguments(file);
    await measureReads(onSqlite(scale), `file:${file}`, args);
    if (postgresServer !== null) {
      console.log(`\n== Reads at ${scale} articles on PostgreSQL ==`);
      const at: At = { scale, database: 'postgresql' };
      const databaseUrl = await postgresDatabase(scale);
      record('corpus load seconds', at, await loadCorpus(databaseUrl, scale), 's');
      await measureReads(at, databaseUrl, args);
    }
  }
  console.log('\n== Latency one at a time, every scale and database in turn ==');
  const p50s = new Map<string, number>();
  for (const id of Object.keys(QUERIES) as QueryId[]) {
    const requests = readTargets.flatMap(({ ourUrl, baseUrl, args }) => [
      { url: ourUrl, body: JSON.stringify({ query: QUERIES[id].query, variables: args[id] }) },
      { url: baseUrl, body: JSON.stringify({ id, variables: args[id] }) },
    ]);
    const latencies = await latenciesInTurn(requests);
    readTargets.forEach((at, i) => {
      const ours = latencies[2 * i] ?? 0;
      record(`${id} p50 latency, one at a time`, at, ours, 'ms', latencies[2 * i + 1] ?? null, false);
      p50s.set(`${id}:${at.database}:${at.scale}`, ours);
    });
  }

  console.log('\n== Targets ==');
  for (const database of Object.keys(LABELS) as Store[]) {
    for (const id of Object.keys(QUERIES) as QueryId[]) {
      const small = p50s.get(`${id}:${database}:1000`);
      const large = p50s.get(`${id}:${database}:10000`);
      if (small !== undefined && large !== undefined)
        record(`${id} p50 growth 1k -> 10k (one at a time)`, { scale: 10_000, database }, (large / Math.max(small, 0.01) - 1) * 100, '%');
      // Statements per request are set by the query's shape: the same at every scale (target 0).
      const counts = scales.flatMap((scale) => statementCounts.get(`${id}:${database}:${scale}`) ?? []);
      if (counts.length > 1)
        record(
          `${id} statements/request, most minus fewest`,
          { scale: Math.max(...scales), database },
          Math.max(...counts) - Math.min(...counts),
          'statements',
        );
    }
  }
} finally {
  const exited = processes.map(
    (child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null))),
  );
  for (const child of processes) child.kill('SIGTERM');
  await Promise.all(exited);
  for (const name of postgresDatabases) await onPostgres(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await cluster?.stop();
}

rmSync(work, { recursive: true, force: true });
if (partial) console.log('\na partial run: bench/results.json is left as it was');
else {
  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nwrote bench/results.json');
}
