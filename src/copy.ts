// `npm run copy -- --from file:data/newsgraph.db --to postgresql://...`: copies a SQLite database
// into an empty PostgreSQL one (or the other way), row for row with the same ids, then checks that
// every table holds as many rows on both sides and that a sample of articles reads the same.
import { parseArgs } from 'node:util';
import { isPostgresUrl } from './config.js';
import { type Db, openDatabase } from './db.js';
import { applyMigrations } from './migrate.js';
import { exitOnStartupError, StartupError } from './startup-error.js';

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help || !values.from || !values.to) {
  console.log(`Usage: npm run copy -- --from SOURCE_URL --to TARGET_URL

Copies every article, actor, alias, mention, quote, topic and position from SOURCE_URL to TARGET_URL
(file: or postgresql: URLs), keeping their ids; the target is migrated first and must be empty.
Then compares the row counts of every table and a sample of articles, with their quotes, on both.`);
  process.exit(values.help ? 0 : 1);
}

const BATCH = 1_000;
type Table = 'article' | 'actor' | 'actorAlias' | 'mention' | 'quote' | 'topic' | 'articleTopic' | 'position';
/** In an order that satisfies every foreign key (actors' affiliations are set after all actors). */
const TABLES: Table[] = ['article', 'actor', 'actorAlias', 'mention', 'quote', 'topic', 'articleTopic', 'position'];

interface Delegate {
  count(): Promise<number>;
  findMany(args: { skip: number; take: number; orderBy: Record<string, 'asc'>[] }): Promise<Record<string, unknown>[]>;
  createMany(args: { data: Record<string, unknown>[] }): Promise<unknown>;
}
const ORDER: Record<Table, string[]> = {
  article: ['id'],
  actor: ['id'],
  actorAlias: ['id'],
  mention: ['articleId', 'actorId'],
  quote: ['id'],
  topic: ['id'],
  articleTopic: ['articleId', 'topicId'],
  position: ['id'],
};
const delegate = (db: Db, table: Table) => db[table] as unknown as Delegate;

async function copyTable(from: Db, to: Db, table: Table): Promise<number> {
  let copied = 0;
  const orderBy = ORDER[table].map((column) => ({ [column]: 'asc' as const }));
  for (;;) {
    const rows = await delegate(from, table).findMany({ skip: copied, take: BATCH, orderBy });
    if (rows.length === 0) return copied;
    const data = table === 'actor' ? rows.map((row) => ({ ...row, affiliationId: null })) : rows;
    await delegate(to, table).createMany({ data });
    if (table === 'actor') {
      for (const row of rows.filter((r) => r.affiliationId !== null)) {
        await to.actor.update({ where: { id: Number(row.id) }, data: { affiliationId: Number(row.affiliationId) } });
      }
    }
    copied += rows.length;
  }
}

/** After rows were inserted with their ids, the next id each table hands out comes after them. */
async function afterCopy(to: Db, postgres: boolean): Promise<void> {
  if (!postgres) {
    await to.$executeRawUnsafe(
      `UPDATE "ActorSearch" SET aliases = coalesce((SELECT group_concat(alias, ' | ') FROM "ActorAlias" WHERE actorId = "ActorSearch".rowid), '')`,
    );
    return;
  }
  for (const table of ['Article', 'Actor', 'ActorAlias', 'Quote', 'Topic', 'Position']) {
    await to.$executeRawUnsafe(
      `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), coalesce((SELECT max(id) FROM "${table}"), 0) + 1, false)`,
    );
  }
  await to.$executeRawUnsafe(`SELECT newsgraph_refresh_actor(id) FROM "Actor" WHERE id IN (SELECT "actorId" FROM "ActorAlias")`);
}

async function sample(db: Db): Promise<unknown[]> {
  const ids = (await db.article.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((a) => a.id);
  const picked = [ids[0], ids[Math.floor(ids.length / 2)], ids[ids.length - 1]].filter((id): id is number => id !== undefined);
  return db.article.findMany({
    where: { id: { in: picked } },
    orderBy: { id: 'asc' },
    include: { quotes: { orderBy: { id: 'asc' } }, mentions: { orderBy: { actorId: 'asc' } }, positions: { orderBy: { id: 'asc' } } },
  });
}

try {
  await applyMigrations(values.to);
  const [source, target] = await Promise.all([openDatabase(values.from), openDatabase(values.to)]);
  try {
    const existing = await target.writer.article.count();
    if (existing > 0) throw new StartupError(`the target already holds ${existing} articles: copy into an empty database`);
    const counts: Record<string, [number, number]> = {};
    for (const table of TABLES) {
      const copied = await copyTable(source.writer, target.writer, table);
      counts[table] = [copied, await delegate(target.writer, table).count()];
      console.log(`${table.padEnd(13)} ${copied}`);
    }
    await afterCopy(target.writer, isPostgresUrl(values.to));
    const mismatched = Object.entries(counts).filter(([, [a, b]]) => a !== b);
    if (mismatched.length > 0)
      throw new StartupError(`row counts differ after the copy: ${JSON.stringify(Object.fromEntries(mismatched))}`);
    if (JSON.stringify(await sample(source.writer)) !== JSON.stringify(await sample(target.writer))) {
      throw new StartupError('the sampled articles read differently on the two databases after the copy');
    }
    console.log('counts match on every table, and the sampled articles (first, middle, last) read the same on both');
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
} catch (error) {
  exitOnStartupError('npm run copy', error);
}
