import { createHash } from 'node:crypto';
import type { ArticleRow, Db } from '../db.js';
import { badUserInput } from '../errors.js';
import type { AddArticleInput } from '../generated/graphql.js';
import type { Prisma } from '../generated/prisma/client.js';
import { planActors, writeActors } from './actor-writes.js';
import { type ArticleDraft, draftArticle, type NameRef } from './article-input.js';
import { inTransaction } from './transaction.js';
import { slugify } from './names.js';

type Tx = Prisma.TransactionClient;

export interface SaveArticleOptions {
  /**
   * Replace the article stored under the same slug instead of rejecting the duplicate; its id is
   * kept and its quotes, positions and mentions are written anew. Seeding uses this so that a
   * changed annotation updates its article.
   */
  replaceExisting?: boolean;
}

export interface SaveArticleResult {
  article: ArticleRow;
  /** created, replaced, or unchanged (same input as last time, nothing written). */
  outcome: 'created' | 'replaced' | 'unchanged';
}

/** Identifies an input's content, so that re-seeding an unchanged file writes nothing. */
function digestOf(input: AddArticleInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

/**
 * The one write path for articles, used by the addArticle mutation and by seeding alike. The whole
 * input is checked first (without the database, then against it); only then is anything written,
 * in a single transaction.
 */
export async function saveArticle(db: Db, input: AddArticleInput, options: SaveArticleOptions = {}): Promise<SaveArticleResult> {
  const draft = draftArticle(input);
  const digest = digestOf(input);
  return inTransaction(db, async (tx) => {
    const existing = draft.slug === null ? null : await tx.article.findUnique({ where: { slug: draft.slug } });
    if (existing && !options.replaceExisting) {
      throw badUserInput('input.slug', `"${draft.slug}" is already used by another article`);
    }
    if (existing && existing.inputDigest === digest) return { article: existing, outcome: 'unchanged' };
    if (draft.url !== null) {
      const sameUrl = await tx.article.findUnique({ where: { url: draft.url }, select: { id: true } });
      if (sameUrl && sameUrl.id !== existing?.id) {
        throw badUserInput('input.url', `"${draft.url}" is already used by another article`);
      }
    }
    const plan = await planActors(tx, draft.actors, [
      ...draft.quotes.flatMap((q) => (q.speaker ? [q.speaker] : [])),
      ...draft.positions.map((p) => p.actor),
    ]);
    const topicIds = await resolveTopics(tx, draft);
    const slug = draft.slug ?? (await freeSlug(tx, draft.title));

    const actorIds = await writeActors(tx, draft.actors, plan);
    const articleData = {
      slug,
      title: draft.title,
      body: draft.body,
      source: draft.source,
      url: draft.url,
      publishedAt: draft.publishedAt,
      inputDigest: digest,
    };
    const article = existing ? await replaceArticle(tx, existing.id, articleData) : await tx.article.create({ data: articleData });

    const idOf = (ref: NameRef) => {
      const id = actorIds.get(ref.key) ?? plan.stored.get(ref.key)?.id;
      if (id === undefined) throw new Error(`unresolved actor reference ${ref.field}`);
      return id;
    };
    const mentioned = new Set<number>(draft.actors.map((a) => idOf(a.name)));
    for (const quote of draft.quotes) if (quote.speaker) mentioned.add(idOf(quote.speaker));
    for (const position of draft.positions) mentioned.add(idOf(position.actor));
    await tx.mention.createMany({ data: [...mentioned].map((actorId) => ({ articleId: article.id, actorId })) });

    // Written in order of appearance, so that id order (Actor.quotes, Query.quotes) follows the text.
    const appearance = draft.quotes
      .map((quote, index) => ({ quote, index }))
      .sort((a, b) => (a.quote.startOffset ?? Infinity) - (b.quote.startOffset ?? Infinity) || a.index - b.index);
    const created = await tx.quote.createManyAndReturn({
      data: appearance.map(({ quote: q }) => ({
        articleId: article.id,
        speakerId: q.speaker ? idOf(q.speaker) : null,
        text: q.text,
        kind: q.kind,
        channel: q.channel,
        startOffset: q.startOffset,
        endOffset: q.endOffset,
      })),
      select: { id: true },
    });
    // RETURNING does not promise row order; autoincrement ids do follow insertion order.
    created.sort((a, b) => a.id - b.id);
    const quoteIds: number[] = [];
    appearance.forEach(({ index }, i) => {
      quoteIds[index] = created[i]?.id ?? 0;
    });
    const positionTopicIds = draft.positions.map((p) => topicIds.get(slugify(p.topic.text)));
    const articleTopicIds = new Set<number>([...topicIds.values()]);
    await tx.articleTopic.createMany({ data: [...articleTopicIds].map((topicId) => ({ articleId: article.id, topicId })) });
    await tx.position.createMany({
      data: draft.positions.map((p, i) => ({
        articleId: article.id,
        actorId: idOf(p.actor),
        topicId: positionTopicIds[i] ?? 0,
        stance: p.stance,
        summary: p.summary,
        quoteId: p.quoteIndex === null ? null : (quoteIds[p.quoteIndex] ?? null),
      })),
    });
    return { article, outcome: existing ? 'replaced' : 'created' };
  });
}

/** Adds a new article; a duplicate slug or url is rejected. */
export async function addArticle(db: Db, input: AddArticleInput): Promise<ArticleRow> {
  return (await saveArticle(db, input)).article;
}

async function replaceArticle(tx: Tx, id: number, data: Prisma.ArticleUpdateInput): Promise<ArticleRow> {
  await tx.position.deleteMany({ where: { articleId: id } });
  await tx.quote.deleteMany({ where: { articleId: id } });
  await tx.mention.deleteMany({ where: { articleId: id } });
  await tx.articleTopic.deleteMany({ where: { articleId: id } });
  return tx.article.update({ where: { id }, data });
}

/** A slug derived from the title, with a numeric suffix when articles already share the title. */
async function freeSlug(tx: Tx, title: string): Promise<string> {
  const base = slugify(title) || 'article';
  const taken = await tx.article.findMany({
    where: { OR: [{ slug: base }, { slug: { startsWith: `${base}-` } }] },
    select: { slug: true },
  });
  const used = new Set(taken.map((a) => a.slug));
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/**
 * Topic ids by slug, for the input's topics (created when new) and the topics its positions name,
 * which must be listed in the input or already stored.
 */
async function resolveTopics(tx: Tx, draft: ArticleDraft): Promise<Map<string, number>> {
  const slugs = [...new Set([...draft.topics.map((t) => t.slug), ...draft.positions.map((p) => slugify(p.topic.text))])];
  const stored = await tx.topic.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } });
  const idBySlug = new Map(stored.map((t) => [t.slug, t.id]));
  for (const position of draft.positions) {
    const slug = slugify(position.topic.text);
    if (!idBySlug.has(slug) && !draft.topics.some((t) => t.slug === slug)) {
      throw badUserInput(position.topic.field, `"${position.topic.text}" is not a known topic; list it in input.topics`);
    }
  }
  for (const topic of draft.topics) {
    if (!idBySlug.has(topic.slug)) {
      const created = await tx.topic.create({ data: { name: topic.name, slug: topic.slug }, select: { id: true } });
      idBySlug.set(topic.slug, created.id);
    }
  }
  return idBySlug;
}
