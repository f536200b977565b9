import type { Db } from '../db.js';
import type { ActorInput, AddArticleInput, PositionInput, QuoteInput } from '../generated/graphql.js';
import type { ActorKind, Origin } from '../generated/prisma/enums.js';

/** Articles read per query: a page of bodies in memory at a time, whatever the archive's size. */
const PAGE = 200;

export interface ExportSummary {
  articles: number;
  /** Lines of one actor: those no article mentions, and those whose affiliation no earlier article mentions. */
  actors: number;
  /** Lines of one topic: those no article is about. */
  topics: number;
}

/**
 * Everything stored, as lines `npm run import` reads, one call of `write` each, so that importing
 * the export into an empty database gives the same graph: every article as an AddArticleInput, in
 * id order; then each topic no article is about, as `{"topic": name}`; then, as `{"actor":
 * ActorInput}`, each actor no article mentions (created by upsertActor alone) and each mentioned
 * one whose affiliation could not be declared in its article, an affiliation before the actors
 * that name it. Each article declares every actor it mentions with its kind, description, aliases
 * and affiliation, so it stands alone; an affiliation is declared there only when its actor is
 * mentioned in the same article or an earlier one, because an import resolves it by name against
 * what is declared or stored by then. Quotes and positions keep their origin, the extractor's
 * confidence, and a quote its offsets (so a text the body holds twice keeps its occurrence).
 */
export async function exportArticles(db: Db, write: (input: ExportLine) => Promise<void> | void): Promise<ExportSummary> {
  const summary: ExportSummary = { articles: 0, actors: 0, topics: 0 };
  // Actors declared by the articles written so far, by id.
  const exported = new Set<number>();
  // Mentioned actors whose affiliation their articles could not declare.
  const unaffiliated = new Set<number>();
  for (let after = 0; ;) {
    const articles = await db.article.findMany({
      where: { id: { gt: after } },
      orderBy: { id: 'asc' },
      take: PAGE,
      include: {
        topics: { include: { topic: { select: { name: true } } }, orderBy: { topicId: 'asc' } },
        mentions: {
          include: { actor: { include: { aliases: { orderBy: { id: 'asc' } }, affiliation: { select: { id: true, name: true } } } } },
          orderBy: { actorId: 'asc' },
        },
        quotes: { include: { speaker: { select: { name: true } } }, orderBy: { id: 'asc' } },
        positions: {
          include: { actor: { select: { name: true } }, topic: { select: { name: true } }, quote: { select: { text: true } } },
          orderBy: { id: 'asc' },
        },
      },
    });
    if (articles.length === 0) break;
    for (const article of articles) {
      const mentioned = new Set(article.mentions.map((m) => m.actorId));
      const actors = article.mentions.map(({ actor }): ActorInput => {
        const affiliation =
          actor.affiliation && (mentioned.has(actor.affiliation.id) || exported.has(actor.affiliation.id)) ? actor.affiliation : null;
        if (actor.affiliation && !affiliation) unaffiliated.add(actor.id);
        return actorInput(actor, affiliation?.name ?? null);
      });
      for (const id of mentioned) exported.add(id);
      const quotes = article.quotes.map((quote): QuoteInput =>
        compact({
          text: quote.text,
          kind: quote.kind,
          speaker: quote.speaker?.name ?? null,
          channel: quote.channel,
          startOffset: quote.startOffset,
          endOffset: quote.startOffset === null ? null : quote.endOffset,
          ...annotation(quote),
        }),
      );
      const positions = article.positions.map((position): PositionInput =>
        compact({
          actor: position.actor.name,
          topic: position.topic.name,
          stance: position.stance,
          summary: position.summary,
          quote: position.quote?.text ?? null,
          ...annotation(position),
        }),
      );
      await write(
        compact({
          title: article.title,
          body: article.body,
          slug: article.slug,
          source: article.source,
          url: article.url,
          publishedAt: article.publishedAt,
          topics: article.topics.map((t) => t.topic.name),
          actors,
          quotes,
          positions,
        }),
      );
      summary.articles += 1;
    }
    after = articles.at(-1)?.id ?? after;
  }
  for (const topic of await db.topic.findMany({ where: { articles: { none: {} } }, orderBy: { id: 'asc' }, select: { name: true } })) {
    await write({ topic: topic.name });
    summary.topics += 1;
  }
  const rest = await db.actor.findMany({
    where: { OR: [{ mentions: { none: {} } }, { id: { in: [...unaffiliated] } }] },
    orderBy: { id: 'asc' },
    include: { aliases: { orderBy: { id: 'asc' } }, affiliation: { select: { id: true, name: true } } },
  });
  // An affiliation among these goes first; any other is mentioned, so stored by the articles.
  const byId = new Map(rest.map((actor) => [actor.id, actor]));
  const written = new Set<number>();
  const writeActor = async (actor: (typeof rest)[number]): Promise<void> => {
    if (written.has(actor.id)) return;
    written.add(actor.id);
    const parent = actor.affiliation ? byId.get(actor.affiliation.id) : undefined;
    if (parent) await writeActor(parent);
    await write({ actor: actorInput(actor, actor.affiliation?.name ?? null) });
    summary.actors += 1;
  };
  for (const actor of rest) await writeActor(actor);
  return summary;
}

/** One line of an export: an article, or an actor or topic of its own line (see exportArticles). */
export type ExportLine = AddArticleInput | { actor: ActorInput } | { topic: string };

function actorInput(
  actor: { name: string; kind: ActorKind; description: string | null; aliases: { alias: string }[] },
  affiliation: string | null,
): ActorInput {
  return compact({
    name: actor.name,
    kind: actor.kind,
    aliases: actor.aliases.map((a) => a.alias),
    description: actor.description,
    affiliation,
  });
}

/** Who made a quote or position: EXTRACTED is written out (ANNOTATED is the default), the confidence whenever there is one. */
function annotation(item: { origin: Origin; confidence: number | null }): { origin: Origin | null; confidence: number | null } {
  return { origin: item.origin === 'EXTRACTED' ? item.origin : null, confidence: item.confidence };
}

/** The object without its null fields and empty lists, so an exported line says only what is there. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as T;
}

/** The columns of the quotes CSV, in order. */
export const QUOTE_CSV_COLUMNS = [
  'quote',
  'quote_kind',
  'speaker',
  'speaker_kind',
  'channel',
  'article',
  'article_slug',
  'source',
  'published_at',
] as const;

/**
 * Every stored quote as one CSV record (RFC 4180, see csvRecord) with its speaker and the article
 * it is from, in id order (each article's quotes in order of appearance), a page at a time.
 */
export async function exportQuotesCsv(db: Db, write: (record: string) => Promise<void> | void): Promise<number> {
  await write(csvRecord([...QUOTE_CSV_COLUMNS]));
  let count = 0;
  for (let after = 0; ;) {
    const quotes = await db.quote.findMany({
      where: { id: { gt: after } },
      orderBy: { id: 'asc' },
      take: 1_000,
      include: {
        speaker: { select: { name: true, kind: true } },
        article: { select: { title: true, slug: true, source: true, publishedAt: true } },
      },
    });
    if (quotes.length === 0) return count;
    for (const quote of quotes) {
      await write(
        csvRecord([
          quote.text,
          quote.kind,
          quote.speaker?.name ?? null,
          quote.speaker?.kind ?? null,
          quote.channel,
          quote.article.title,
          quote.article.slug,
          quote.article.source,
          quote.article.publishedAt?.toISOString() ?? null,
        ]),
      );
      count += 1;
    }
    after = quotes.at(-1)?.id ?? after;
  }
}

/**
 * One CSV record as RFC 4180 has it: fields separated by commas, a field holding a comma, a double
 * quote or a line break enclosed in double quotes with its double quotes doubled, CRLF at the end.
 * A field a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
 * return: a quote like "-the deal is dead" or a crafted "=HYPERLINK(...)") is prefixed with an
 * apostrophe, as OWASP advises against CSV injection; spreadsheets show the text as written.
 * Null is an empty field.
 */
export function csvRecord(fields: (string | null)[]): string {
  return `${fields.map((field) => csvField(field ?? '')).join(',')}\r\n`;
}

function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
