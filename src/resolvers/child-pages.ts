import type DataLoader from 'dataloader';
import { badUserInput } from '../errors.js';
import type { ActorOrder, ArticleOrder, PositionFilter, PositionOrder, QuoteFilter, QuoteOrder, Stance } from '../generated/graphql.js';
import type { ChildCountKey, ChildPageKey, Loaders, RowsById } from '../loaders.js';
import { ACTOR_ORDERS } from '../read/actors.js';
import { ARTICLE_ORDERS } from '../read/articles.js';
import { orderedPage, type Ordering } from '../read/order.js';
import { type Connection, type PageArgs, toConnection } from '../read/pagination.js';
import { POSITION_ORDERS, type PositionPageFilter } from '../read/positions.js';
import { QUOTE_ORDERS } from '../read/quotes.js';
import type { ActorRow, ArticleRow, PositionRow, QuoteRow } from '../read/rows.js';
import type { ChildId, ChildPage } from '../read/store.js';

// Paged child lists: the page of every parent in a query loads in one statement per shape (see
// childPages in loaders.ts), and the rows themselves come along, so the by-id loads below cost
// nothing. The cursor is checked against the order before anything loads.

interface ChildList<T extends { id: number }, Order extends string, Filter> {
  pages: DataLoader<ChildPageKey<ChildPage<Order, Filter>>, ChildId[], string>;
  rows: RowsById<T>;
  ordering: Ordering;
  orderBy: Order;
  filter: Filter;
}

async function childPage<T extends { id: number }, Order extends string, Filter>(
  list: ChildList<T, Order, Filter>,
  parentId: number,
  args: PageArgs,
  count: () => Promise<number>,
): Promise<Connection<T>> {
  const page = orderedPage(args, list.ordering);
  const children = await list.pages.load({
    parentId,
    page: { first: page.first, after: page.after, orderBy: list.orderBy, filter: list.filter },
  });
  // The page's statement brought the rows along, so they are known: no promise per row.
  const known = children.map((child) => list.rows.get(child.id));
  const rows = known.some((row) => row instanceof Promise)
    ? await list.rows.loadMany(children.map((child) => child.id))
    : (known as (T | null)[]);
  // A row deleted since its page was read is left out; the cursors are made only if selected.
  const nodes: T[] = [];
  const onPage: ChildId[] = [];
  children.forEach((child, i) => {
    const row = rows[i];
    if (!row) return;
    nodes.push(row);
    onPage.push(child);
  });
  return toConnection(nodes, page, (_, i) => onPage[i]?.key ?? [], count);
}

/** A filter's field that names the parent of the list it narrows is refused rather than silently combined. */
function refuseParentField(field: string, value: unknown, parent: string): void {
  if (value != null) throw badUserInput(field, `is given by the ${parent} this list belongs to; leave it out of the filter`);
}

interface QuotePageArgs extends PageArgs {
  filter?: QuoteFilter | null;
  orderBy?: QuoteOrder | null;
}

/** A page of an actor's quotes, loaded with every other actor's of the same shape in one query. */
export async function actorQuotes(loaders: Loaders, actor: ActorRow, args: QuotePageArgs): Promise<Connection<QuoteRow>> {
  refuseParentField('filter.speaker', args.filter?.speaker, 'actor');
  const orderBy = args.orderBy ?? 'ADDED_ASC';
  const filter = args.filter ?? null;
  // Every quote on the page has this actor as its speaker.
  loaders.actorById.add(actor);
  return childPage(
    { pages: loaders.quoteIdsBySpeakerPage, rows: loaders.quoteById, ordering: QUOTE_ORDERS[orderBy], orderBy, filter },
    actor.id,
    args,
    () => loaders.quoteCountBySpeaker.load({ parentId: actor.id, filter }),
  );
}

interface PositionPageArgs extends PageArgs {
  filter?: PositionFilter | null;
  orderBy?: PositionOrder | null;
}

/** A page of a topic's positions (its board), optionally of one stance. */
export async function topicPositions(
  loaders: Loaders,
  topicId: number,
  args: PositionPageArgs & { stance?: Stance | null },
): Promise<Connection<PositionRow>> {
  refuseParentField('filter.topic', args.filter?.topic, 'topic');
  if (args.stance != null && args.filter?.stance != null) throw badUserInput('stance', 'is given twice: give stance or filter.stance');
  const stance = args.stance ?? args.filter?.stance ?? null;
  const filter: PositionPageFilter = { filter: { ...args.filter, stance }, names: {} };
  return positionPage(loaders, 'topic', topicId, args, filter);
}

/** A page of an actor's positions, optionally on one topic. */
export async function actorPositions(
  loaders: Loaders,
  actorId: number,
  args: PositionPageArgs & { topic?: string | null },
): Promise<Connection<PositionRow>> {
  refuseParentField('filter.actor', args.filter?.actor, 'actor');
  if (args.topic != null && args.filter?.topic != null) throw badUserInput('topic', 'is given twice: give topic or filter.topic');
  const filter: PositionPageFilter =
    args.topic != null
      ? { filter: { ...args.filter, topic: args.topic }, names: { topic: 'topic' } }
      : { filter: args.filter ?? null, names: {} };
  return positionPage(loaders, 'actor', actorId, args, filter);
}

function positionPage(
  loaders: Loaders,
  parent: 'topic' | 'actor',
  parentId: number,
  args: PositionPageArgs,
  filter: PositionPageFilter,
): Promise<Connection<PositionRow>> {
  const orderBy = args.orderBy ?? 'ADDED_ASC';
  const [pages, counts] =
    parent === 'topic'
      ? [loaders.positionIdsByTopicPage, loaders.positionCountByTopic]
      : [loaders.positionIdsByActorPage, loaders.positionCountByActor];
  return childPage({ pages, rows: loaders.positionById, ordering: POSITION_ORDERS[orderBy], orderBy, filter }, parentId, args, () =>
    counts.load({ parentId, filter } satisfies ChildCountKey<PositionPageFilter>),
  );
}

/** A page of an affiliation's members. */
export function actorMembers(
  loaders: Loaders,
  affiliationId: number,
  args: PageArgs & { orderBy?: ActorOrder | null },
): Promise<Connection<ActorRow>> {
  const orderBy = args.orderBy ?? 'NAME_ASC';
  const list = {
    pages: loaders.memberIdsByAffiliationPage,
    rows: loaders.actorById,
    ordering: ACTOR_ORDERS[orderBy],
    orderBy,
    filter: null,
  };
  return childPage(list, affiliationId, args, () => loaders.memberCountByAffiliationId.load(affiliationId));
}

/** A page of the articles mentioning an actor or about a topic. */
export function childArticles(
  loaders: Loaders,
  pages: 'articleIdsByActorPage' | 'articleIdsByTopicPage',
  parentId: number,
  args: PageArgs & { orderBy?: ArticleOrder | null },
  count: () => Promise<number>,
): Promise<Connection<ArticleRow>> {
  const orderBy = args.orderBy ?? 'PUBLISHED_AT_DESC';
  const list = { pages: loaders[pages], rows: loaders.articleById, ordering: ARTICLE_ORDERS[orderBy], orderBy, filter: null };
  return childPage(list, parentId, args, count);
}
