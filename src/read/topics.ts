import { parseGlobalId } from '../ids.js';
import { slugify } from '../text/names.js';
import type { TopicRow } from './rows.js';
import { type Connection, cursorNumber, cursorString, type PageArgs, pageRequest, toConnection } from './pagination.js';
import { allByIds, columns, countOf, groupBy, IDS, prepared, preparedRows, type ReadScope, type Row } from './sqlite.js';

/** Everything the API reads of topics: rows by id and slug, and the topics of articles. */

export const TOPIC = columns('t', ['id', 'name', 'slug']);

export function toTopic(row: Row, at = 0): TopicRow {
  const c = TOPIC.at;
  return { id: Number(row[at + c.id]), name: String(row[at + c.name]), slug: String(row[at + c.slug]) };
}

export function topicsByIds(scope: ReadScope, ids: readonly number[]): TopicRow[] {
  return allByIds(scope.sql, `SELECT ${TOPIC.list} FROM Topic t WHERE t.id IN (${IDS})`, ids).map((row) => toTopic(row));
}

/** The topic with this slug; a name is turned into its slug, as the filters that take a topic do. */
export function topicBySlug(scope: ReadScope, slugOrName: string): TopicRow | null {
  const row = preparedRows(scope.sql, `SELECT ${TOPIC.list} FROM Topic t WHERE t.slug = ?`).get(slugify(slugOrName)) as Row | undefined;
  return row ? toTopic(row) : null;
}

/** The id of the topic a client names by global id, slug or name; null for none. */
export function topicIdOf(scope: ReadScope, reference: string): number | null {
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Topic') return globalId.id;
  const topic = prepared(scope.sql, 'SELECT id FROM Topic WHERE slug = ?').get(slugify(reference)) as { id: number } | undefined;
  return topic ? Number(topic.id) : null;
}

/** The topics of each article, by name. */
export function topicsByArticleIds(scope: ReadScope, articleIds: readonly number[]): TopicRow[][] {
  const rows = allByIds(
    scope.sql,
    `SELECT l.articleId AS linkArticleId, ${TOPIC.list} FROM ArticleTopic l JOIN Topic t ON t.id = l.topicId
     WHERE l.articleId IN (${IDS}) ORDER BY t.name, t.id`,
    articleIds,
  );
  return groupBy(rows, (row) => Number(row[0]), articleIds).map((group) => group.map((row) => toTopic(row, 1)));
}

/** Every topic, by name. */
export function listTopics(scope: ReadScope, args: PageArgs): Connection<TopicRow> {
  const page = pageRequest(args, 2);
  const seek = page.after ? '(t.name > ? OR (t.name = ? AND t.id > ?))' : '1 = 1';
  const params = page.after ? [cursorString(page.after, 0), cursorString(page.after, 0), cursorNumber(page.after, 1)] : [];
  const rows = preparedRows(scope.sql, `SELECT ${TOPIC.list} FROM Topic t WHERE ${seek} ORDER BY t.name, t.id LIMIT ?`).all(
    ...params,
    page.first + 1,
  ) as Row[];
  return toConnection(
    rows.map((row) => toTopic(row)),
    page,
    (t) => [t.name, t.id],
    async () => countOf(scope.sql, 'SELECT count(*) AS total FROM Topic', []),
  );
}
