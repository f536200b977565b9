import type { Db } from '../db.js';
import type { TopicRow } from '../read/rows.js';
import { badUserInput } from '../errors.js';
import { existingId } from './lookups.js';
import { slugify } from '../text/names.js';
import { requiredText } from './text.js';
import { inTransaction } from './transaction.js';

/** Renames a topic; its slug follows the name, so it must not collide with another topic's. */
export async function renameTopic(db: Db, globalId: string, newName: string): Promise<TopicRow> {
  const name = requiredText('name', newName, 'topicLength');
  const slug = slugify(name);
  if (slug === '') throw badUserInput('name', `"${name}" needs at least one letter or digit`);
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Topic', globalId, 'id');
    const other = await tx.topic.findFirst({ where: { slug, id: { not: id } } });
    if (other) throw badUserInput('name', `"${name}" is already the topic "${other.name}"`);
    return tx.topic.update({ where: { id }, data: { name, slug } });
  });
}

/**
 * Stores a topic by name unless one with its slug is stored (`{"topic": ...}`, a line of `npm run
 * import` that export writes for a topic no article is about).
 */
export async function saveTopic(db: Db, topicName: string, field: string): Promise<{ created: boolean }> {
  const name = requiredText(field, topicName, 'topicLength');
  const slug = slugify(name);
  if (slug === '') throw badUserInput(field, `"${name}" needs at least one letter or digit`);
  return inTransaction(db, async (tx) => {
    const rows = await tx.$queryRaw<{ id: number }[]>`
      INSERT INTO "Topic" ("name", "slug") VALUES (${name}, ${slug}) ON CONFLICT ("slug") DO NOTHING RETURNING "id"`;
    return { created: rows.length > 0 };
  });
}

/** Deletes a topic and the positions taken on it; the articles stay. */
export async function deleteTopic(db: Db, globalId: string): Promise<number> {
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Topic', globalId, 'id');
    await tx.topic.delete({ where: { id } });
    return id;
  });
}
