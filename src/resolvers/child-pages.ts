import type { Loaders } from '../loaders.js';
import { articleCursorKey } from '../read/articles.js';
import { type Connection, cursorNullableString, cursorNumber, type PageArgs, pageRequest, toConnection } from '../read/pagination.js';
import type { ActorRow, ArticleRow, QuoteRow } from '../read/rows.js';

// Paged child lists: the page of every parent in a query loads in one statement (see childPages
// in loaders.ts), and the rows themselves come along, so the by-id loads below cost nothing.

/** A page of an actor's quotes, loaded with every other actor's on the same page in one query. */
export async function actorQuotes(loaders: Loaders, actor: ActorRow, args: PageArgs): Promise<Connection<QuoteRow>> {
  const page = pageRequest(args, 1);
  // Every quote on the page has this actor as its speaker.
  loaders.actorById.add(actor);
  const ids = await loaders.quoteIdsBySpeakerPage.load({
    parentId: actor.id,
    page: { first: page.first, after: page.after && [cursorNumber(page.after, 0)] },
  });
  const rows = await loaders.quoteById.loadMany(ids);
  return toConnection(
    present(rows),
    page,
    (q) => [q.id],
    () => loaders.quoteCountBySpeakerId.load(actor.id),
  );
}

/** A page of the articles mentioning an actor or about a topic, newest first. */
export async function childArticles(
  loaders: Loaders,
  pages: 'articleIdsByActorPage' | 'articleIdsByTopicPage',
  parentId: number,
  args: PageArgs,
  count: () => Promise<number>,
): Promise<Connection<ArticleRow>> {
  const page = pageRequest(args, 2);
  const checked = page.after && [cursorNullableString(page.after, 0), cursorNumber(page.after, 1)];
  const ids = await loaders[pages].load({ parentId, page: { first: page.first, after: checked } });
  const rows = await loaders.articleById.loadMany(ids);
  return toConnection(present(rows), page, articleCursorKey, count);
}

function present<T>(rows: (T | null | Error)[]): T[] {
  return rows.filter((row): row is T => row !== null && !(row instanceof Error));
}
