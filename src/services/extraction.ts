import { badUserInput } from '../errors.js';
import type { Extraction } from '../extract/index.js';
import { overlapShare } from '../extract/score.js';
import type { AddArticleInput } from '../generated/graphql.js';
import {
  type ActorDraft,
  type ArticleDraft,
  draftActor,
  draftArticle,
  MAX_BODY_LENGTH,
  nameRef,
  type PositionDraft,
  type QuoteDraft,
  type TopicDraft,
} from './article-input.js';
import { nameKey, slugify } from '../text/names.js';
import { extractOffThread } from './extraction-pool.js';
import { extractableBody, extractableTitle } from './text.js';

/**
 * Query.extract: the extractor's proposal for a text, checked like addArticle's body except that a
 * stray control character costs nothing: it is replaced, and the answer's warnings say where.
 */
export function proposeAnnotation(title: string | null | undefined, body: string): Promise<Extraction> {
  if (body.length > MAX_BODY_LENGTH) throw badUserInput('body', `is ${body.length} characters long; the limit is ${MAX_BODY_LENGTH}`);
  return extractOffThread(extractableBody('body', body), extractableTitle('title', title));
}

/**
 * addArticle with `extract: true`: the given annotation, plus what the extractor finds that it does
 * not already say. Given items win: an extracted actor sharing a name or alias with a given one is
 * that actor, a quote with the same text (or an INDIRECT statement over the same sentence) and a
 * position with the same actor and topic are left out.
 */
export async function draftWithExtraction(input: AddArticleInput): Promise<ArticleDraft> {
  const draft = draftArticle({ ...input, extract: null });
  const extraction = await extractOffThread(draft.body, draft.title);

  // Extracted names that a given actor already owns resolve to that actor.
  const givenByForm = new Map<string, string>();
  for (const actor of draft.actors) for (const ref of [actor.name, ...actor.aliases]) givenByForm.set(ref.key, actor.name.text);
  const renamed = new Map<string, string>();
  const claimed = new Set(givenByForm.keys());
  const actors: ActorDraft[] = [];
  extraction.actors.forEach((actor, i) => {
    const forms = [actor.name, ...actor.aliases];
    const given = forms.map((form) => givenByForm.get(nameKey(form))).find((name) => name !== undefined);
    if (given !== undefined) {
      renamed.set(nameKey(actor.name), given);
      return;
    }
    const aliases = actor.aliases.filter((alias) => !claimed.has(nameKey(alias)));
    if (claimed.has(nameKey(actor.name))) return;
    for (const form of [actor.name, ...aliases]) claimed.add(nameKey(form));
    actors.push({ ...draftActor({ ...actor, aliases, affiliation: null }, `extracted.actors[${i}]`), tentative: true });
  });
  const nameOf = (name: string) => renamed.get(nameKey(name)) ?? name;
  extraction.actors.forEach((actor) => {
    const declared = actors.find((a) => a.name.key === nameKey(actor.name));
    if (!declared || !actor.affiliation) return;
    const affiliation = nameOf(actor.affiliation);
    if (nameKey(affiliation) !== declared.name.key) declared.affiliation = nameRef(`${declared.field}.affiliation`, affiliation);
  });

  const givenTexts = new Set(draft.quotes.filter((q) => q.kind !== 'INDIRECT').map((q) => nameKey(q.text)));
  const givenStatements = draft.quotes.filter((q) => q.kind === 'INDIRECT');
  const quotes: QuoteDraft[] = [...draft.quotes];
  extraction.quotes.forEach((quote, i) => {
    const span: [number, number] = [quote.startOffset, quote.endOffset];
    const duplicate =
      quote.kind === 'INDIRECT'
        ? givenStatements.some(
            (given) =>
              nameKey(given.text) === nameKey(quote.text) ||
              (given.startOffset !== null && given.endOffset !== null && overlapShare([given.startOffset, given.endOffset], span) >= 0.5),
          )
        : givenTexts.has(nameKey(quote.text));
    if (duplicate) return;
    const field = `extracted.quotes[${i}]`;
    quotes.push({
      field,
      text: quote.text,
      kind: quote.kind,
      speaker: quote.speaker === null ? null : nameRef(`${field}.speaker`, nameOf(quote.speaker)),
      channel: quote.channel,
      startOffset: quote.startOffset,
      endOffset: quote.endOffset,
      origin: 'EXTRACTED',
      confidence: quote.confidence,
    });
  });

  const topics: TopicDraft[] = [...draft.topics];
  extraction.topics.forEach((name, i) => {
    const slug = slugify(name);
    if (slug !== '' && !topics.some((topic) => topic.slug === slug)) topics.push({ name, slug, field: `extracted.topics[${i}]` });
  });

  const givenPositions = new Set(draft.positions.map((p) => `${p.actor.key}|${slugify(p.topic.text)}`));
  const positions: PositionDraft[] = [...draft.positions];
  extraction.positions.forEach((position, i) => {
    const actor = nameOf(position.actor);
    if (givenPositions.has(`${nameKey(actor)}|${slugify(position.topic)}`)) return;
    const field = `extracted.positions[${i}]`;
    const quoteIndex = position.quote === null ? -1 : quotes.findIndex((q) => nameKey(q.text) === nameKey(position.quote ?? ''));
    positions.push({
      field,
      actor: nameRef(`${field}.actor`, actor),
      topic: nameRef(`${field}.topic`, position.topic),
      stance: position.stance,
      summary: position.summary,
      quoteIndex: quoteIndex === -1 ? null : quoteIndex,
      origin: 'EXTRACTED',
      confidence: position.confidence,
    });
  });

  return { ...draft, actors: [...draft.actors, ...actors], quotes, topics, positions };
}
