import { badUserInput, notFound } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { parseGlobalId, rowIdOf, type NodeType } from '../ids.js';
import { nameKey, slugify } from '../text/names.js';
import { namedBy } from './actors.js';
import { requiredText } from './text.js';

type Tx = Prisma.TransactionClient;

async function exists(tx: Tx, type: NodeType, id: number): Promise<boolean> {
  const where = { where: { id }, select: { id: true } };
  switch (type) {
    case 'Article':
      return (await tx.article.findUnique(where)) !== null;
    case 'Actor':
      return (await tx.actor.findUnique(where)) !== null;
    case 'Quote':
      return (await tx.quote.findUnique(where)) !== null;
    case 'Topic':
      return (await tx.topic.findUnique(where)) !== null;
    case 'Position':
      return (await tx.position.findUnique(where)) !== null;
  }
}

/** The row id behind a global id that must name an existing object of `type`. */
export async function existingId(tx: Tx, type: NodeType, globalId: string, field: string): Promise<number> {
  const id = rowIdOf(type, globalId, field);
  if (!(await exists(tx, type, id))) throw notFound(`${field} "${globalId}" names no ${type}; it may have been deleted`);
  return id;
}

/** A stored actor named by global id, canonical name or alias. */
export async function storedActorId(tx: Tx, reference: string, field: string): Promise<number> {
  const text = requiredText(field, reference, 'nameLength');
  const globalId = parseGlobalId(text);
  if (globalId) return existingId(tx, 'Actor', text, field);
  const actor = await tx.actor.findFirst({ where: namedBy([nameKey(text)]), select: { id: true } });
  if (!actor) throw badUserInput(field, `"${text}" is not a known actor; add it with upsertActor first`);
  return actor.id;
}

/** A topic named by global id, slug or name; a new name creates it. */
export async function topicIdFor(tx: Tx, reference: string, field: string): Promise<number> {
  const text = requiredText(field, reference, 'topicLength');
  if (parseGlobalId(text)) return existingId(tx, 'Topic', text, field);
  const slug = slugify(text);
  if (slug === '') throw badUserInput(field, `"${text}" needs at least one letter or digit`);
  const topic = await tx.topic.upsert({ where: { slug }, update: {}, create: { name: text, slug }, select: { id: true } });
  return topic.id;
}

/** One of an article's quotes, named by its global id or its text. */
export async function articleQuoteId(tx: Tx, articleId: number, reference: string, field: string): Promise<number> {
  const text = requiredText(field, reference, 'quoteLength');
  const globalId = parseGlobalId(text);
  const quotes = await tx.quote.findMany({ where: { articleId }, select: { id: true, text: true } });
  const match =
    globalId?.type === 'Quote' ? quotes.find((q) => q.id === globalId.id) : quotes.find((q) => nameKey(q.text) === nameKey(text));
  if (!match) throw badUserInput(field, `"${text}" is not one of the article's quotes`);
  return match.id;
}

/** Records that an article mentions an actor, once. */
export async function ensureMention(tx: Tx, articleId: number, actorId: number): Promise<void> {
  await tx.mention.upsert({ where: { articleId_actorId: { articleId, actorId } }, update: {}, create: { articleId, actorId } });
}

/** Records that an article is about a topic, once. */
export async function ensureArticleTopic(tx: Tx, articleId: number, topicId: number): Promise<void> {
  await tx.articleTopic.upsert({ where: { articleId_topicId: { articleId, topicId } }, update: {}, create: { articleId, topicId } });
}
