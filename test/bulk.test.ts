import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddArticleInput } from '../src/generated/graphql.js';
import { saveArticles } from '../src/services/articles.js';
import { rowCounts, startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function report(n: number): AddArticleInput {
  return {
    title: `Briefing ${n % 3}`,
    body: `Spokesperson Lee said \u201Cnumber ${n}\u201D; President Xi agreed.`,
    topics: ['Briefings'],
    actors: n === 0 ? [{ name: 'Dana Lee', kind: 'PERSON', aliases: ['Spokesperson Lee'], affiliation: 'China' }] : [],
    quotes: [{ text: `number ${n}`, speaker: 'Spokesperson Lee', kind: 'PARTIAL' }],
    positions: [{ actor: 'Xi', topic: 'Briefings', stance: 'NEUTRAL', summary: 'Agreed.' }],
  };
}

describe('saving a batch of articles', () => {
  it('plans each article as if the ones before it were already written', async () => {
    const results = await saveArticles(server.storage.writer, [0, 1, 2, 3].map(report));
    expect(results.map((r) => [r.article.slug, r.outcome])).toEqual([
      ['briefing-0', 'created'],
      ['briefing-1', 'created'],
      ['briefing-2', 'created'],
      ['briefing-0-2', 'created'],
    ]);
    const lee = await server.db.actor.findUniqueOrThrow({
      where: { nameKey: 'dana lee' },
      include: { _count: { select: { quotes: true } } },
    });
    expect(lee._count.quotes).toBe(4);
    expect(await server.db.topic.count({ where: { slug: 'briefings' } })).toBe(1);
  });

  it('writes nothing when any article of the batch is invalid', async () => {
    const before = await rowCounts(server.db);
    const bad = { ...report(9), quotes: [{ text: 'number 9', speaker: 'Nobody Here', kind: 'PARTIAL' as const }] };
    await expect(saveArticles(server.storage.writer, [report(7), report(8), bad])).rejects.toThrow(
      'input.quotes[0].speaker "Nobody Here" is not a known actor; declare it in input.actors',
    );
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('uses the same number of statements for 100 articles as for 10', async () => {
    const count = async (from: number, size: number) => {
      server.statements.length = 0;
      await saveArticles(
        server.storage.writer,
        Array.from({ length: size }, (_, i) => ({ ...report(from + i), title: `Batch ${from + i}` })),
      );
      return server.statements.length;
    };
    expect(await count(100, 100)).toBe(await count(10, 10));
  });
});
