import type { TopicOrder } from '../generated/graphql.js';
import { parseGlobalId } from '../ids.js';
import { slugify } from '../text/names.js';
import { orderedList } from './filtered-page.js';
import type { Ordering } from './order.js';
import type { Connection, PageArgs } from './pagination.js';
import type { TopicRow } from './rows.js';
import { allByIds, columns, firstRow, groupBy, type ReadScope, type Row, Where } from './sql.js';

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

/** The orders of `Query.topics`. */
export const TOPIC_ORDERS: Record<TopicOrder, Ordering> = {
  NAME_ASC: {
    name: 'NAME_ASC',
    keys: [
      { sql: 't.name', type: 'text' },
      { sql: 't.id', type: 'integer' },
    ],
  },
  NAME_DESC: {
    name: 'NAME_DESC',
    keys: [
      { sql: 't.name', type: 'text', descending: true },
      { sql: 't.id', type: 'integer', descending: true },
    ],
  },
};

/** Every topic, by name. */
export async function listTopics(scope: ReadScope, args: PageArgs, orderBy: TopicOrder): Promise<Connection<TopicRow>> {
  return orderedList(scope, { from: '"Topic" t', columns: TOPIC }, new Where(), TOPIC_ORDERS[orderBy], args, (row) => toTopic(row));
}
