import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import type { AddArticleInput } from '../src/generated/graphql.js';
import { csvRecord, exportArticles, exportQuotesCsv, type ExportLine } from '../src/services/export.js';
import { importArticles } from '../src/services/import.js';
import { dataOf, freshDatabaseFile, startTestServer, type TestServer } from './support/harness.js';

const run = promisify(execFile);

let server: TestServer;
beforeAll(async () => {
  // The seed article, plus one that links to stored actors, adds an affiliation chain and a quote
  // full of what CSV must quote.
  server = await startTestServer();
  dataOf(
    await server.gql(`mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { slug } } }`, {
      input: {
        title: 'Harbour deal, signed',
        body: 'Dock union leader Mara Velde said \u201CWe said "no", then, at last, "yes"\u201D.\nXi welcomed it. \u201C-It is done,\u201D Velde added.',
        source: 'Port Wire, Evening',
        url: 'https://port.example/deal',
        publishedAt: '2024-03-01T10:00:00.000Z',
        topics: ['Harbour deal'],
        actors: [
          { name: 'Mara Velde', kind: 'PERSON', aliases: ['Dock union leader Mara Velde', 'Velde'], affiliation: 'Dock Union' },
          { name: 'Dock Union', kind: 'ORGANIZATION', description: 'Dockers, "all of them"', affiliation: 'China' },
        ],
        quotes: [
          { text: 'We said "no", then, at last, "yes"', speaker: 'Velde', kind: 'DIRECT', channel: 'a rally' },
          { text: '-It is done,', speaker: 'Velde', kind: 'DIRECT' },
          { text: 'Xi welcomed it.', speaker: 'Xi', kind: 'INDIRECT', origin: 'EXTRACTED', confidence: 0.75 },
        ],
        positions: [
          { actor: 'Velde', topic: 'Harbour deal', stance: 'SUPPORT', summary: 'Backs the deal.', quote: '-It is done,', confidence: 0.5 },
        ],
      },
    }),
  );
  // What no article holds: actors only upsertActor made (one affiliated with one created after it),
  // an actor an article mentions whose affiliation no article does, and a topic left without articles.
  const upsert = 'mutation ($input: ActorInput!) { upsertActor(input: $input) { created } }';
  dataOf(await server.gql(upsert, { input: { name: 'Quay Patrol', kind: 'GROUP', aliases: ['the patrol'] } }));
  dataOf(
    await server.gql(upsert, {
      input: { name: 'Harbour Authority', kind: 'ORGANIZATION', description: 'Runs the port', affiliation: 'China' },
    }),
  );
  dataOf(await server.gql(upsert, { input: { name: 'Quay Patrol', kind: 'GROUP', affiliation: 'Harbour Authority' } }));
  const add = `mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { id } } }`;
  dataOf(
    await server.gql(add, {
      input: {
        title: 'Pier closed',
        body: 'Pier warden Ida Holm closed the pier.',
        actors: [{ name: 'Ida Holm', kind: 'PERSON', affiliation: 'Harbour Authority' }],
        quotes: [{ text: 'Pier warden Ida Holm closed the pier.', speaker: 'Ida Holm', kind: 'INDIRECT' }],
      },
    }),
  );
  const { addArticle } = dataOf(
    await server.gql<{ addArticle: { article: { id: string } } }>(add, {
      input: { title: 'Dredging notice', body: 'The channel is dredged in May.', topics: ['Dredging'] },
    }),
  );
  dataOf(await server.gql('mutation ($id: ID!) { deleteArticle(id: $id) { deletedId } }', { id: addArticle.article.id }));
});
afterAll(async () => {
  await server.close();
});

/** Everything the graph holds, by names rather than ids, in a stable order. */
async function graphOf(db: Db) {
  const articles = await db.article.findMany({
    orderBy: { slug: 'asc' },
    include: {
      topics: { include: { topic: true } },
      mentions: { include: { actor: true } },
      quotes: { include: { speaker: true }, orderBy: { id: 'asc' } },
      positions: { include: { actor: true, topic: true, quote: true }, orderBy: { id: 'asc' } },
    },
  });
  const actors = await db.actor.findMany({
    orderBy: { name: 'asc' },
    include: { aliases: true, affiliation: true, _count: { select: { mentions: true } } },
  });
  return {
    articles: articles.map((a) => ({
      slug: a.slug,
      title: a.title,
      body: a.body,
      source: a.source,
      url: a.url,
      publishedAt: a.publishedAt?.toISOString() ?? null,
      topics: a.topics.map((t) => [t.topic.name, t.topic.slug]).sort(),
      mentions: a.mentions.map((m) => m.actor.name).sort(),
      quotes: a.quotes.map((q) => [q.text, q.kind, q.channel, q.speaker?.name ?? null, q.startOffset, q.endOffset, q.origin, q.confidence]),
      positions: a.positions.map((p) => [p.actor.name, p.topic.name, p.stance, p.summary, p.quote?.text ?? null, p.origin, p.confidence]),
    })),
    actors: actors.map((a) => ({
      name: a.name,
      kind: a.kind,
      description: a.description,
      aliases: a.aliases.map((x) => x.alias).sort(),
      affiliation: a.affiliation?.name ?? null,
      mentioned: a._count.mentions > 0,
    })),
    topics: (await db.topic.findMany({ orderBy: { slug: 'asc' }, include: { _count: { select: { articles: true } } } })).map((t) => [
      t.name,
      t.slug,
      t._count.articles,
    ]),
  };
}

async function exported(db: Db): Promise<ExportLine[]> {
  const lines: ExportLine[] = [];
  await exportArticles(db, (input) => {
    lines.push(input);
  });
  return lines;
}

describe('exporting articles', () => {
  it('writes each article in the shape import reads, declaring every actor it mentions', async () => {
    const lines = (await exported(server.db)).filter((line): line is AddArticleInput => 'title' in line);
    expect(lines.map((l) => l.slug)).toEqual(['xi-zelensky-phone-call', 'harbour-deal-signed', 'pier-closed']);
    const body = lines[1]?.body ?? '';
    const at = (text: string) => ({ startOffset: body.indexOf(text), endOffset: body.indexOf(text) + text.length });
    expect(lines[1]).toEqual({
      title: 'Harbour deal, signed',
      body: 'Dock union leader Mara Velde said \u201CWe said "no", then, at last, "yes"\u201D.\nXi welcomed it. \u201C-It is done,\u201D Velde added.',
      slug: 'harbour-deal-signed',
      source: 'Port Wire, Evening',
      url: 'https://port.example/deal',
      publishedAt: new Date('2024-03-01T10:00:00.000Z'),
      topics: ['Harbour deal'],
      actors: [
        {
          name: 'Xi Jinping',
          kind: 'PERSON',
          description: 'President of China',
          aliases: expect.arrayContaining(['Xi']) as unknown,
          affiliation: 'China',
        },
        { name: 'Mara Velde', kind: 'PERSON', aliases: ['Dock union leader Mara Velde', 'Velde'], affiliation: 'Dock Union' },
        { name: 'Dock Union', kind: 'ORGANIZATION', description: 'Dockers, "all of them"', affiliation: 'China' },
      ],
      quotes: [
        {
          text: 'We said "no", then, at last, "yes"',
          kind: 'DIRECT',
          speaker: 'Mara Velde',
          channel: 'a rally',
          ...at('We said "no", then, at last, "yes"'),
        },
        {
          text: 'Xi welcomed it.',
          kind: 'INDIRECT',
          speaker: 'Xi Jinping',
          ...at('Xi welcomed it.'),
          origin: 'EXTRACTED',
          confidence: 0.75,
        },
        { text: '-It is done,', kind: 'DIRECT', speaker: 'Mara Velde', ...at('-It is done,') },
      ],
      positions: [
        {
          actor: 'Mara Velde',
          topic: 'Harbour deal',
          stance: 'SUPPORT',
          summary: 'Backs the deal.',
          quote: '-It is done,',
          confidence: 0.5,
        },
      ],
    });
    expect(at('We said "no", then, at last, "yes"').startOffset).toBeGreaterThan(0);
  });

  it('writes after the articles each topic no article is about and each actor none declares whole, an affiliation first', async () => {
    const lines = await exported(server.db);
    const own = lines.filter((line) => !('title' in line));
    expect(own).toEqual([
      { topic: 'Dredging' },
      { actor: { name: 'Harbour Authority', kind: 'ORGANIZATION', description: 'Runs the port', affiliation: 'China' } },
      { actor: { name: 'Quay Patrol', kind: 'GROUP', aliases: ['the patrol'], affiliation: 'Harbour Authority' } },
      { actor: { name: 'Ida Holm', kind: 'PERSON', affiliation: 'Harbour Authority' } },
    ]);
    expect(lines.slice(-own.length)).toEqual(own);
    // In its article Ida Holm is declared without the affiliation, which no article mentions.
    const pier = lines.find((line) => 'title' in line && line.slug === 'pier-closed');
    expect(pier && 'actors' in pier ? pier.actors : null).toEqual([{ name: 'Ida Holm', kind: 'PERSON' }]);
  });

  it('gives back the same graph when its file is imported into an empty database', async () => {
    const text = (await exported(server.db)).map((line) => JSON.stringify(line)).join('\n');
    const target = await startTestServer({ seed: false });
    try {
      const summary = await importArticles(target.storage.writer, Readable.from([Buffer.from(text)]), {
        onRejected: (r) => expect.fail(`line ${r.line}: ${r.message}`),
      });
      // Ida Holm's own line gives her the affiliation her article could not: her actor is replaced.
      expect(summary).toMatchObject({ created: 6, replaced: 1, unchanged: 0, rejected: 0 });
      const original = await graphOf(server.db);
      expect(original.articles).toHaveLength(3);
      expect(original.actors.length).toBeGreaterThan(10);
      expect(original.actors.filter((a) => !a.mentioned).map((a) => a.name)).toEqual(['Harbour Authority', 'Quay Patrol']);
      expect(original.topics).toContainEqual(['Dredging', 'dredging', 0]);
      expect(await graphOf(target.db)).toEqual(original);
    } finally {
      await target.close();
    }
  });
});

describe('exporting quotes as CSV', () => {
  it.each([
    ['a plain field', ['Kirby'], 'Kirby\r\n'],
    ['a comma', ['Port Wire, Evening'], '"Port Wire, Evening"\r\n'],
    ['double quotes, doubled', ['We said "no"'], '"We said ""no"""\r\n'],
    ['a line break', ['one\ntwo', 'x'], '"one\ntwo",x\r\n'],
    ['a carriage return', ['one\rtwo'], '"one\rtwo"\r\n'],
    [
      'a formula a spreadsheet would run',
      ['=HYPERLINK("http://x")', '+1', '@a', '-It is done'],
      `"'=HYPERLINK(""http://x"")",'+1,'@a,'-It is done\r\n`,
    ],
    ['null as an empty field', [null, 'b', null], ',b,\r\n'],
  ])('quotes %s as RFC 4180 says', (_case, fields, record) => {
    expect(csvRecord(fields)).toBe(record);
  });

  it('writes a header and one record per quote, with speaker, kinds, article, source and date', async () => {
    const records: string[] = [];
    const count = await exportQuotesCsv(server.db, (r) => {
      records.push(r);
    });
    expect(count).toBe(records.length - 1);
    expect(records[0]).toBe('quote,quote_kind,speaker,speaker_kind,channel,article,article_slug,source,published_at\r\n');
    expect(records.filter((r) => r.includes('harbour-deal-signed'))).toEqual([
      '"We said ""no"", then, at last, ""yes""",DIRECT,Mara Velde,PERSON,a rally,"Harbour deal, signed",harbour-deal-signed,"Port Wire, Evening",2024-03-01T10:00:00.000Z\r\n',
      'Xi welcomed it.,INDIRECT,Xi Jinping,PERSON,,"Harbour deal, signed",harbour-deal-signed,"Port Wire, Evening",2024-03-01T10:00:00.000Z\r\n',
      `"'-It is done,",DIRECT,Mara Velde,PERSON,,"Harbour deal, signed",harbour-deal-signed,"Port Wire, Evening",2024-03-01T10:00:00.000Z\r\n`,
    ]);
  });
});

describe('npm run export', () => {
  it('writes the JSONL and the CSV, and refuses to overwrite either', async () => {
    const scratch = freshDatabaseFile();
    try {
      const jsonl = path.join(path.dirname(scratch.file), 'archive.jsonl');
      const csv = path.join(path.dirname(scratch.file), 'quotes.csv');
      const env = { ...process.env, DATABASE_URL: server.databaseUrl };
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/export.ts', jsonl, '--csv', csv], { env });
      const quotes = await server.db.quote.count();
      expect(stdout).toBe(
        `3 articles (then 1 topic and 3 actors on lines of their own) written to ${jsonl}\n${quotes} quotes written to ${csv}\n`,
      );
      expect(
        readFileSync(jsonl, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { slug?: string }).slug ?? null),
      ).toEqual(['xi-zelensky-phone-call', 'harbour-deal-signed', 'pier-closed', null, null, null, null]);
      expect(readFileSync(csv, 'utf8')).toMatch(/^\uFEFFquote,quote_kind,speaker,/);
      await expect(run(process.execPath, ['--import', 'tsx', 'src/export.ts', jsonl], { env })).rejects.toMatchObject({
        code: 1,
        stderr: `${jsonl} already exists; export never overwrites a file: remove it or name another\n`,
      });
      expect(existsSync(jsonl)).toBe(true);
    } finally {
      scratch.remove();
    }
  }, 60_000);
});
