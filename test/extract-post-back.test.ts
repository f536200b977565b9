import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleBySlug, dataOf, rowCounts, startTestServer, type TestServer } from './support/harness.js';

// A reviewing client shows `extract`'s answer, lets a person correct it, and posts it back to
// addArticle as it is: these specs send the answer over HTTP exactly as it came.

const gold = JSON.parse(readFileSync(new URL('./fixtures/gold/xi-zelensky-phone-call.json', import.meta.url), 'utf8')) as {
  title: string;
  body: string;
};

const HARBOUR = {
  title: 'Harbour talks resume',
  body:
    'Mayor Ada Quist said on Monday that the harbour will reopen in May. \u201CWe are ready to talk,\u201D Quist told reporters. ' +
    'Union leader Ivo Renner disagreed. \u201CThe plan is not safe for the dock workers,\u201D Renner said. ' +
    '\u201CWe are ready to talk,\u201D Renner added later, \u201Cbut not on these terms.\u201D',
};

const EXTRACT = `query ($title: String, $body: String!) {
  extract(title: $title, body: $body) {
    topics
    actors { name kind aliases description affiliation }
    quotes { text kind speaker channel startOffset endOffset confidence origin }
    positions { actor topic stance summary quote confidence origin }
  }
}`;
const ADD = `mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { slug } } }`;
const ARTICLE = `query ($slug: String!) {
  article(slug: $slug) {
    quotes { text kind channel startOffset endOffset origin confidence speaker { name } }
    positions { stance summary origin confidence actor { name } topic { name } quote { text } }
  }
}`;

interface ExtractedQuote {
  text: string;
  kind: string;
  speaker: string | null;
  channel: string | null;
  startOffset: number;
  endOffset: number;
  confidence: number;
  origin: string;
}
interface ExtractedPosition {
  actor: string;
  topic: string;
  stance: string;
  summary: string;
  quote: string | null;
  confidence: number;
  origin: string;
}
interface Extraction {
  topics: string[];
  actors: { name: string; kind: string; aliases: string[]; description: string | null; affiliation: string | null }[];
  quotes: ExtractedQuote[];
  positions: ExtractedPosition[];
}
interface StoredArticle {
  quotes: {
    text: string;
    kind: string;
    channel: string | null;
    startOffset: number | null;
    endOffset: number | null;
    origin: string;
    confidence: number | null;
    speaker: { name: string } | null;
  }[];
  positions: {
    stance: string;
    summary: string;
    origin: string;
    confidence: number | null;
    actor: { name: string };
    topic: { name: string };
    quote: { text: string } | null;
  }[];
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seed: false });
});
afterAll(() => server.close());

/** The harbour article under a title and slug of its own: the same body under the same title is one article. */
const harbour = (slug: string) => ({ ...HARBOUR, title: `${HARBOUR.title}: ${slug}`, slug });

async function extraction(article: { title: string; body: string }): Promise<Extraction> {
  return dataOf(await server.gql<{ extract: Extraction }>(EXTRACT, article)).extract;
}

const stored = (slug: string) => articleBySlug<StoredArticle>(server, ARTICLE, slug);

describe("extract's answer posted back to addArticle", () => {
  it('is accepted as it came and stored as EXTRACTED, with the offsets and confidences it proposed', async () => {
    const proposal = await extraction(gold);
    expect(proposal.quotes.length).toBeGreaterThan(3);
    expect(proposal.positions.length).toBeGreaterThan(0);
    expect(proposal.quotes.every((q) => q.origin === 'EXTRACTED')).toBe(true);

    dataOf(await server.gql(ADD, { input: { title: gold.title, body: gold.body, slug: 'as-proposed', ...proposal } }));
    const article = await stored('as-proposed');
    expect(
      article.quotes.map((q) => [q.text, q.kind, q.speaker?.name ?? null, q.startOffset, q.endOffset, q.origin, q.confidence]),
    ).toEqual(
      [...proposal.quotes]
        .sort((a, b) => a.startOffset - b.startOffset)
        .map((q) => [q.text, q.kind, q.speaker, q.startOffset, q.endOffset, 'EXTRACTED', q.confidence]),
    );
    expect(article.positions.map((p) => [p.actor.name, p.topic.name, p.stance, p.origin, p.confidence]).sort()).toEqual(
      proposal.positions.map((p) => [p.actor, p.topic, p.stance, 'EXTRACTED', p.confidence]).sort(),
    );
  });

  it('keeps a corrected quote apart as ANNOTATED, with the confidence of the proposal it corrects, and the rest EXTRACTED', async () => {
    const proposal = await extraction(HARBOUR);
    const index = proposal.quotes.findIndex((q) => q.text === 'The plan is not safe for the dock workers');
    const original = proposal.quotes[index];
    expect(original).toMatchObject({ speaker: 'Ivo Renner', origin: 'EXTRACTED' });
    const quotes = proposal.quotes.map((q, i) => (i === index ? { ...q, speaker: 'Ada Quist', origin: 'ANNOTATED' } : q));

    dataOf(await server.gql(ADD, { input: { ...harbour('corrected'), ...proposal, quotes } }));
    const article = await stored('corrected');
    expect(article.quotes).toHaveLength(proposal.quotes.length);
    const corrected = article.quotes.find((q) => q.text === 'The plan is not safe for the dock workers');
    expect(corrected).toMatchObject({ origin: 'ANNOTATED', confidence: original?.confidence, speaker: { name: 'Ada Quist' } });
    const rest = article.quotes.filter((q) => q !== corrected);
    expect(rest.length).toBeGreaterThan(0);
    for (const quote of rest) expect(quote.origin).toBe('EXTRACTED');
  });

  it('stores a text the body holds twice at the occurrence its offsets name', async () => {
    const proposal = await extraction(HARBOUR);
    const second = proposal.quotes.filter((q) => q.text === 'We are ready to talk')[1];
    expect(second).toMatchObject({ speaker: 'Ivo Renner', startOffset: HARBOUR.body.lastIndexOf('We are ready to talk') });
    dataOf(await server.gql(ADD, { input: { ...harbour('second-occurrence'), actors: proposal.actors, quotes: [second] } }));
    const [quote] = (await stored('second-occurrence')).quotes;
    expect(quote).toMatchObject({ startOffset: second?.startOffset, endOffset: second?.endOffset, speaker: { name: 'Ivo Renner' } });
  });

  it('still locates a quote given without offsets, as a person typed it', async () => {
    dataOf(await server.gql(ADD, { input: { ...harbour('typed'), quotes: [{ text: 'We are ready to talk', kind: 'DIRECT' }] } }));
    const [quote] = (await stored('typed')).quotes;
    expect(quote).toMatchObject({ startOffset: HARBOUR.body.indexOf('We are ready to talk'), origin: 'ANNOTATED', confidence: null });
  });

  it.each([
    [
      'offsets that hold other text',
      { text: 'We are ready to talk', kind: 'DIRECT', startOffset: 0, endOffset: 20 },
      'input.quotes[0].startOffset',
      'the body holds "Mayor Ada Quist said" at 0..20, not "We are ready to talk"',
    ],
    [
      'one offset without the other',
      { text: 'We are ready to talk', kind: 'DIRECT', startOffset: 69 },
      'input.quotes[0].endOffset',
      'is missing',
    ],
    [
      'offsets past the body',
      { text: 'We are ready to talk', kind: 'DIRECT', startOffset: 69, endOffset: 9999 },
      'input.quotes[0].startOffset',
      'is not a span',
    ],
    [
      'EXTRACTED without a confidence',
      { text: 'We are ready to talk', kind: 'DIRECT', origin: 'EXTRACTED' },
      'input.quotes[0].confidence',
      'is required with origin EXTRACTED',
    ],
    ['a confidence above 1', { text: 'We are ready to talk', kind: 'DIRECT', confidence: 1.5 }, 'input.quotes[0].confidence', 'is 1.5'],
  ])('refuses %s, naming the field, and writes nothing', async (_, quote, field, message) => {
    const before = await rowCounts(server.db);
    const response = await server.gql(ADD, { input: { ...harbour('refused'), quotes: [quote] } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors?.[0]?.message).toContain(message);
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('refuses a position marked EXTRACTED without a confidence', async () => {
    const response = await server.gql(ADD, {
      input: {
        ...HARBOUR,
        slug: 'refused-position',
        actors: [{ name: 'Ada Quist', kind: 'PERSON' }],
        topics: ['Harbour'],
        positions: [{ actor: 'Ada Quist', topic: 'Harbour', stance: 'SUPPORT', summary: 'Quist wants talks.', origin: 'EXTRACTED' }],
      },
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.positions[0].confidence' });
  });
});
