import { badUserInput } from '../errors.js';
import { parseGlobalId } from '../ids.js';
import { INPUT_LIMITS, type InputLimit } from '../input-limits.js';
import { actorIdOf } from './actors.js';
import { firstRow, type ReadScope, type Where } from './sql.js';
import { topicIdOf } from './topics.js';

/**
 * What the filters of lists and of grouped counts share: the conditions on an evidencing article,
 * the checks of their texts' lengths, and the one lookup of the actors, topics and articles they name, which refuses
 * a name that names nothing (a typo would otherwise look like an empty answer).
 */

function checkLength(field: string, text: string, limit: InputLimit): void {
  if (text.length > INPUT_LIMITS[limit])
    throw badUserInput(field, `is ${text.length} characters long; the limit is ${INPUT_LIMITS[limit]}`);
}

/** Checks the lengths of a filter's texts before any statement, so a refusal never quotes a megabyte back. */
export function checkLengths(checks: readonly (readonly [field: string, text: string | null | undefined, limit: InputLimit])[]): void {
  for (const [field, text, limit] of checks) if (text != null) checkLength(field, text, limit);
}

/** Whether the row a global id points to still exists (a name found it, so it does). */
async function exists(scope: ReadScope, table: 'Actor' | 'Topic' | 'Article', id: number): Promise<boolean> {
  return (await firstRow(scope, `SELECT id FROM "${table}" WHERE id = ?`, [id])) !== undefined;
}

/** The id of the stored actor a filter names; a name that names no one is refused, not silently matched by nothing. */
export async function storedActorId(scope: ReadScope, reference: string, field: string): Promise<number> {
  checkLength(field, reference, 'nameLength');
  const id = await actorIdOf(scope, reference);
  const byId = parseGlobalId(reference)?.type === 'Actor';
  if (id !== null && (!byId || (await exists(scope, 'Actor', id)))) return id;
  throw badUserInput(field, `"${reference}" names no stored actor (give a global id, canonical name or alias)`);
}

export async function storedTopicId(scope: ReadScope, reference: string, field: string): Promise<number> {
  checkLength(field, reference, 'topicLength');
  const id = await topicIdOf(scope, reference);
  const byId = parseGlobalId(reference)?.type === 'Topic';
  if (id !== null && (!byId || (await exists(scope, 'Topic', id)))) return id;
  throw badUserInput(field, `"${reference}" names no stored topic (give a global id, slug or name)`);
}

/** The id of the article a client names by global id or slug; null for none. */
async function articleIdOf(scope: ReadScope, reference: string): Promise<number | null> {
  const globalId = parseGlobalId(reference);
  if (globalId?.type === 'Article') return globalId.id;
  const row = await firstRow(scope, 'SELECT id FROM "Article" WHERE slug = ?', [reference.trim()]);
  return row ? Number(row[0]) : null;
}

export async function storedArticleId(scope: ReadScope, reference: string, field: string): Promise<number> {
  checkLength(field, reference, 'slugLength');
  const id = await articleIdOf(scope, reference);
  const byId = parseGlobalId(reference)?.type === 'Article';
  if (id !== null && (!byId || (await exists(scope, 'Article', id)))) return id;
  throw badUserInput(field, `"${reference}" names no stored article (give a global id or slug)`);
}

/** The conditions a filter may put on the article that holds a quote or evidences a position. */
export interface ArticleConditions {
  source?: string | null;
  publishedAfter?: Date | null;
  publishedBefore?: Date | null;
}

/** Conditions on the article `a`, shared by quotes and positions, in lists and counts alike. */
export function addArticleConditions(scope: ReadScope, where: Where, filter: ArticleConditions | null | undefined): void {
  const before = where.conditions.length;
  if (filter?.source != null) where.add(scope.dialect.equalsIgnoringCase('a.source'), filter.source);
  if (filter?.publishedAfter != null) where.add('a."publishedAt" >= ?', scope.dialect.date(filter.publishedAfter));
  if (filter?.publishedBefore != null) where.add('a."publishedAt" < ?', scope.dialect.date(filter.publishedBefore));
  if (where.conditions.length > before) where.readsArticle = true;
}
