import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precisionRecallF1, scoreArticle, type GoldArticle } from '../src/extract/score.js';
import { articleBySlug, dataOf, rowCounts, startTestServer, type TestServer } from './support/harness.js';

/** The seed article's gold annotation (a copy of ../shared/gold, so the suite runs without it). */
const gold = JSON.parse(readFileSync(new URL('./fixtures/gold/xi-zelensky-phone-call.json', import.meta.url), 'utf8')) as GoldArticle & {
  title: string;
};

interface StoredQuote {
  id: string;
  text: string;
  kind: string;
  channel: string | null;
  startOffset: number | null;
  endOffset: number | null;
  origin: string;
  confidence: number | null;
  speaker: { id: string; name: string } | null;
}
interface StoredArticle {
  id: string;
  actors: { id: string; name: string; kind: string; aliases: string[]; description: string | null }[];
  quotes: StoredQuote[];
  positions: { stance: string; origin: string; confidence: number | null; actor: { name: string }; topic: { name: string } }[];
}

const ARTICLE = `query ($slug: String!) {
  article(slug: $slug) {
    id
    actors { id name kind aliases description }
    quotes { id text kind channel startOffset endOffset origin confidence speaker { id name } }
    positions { stance origin confidence actor { name } topic { name } }
  }
}`;
const ADD = `mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { slug } } }`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seed: false });
});
afterAll(() => server.close());

const storedArticle = (slug: string) => articleBySlug<StoredArticle>(server, ARTICLE, slug);

describe('Query.extract', () => {
  it('proposes an annotation in the shape of AddArticleInput, and stores nothing', async () => {
    const before = await rowCounts(server.db);
    server.statements.length = 0;
    const { extract } = dataOf(
      await server.gql<{
        extract: {
          actors: { name: string; kind: string; aliases: string[]; affiliation: string | null }[];
          quotes: { text: string; kind: string; speaker: string | null; startOffset: number; endOffset: number; confidence: number }[];
          positions: { actor: string; topic: string; stance: string }[];
          topics: string[];
        };
      }>(
        `query ($title: String, $body: String!) {
          extract(title: $title, body: $body) {
            actors { name kind aliases description affiliation }
            quotes { text kind speaker channel startOffset endOffset confidence }
            positions { actor topic stance summary quote confidence }
            topics
          }
        }`,
        { title: gold.title, body: gold.body },
      ),
    );
    // Not one SQL statement ran for it, and every table has the rows it had.
    expect(server.statements).toEqual([]);
    expect(await rowCounts(server.db)).toEqual(before);

    const xi = extract.actors.find((actor) => actor.name === 'Xi Jinping');
    expect(xi).toMatchObject({ kind: 'PERSON', affiliation: 'China' });
    expect(xi?.aliases).toContain('President Xi');
    const names = new Set(extract.actors.map((actor) => actor.name));
    for (const quote of extract.quotes) {
      if (quote.speaker !== null) expect(names).toContain(quote.speaker);
      expect(gold.body.slice(quote.startOffset, quote.endOffset)).toBe(quote.text);
      expect(quote.confidence).toBeGreaterThan(0);
      expect(quote.confidence).toBeLessThanOrEqual(1);
    }
    expect(extract.quotes.find((quote) => quote.text === 'talks and negotiation')).toMatchObject({
      kind: 'PARTIAL',
      speaker: 'Xi Jinping',
    });
    for (const position of extract.positions) {
      expect(names).toContain(position.actor);
      expect(extract.topics).toContain(position.topic);
    }
  });

  it('reads a stray control character as U+FFFD, keeps every offset, and says so in warnings', async () => {
    const body = 'Mayor Erik Dahl said the port would reopen.\n\n"We are ready,\u0083" Dahl said. "The cranes are back."';
    const { extract } = dataOf(
      await server.gql<{ extract: { quotes: { text: string; speaker: string | null; startOffset: number }[]; warnings: string[] } }>(
        `query ($body: String!) { extract(body: $body) { quotes { text speaker startOffset } warnings } }`,
        { body },
      ),
    );
    expect(extract.warnings).toEqual([
      `body: 1 control character (U+0083 at ${body.indexOf('\u0083')}) read as U+FFFD, one for one, so offsets hold`,
    ]);
    const cranes = extract.quotes.find((quote) => quote.text === 'The cranes are back.');
    expect(cranes).toMatchObject({ speaker: 'Erik Dahl', startOffset: body.indexOf('The cranes') });
    expect(extract.quotes.find((quote) => quote.text.startsWith('We are ready'))?.text).toBe('We are ready,\uFFFD');
  });

  it('answers a clean text with no warnings', async () => {
    const { extract } = dataOf(
      await server.gql<{ extract: { warnings: string[] } }>(`{ extract(body: "Dahl said the port reopens.") { warnings } }`),
    );
    expect(extract.warnings).toEqual([]);
  });

  it('still refuses to store a body with a control character', async () => {
    const response = await server.gql(ADD, { input: { title: 'Stray byte', body: 'Dahl said\u0083 the port reopens.', extract: true } });
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.body' } });
  });

  it('rejects an empty body with BAD_USER_INPUT naming the field', async () => {
    const response = await server.gql(`{ extract(body: "   ") { topics } }`);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'body' } });
    expect(response.errors?.[0]?.message).toMatch(/body/);
  });
});

describe('addArticle with extract: true', () => {
  let first: StoredArticle;
  beforeAll(async () => {
    dataOf(await server.gql(ADD, { input: { title: gold.title, body: gold.body, slug: 'xi-call', extract: true } }));
    first = await storedArticle('xi-call');
  });

  it('stores a graph that matches the gold annotation of the seed article', () => {
    const score = scoreArticle(gold, {
      actors: first.actors,
      quotes: first.quotes.map((quote) => ({ ...quote, speaker: quote.speaker?.name ?? null })),
    });
    expect(precisionRecallF1(score.quotes).f1).toBeGreaterThanOrEqual(0.95);
    expect(score.quoteSpeakers.correct / score.quoteSpeakers.matched).toBeGreaterThanOrEqual(0.92);
    expect(precisionRecallF1(score.indirect).f1).toBeGreaterThanOrEqual(0.8);
    expect(precisionRecallF1(score.actors).f1).toBeGreaterThanOrEqual(0.9);
  });

  it('marks every quote and position as EXTRACTED with a confidence', () => {
    expect(first.quotes.length).toBeGreaterThan(10);
    expect(first.positions.length).toBeGreaterThan(0);
    for (const item of [...first.quotes, ...first.positions]) {
      expect(item.origin).toBe('EXTRACTED');
      expect(item.confidence).toBeGreaterThan(0);
      expect(item.confidence).toBeLessThanOrEqual(1);
    }
    const partial = first.quotes.find((quote) => quote.text === 'a good thing');
    expect(partial).toMatchObject({ kind: 'PARTIAL', speaker: { name: 'John Kirby' } });
    expect(gold.body.slice(partial?.startOffset ?? 0, partial?.endOffset ?? 0)).toBe('a good thing');
  });

  it('merges extracted actors into stored ones by name and alias, without overriding what a person stored', async () => {
    const xi = first.actors.find((actor) => actor.name === 'Xi Jinping');
    dataOf(
      await server.gql(
        `mutation { upsertActor(input: { name: "Xi Jinping", kind: PERSON, description: "Paramount leader" }) { created } }`,
      ),
    );
    const before = await rowCounts(server.db);
    dataOf(
      await server.gql(ADD, {
        input: {
          title: 'The same call, reported again',
          body: gold.body,
          slug: 'xi-call-again',
          extract: true,
          // Given annotation wins over the extractor's proposal for the same quote.
          quotes: [{ text: 'talks and negotiation', kind: 'PARTIAL', speaker: 'CCTV' }],
        },
      }),
    );
    const again = await storedArticle('xi-call-again');
    expect((await rowCounts(server.db)).actors).toBe(before.actors);
    expect(again.actors.find((actor) => actor.name === 'Xi Jinping')).toMatchObject({ id: xi?.id, description: 'Paramount leader' });
    const given = again.quotes.filter((quote) => quote.text === 'talks and negotiation');
    expect(given.map((quote) => [quote.origin, quote.confidence, quote.speaker?.name])).toEqual([['ANNOTATED', null, 'CCTV']]);
    expect(again.quotes.filter((quote) => quote.origin === 'EXTRACTED').length).toBe(first.quotes.length - 1);
  });

  it("turns a quote a person corrects into an ANNOTATED one that keeps the extractor's confidence", async () => {
    const quote = first.quotes.find((q) => q.text === 'only way out');
    expect(quote?.confidence).toBeGreaterThan(0);
    const { updateQuote } = dataOf(
      await server.gql<{ updateQuote: { quote: { origin: string; confidence: number | null; speaker: { name: string } } } }>(
        `mutation ($id: ID!) { updateQuote(id: $id, input: { speaker: "Xi Jinping" }) { quote { origin confidence speaker { name } } } }`,
        { id: quote?.id },
      ),
    );
    expect(updateQuote.quote).toEqual({ origin: 'ANNOTATED', confidence: quote?.confidence, speaker: { name: 'Xi Jinping' } });
  });

  it('reports an annotated article as ANNOTATED throughout', async () => {
    dataOf(
      await server.gql(ADD, {
        input: {
          title: 'Hand-annotated',
          body: 'Mayor Erik Dahl said: "The port reopens today."',
          actors: [{ name: 'Erik Dahl', kind: 'PERSON' }],
          quotes: [{ text: 'The port reopens today.', kind: 'DIRECT', speaker: 'Erik Dahl' }],
        },
      }),
    );
    const article = await storedArticle('hand-annotated');
    expect(article.quotes.map((quote) => [quote.origin, quote.confidence])).toEqual([['ANNOTATED', null]]);
  });
});
