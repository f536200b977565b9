import { parseGlobalId } from '../ids.js';
import { slugify } from '../text/names.js';
import type { TopicRow } from './rows.js';
import { type Connection, type PageArgs, pageRequest, toConnection } from './pagination.js';
import { afterNameAndId, allByIds, columns, countOf, firstRow, groupBy, type ReadScope, type Row } from './sql.js';

/** Everything the API reads of topics: rows by id and slug, and the topics of articles. */

export const TOPIC = columns('t', ['id', 'name', 'slug']);

export function toTopic(row: Row, at = 0): TopicRow {
  const c = TOPIC.at;
  return { id: Number(row[at + c.id]), name: String(row[at + c.name]), slug: String(row[at + c.slug]) };
}

export async function topicsByIds(scope: ReadScope, ids: readonly number[]): Promise<TopicRow[]> {
  const rows = await allByIds(scope, `SELECT ${TOPIC.list} FROM "Topic" t WHERE ${scope.dialect.inIds('t.id')}`, ids);
  return rows.map((row) => toTopic(row));
}

/** The topic with this slug; a name is turned into its slug, as the filters that take a topic do. */
export async function topicBySlug(scope: ReadScope, slugOrName: string): Promise<TopicRow | null> {
  const row = await firstRow(scope, `SELECT ${TOPIC.list} FROM "Topic" t WHERE t.slug = ?`, [slugify(slugOrName)]);
  return row ? toTopic(row) : null;
}

/** The id of the topic a client names by global id, slug or name; null for none. */
export async function topicIdOf(scope: ReadScope, reference: string): Promise<number | null> {
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Topic') return globalId.id;
  const row = await firstRow(scope, 'SELECT id FROM "Topic" WHERE slug = ?', [slugify(reference)]);
  return row ? Number(row[0]) : null;
}

/** The topics of each article, by name. */
export async function topicsByArticleIds(scope: ReadScope, articleIds: readonly number[]): Promise<TopicRow[][]> {
  const rows = await allByIds(
    scope,
    `SELECT l."articleId", ${TOPIC.list} FROM "ArticleTopic" l JOIN "Topic" t ON t.id = l."topicId"
     WHERE ${scope.dialect.inIds('l."articleId"')} ORDER BY t.name, t.id`,
    articleIds,
  );
  return groupBy(rows, (row) => Number(row[0]), articleIds).map((group) => group.map((row) => toTopic(row, 1)));
}

/** Every topic, by name. */
export async function listTopics(scope: ReadScope, args: PageArgs): Promise<Connection<TopicRow>> {
  const page = pageRequest(args, 2);
  const { seek, params } = afterNameAndId('t', page.after);
  const rows = await scope.db.rows(`SELECT ${TOPIC.list} FROM "Topic" t WHERE ${seek} ORDER BY t.name, t.id LIMIT ?`, [
    ...params,
    page.first + 1,
  ]);
  return toConnection(
    rows.map((row) => toTopic(row)),
    page,
    (t) => [t.name, t.id],
    () => countOf(scope, 'SELECT count(*) AS total FROM "Topic"', []),
  );
}
