import type { Db } from '../db.js';
import type { QuoteRow } from '../read/rows.js';
import { badUserInput } from '../errors.js';
import type { AddQuoteInput, UpdateQuoteInput } from '../generated/graphql.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { QuoteKind } from '../generated/prisma/enums.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { announceStored } from '../live-feed.js';
import { ensureMention, existingId, storedActorId } from './lookups.js';
import { locateQuote, type QuoteSpan } from './quote-offsets.js';
import { optionalText, requiredText } from './text.js';
import { inTransaction } from './transaction.js';

type Tx = Prisma.TransactionClient;

/** Where a quote sits in its article, among the occurrences other quotes have not claimed. */
async function spanFor(tx: Tx, articleId: number, exceptQuoteId: number | null, text: string, kind: QuoteKind): Promise<QuoteSpan | null> {
  const article = await tx.article.findUniqueOrThrow({ where: { id: articleId }, select: { body: true } });
  const others = await tx.quote.findMany({
    where: { articleId, startOffset: { not: null }, ...(exceptQuoteId === null ? {} : { id: { not: exceptQuoteId } }) },
    select: { startOffset: true },
  });
  const claimed = new Set(others.map((q) => q.startOffset ?? -1));
  const span = locateQuote(article.body, text, kind, claimed);
  if (span === null && kind !== 'INDIRECT') {
    throw badUserInput(
      'input.text',
      article.body.includes(text)
        ? `"${text}" is already claimed by another quote of this article at every place it occurs`
        : `"${text}" does not occur in the article body; a ${kind} quote must be quoted verbatim`,
    );
  }
  return span;
}

export async function addQuote(db: Db, input: AddQuoteInput): Promise<QuoteRow> {
  requiredText('input.text', input.text, 'quoteLength');
  const text = input.text.trim();
  const channel = optionalText('input.channel', input.channel, 'channelLength');
  return inTransaction(db, async (tx) => {
    const articleId = await existingId(tx, 'Article', input.article, 'input.article');
    // Each quote added is located among the others, so the count bounds that work too.
    if ((await tx.quote.count({ where: { articleId } })) >= INPUT_LIMITS.quotesPerArticle) {
      throw badUserInput('input.article', `already has ${INPUT_LIMITS.quotesPerArticle} quotes, the limit per article`);
    }
    const speakerId = input.speaker == null ? null : await storedActorId(tx, input.speaker, 'input.speaker');
    const span = await spanFor(tx, articleId, null, text, input.kind);
    if (speakerId !== null) await ensureMention(tx, articleId, speakerId);
    const quote = await tx.quote.create({
      data: {
        articleId,
        speakerId,
        text,
        kind: input.kind,
        channel,
        startOffset: span?.startOffset ?? null,
        endOffset: span?.endOffset ?? null,
      },
    });
    await announceStored(tx, { articles: [], quotes: [quote.id] });
    return quote;
  });
}

export async function updateQuote(db: Db, globalId: string, input: UpdateQuoteInput): Promise<QuoteRow> {
  if (input.text === null) throw badUserInput('input.text', 'cannot be null; omit it to keep the current value');
  if (input.kind === null) throw badUserInput('input.kind', 'cannot be null; omit it to keep the current value');
  if (input.text !== undefined) requiredText('input.text', input.text, 'quoteLength');
  const channel = input.channel === undefined ? undefined : optionalText('input.channel', input.channel, 'channelLength');
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Quote', globalId, 'id');
    const quote = await tx.quote.findUniqueOrThrow({ where: { id } });
    const text = input.text?.trim() ?? quote.text;
    const kind = input.kind ?? quote.kind;
    // A person has now checked the quote, whoever proposed it; the extractor's confidence in what
    // it proposed stays, so corrected proposals can still be told from hand-made ones.
    const data: Prisma.QuoteUncheckedUpdateInput = { text, kind, origin: 'ANNOTATED' };
    if (channel !== undefined) data.channel = channel;
    if (input.speaker !== undefined) {
      data.speakerId = input.speaker === null ? null : await storedActorId(tx, input.speaker, 'input.speaker');
      if (data.speakerId !== null) await ensureMention(tx, quote.articleId, data.speakerId);
    }
    if (text !== quote.text || kind !== quote.kind) {
      const span = await spanFor(tx, quote.articleId, id, text, kind);
      data.startOffset = span?.startOffset ?? null;
      data.endOffset = span?.endOffset ?? null;
    }
    return tx.quote.update({ where: { id }, data });
  });
}

/** Deletes a quote; positions it evidenced keep their stance without it. Returns its article's id. */
export async function deleteQuote(db: Db, globalId: string): Promise<{ id: number; articleId: number }> {
  return inTransaction(db, async (tx) => {
    const id = await existingId(tx, 'Quote', globalId, 'id');
    const { articleId } = await tx.quote.delete({ where: { id }, select: { articleId: true } });
    return { id, articleId };
  });
}
