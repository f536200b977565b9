import type { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExtractionPool, configureExtractionPool, extractOffThread } from '../src/services/extraction-pool.js';
import { startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seed: false });
});
afterAll(async () => {
  await closeExtractionPool();
  await server.close();
});

const EXTRACT = 'query ($body: String!) { extract(body: $body) { quotes { text speaker } } }';

/** A long article of sentences we wrote, each with a quote and a speaker. */
function longArticle(sentences: number): string {
  return Array.from({ length: sentences }, (_, i) => `"We will build road number ${i} this year," Mayor Ana Ruiz said on day ${i}.`).join(
    ' ',
  );
}

describe('extraction off the main thread', () => {
  it('answers /health while a long extraction runs, then returns the extraction', async () => {
    configureExtractionPool();
    const body = longArticle(4_000);
    expect(body.length).toBeGreaterThan(250_000);
    const order: string[] = [];
    const extraction = server
      .gql<{ extract: { quotes: { text: string; speaker: string | null }[] } }>(EXTRACT, { body })
      .then((response) => {
        order.push('extract');
        return response;
      });
    // Ask for /health once the extraction request is on its way.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const health = await fetch(new URL('/health', server.url));
    order.push('health');
    expect(health.status).toBe(200);
    const { data } = await extraction;
    expect(order).toEqual(['health', 'extract']);
    expect(data?.extract.quotes.length).toBe(4_000);
    expect(data?.extract.quotes[7]).toEqual({ text: 'We will build road number 7 this year', speaker: 'Ana Ruiz' });
  });

  it('stops an extraction past its time limit with a clear error', async () => {
    configureExtractionPool({ timeoutMs: 1 });
    const { errors } = await server.gql(EXTRACT, { body: longArticle(2_000) });
    expect(errors?.[0]?.extensions?.code).toBe('EXTRACTION_TIMEOUT');
    expect(errors?.[0]?.message).toBe(
      'Extraction took longer than the limit of 1 ms and was stopped: shorten the body or annotate it by hand',
    );
    configureExtractionPool();
    const after = await server.gql<{ extract: { quotes: unknown[] } }>(EXTRACT, { body: longArticle(3) });
    expect(after.data?.extract.quotes.length).toBe(3);
  });

  it('counts the time limit from when a thread takes an extraction, not while it waits for one', async () => {
    const limitMs = 2_000;
    configureExtractionPool({ threads: 1, timeoutMs: limitMs, maxQueue: 1_000 });
    const body = longArticle(1_000);
    // Queues that keep the one thread busy for longer each time, until one takes one and a half
    // limits: those at its end waited past the limit, and were refused as too slow when waiting counted.
    let elapsed = 0;
    for (let count = 4; elapsed < 1.5 * limitMs; count *= 2) {
      expect(count).toBeLessThanOrEqual(512);
      const started = performance.now();
      const answers = await Promise.allSettled(Array.from({ length: count }, () => extractOffThread(body, null)));
      elapsed = performance.now() - started;
      expect(answers.map((answer) => answer.status)).toEqual(Array<string>(count).fill('fulfilled'));
    }
    configureExtractionPool();
  }, 120_000);

  it('refuses an extraction when more than maxQueue wait for a thread, and runs the rest', async () => {
    configureExtractionPool({ threads: 1, maxQueue: 2 });
    const body = longArticle(200);
    const answers = await Promise.allSettled([1, 2, 3, 4].map(() => extractOffThread(body, null)));
    expect(
      answers.map((answer) =>
        answer.status === 'fulfilled' ? answer.value.quotes.length : (answer.reason as GraphQLError).extensions.code,
      ),
    ).toEqual([200, 200, 200, 'OVERLOADED']);
    configureExtractionPool();
  });
});
