import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, rowCounts, startTestServer, type TestServer } from './support/harness.js';

// The seed stores China (COUNTRY, aliases Beijing and Chinese) and Xi Jinping (PERSON, "President
// of China", affiliated with China, alias Xi).
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const ADD = `mutation ($input: AddArticleInput!) {
  addArticle(input: $input) {
    created
    article { slug }
    actors { name outcome addedAliases filled keptAsStored actor { name kind description aliases affiliation { name } } }
  }
}`;

interface Declared {
  name: string;
  outcome: string;
  addedAliases: string[];
  filled: string[];
  keptAsStored: string[];
  actor: { name: string; kind: string; description: string | null; aliases: string[]; affiliation: { name: string } | null };
}
interface Added {
  addArticle: { created: boolean; article: { slug: string }; actors: Declared[] };
}

let titles = 0;
const article = (actors: unknown[], extra: Record<string, unknown> = {}) => ({
  title: `Declarations ${(titles += 1)}`,
  body: 'Officials met in the capital on Monday.',
  actors,
  ...extra,
});

const STORED =
  '{ actor(name: "China") { name kind description aliases } xi: actor(name: "Xi Jinping") { kind description affiliation { name } } }';

async function storedActors() {
  return dataOf(await server.gql(STORED));
}

describe('an actor declaration never silently changes a stored actor', () => {
  it('refuses a new name whose alias already names a stored actor, naming both, and writes nothing', async () => {
    const before = await rowCounts(server.db);
    const stored = await storedActors();
    const response = await server.gql(ADD, {
      input: article([{ name: 'Chinese Restaurant Association', kind: 'ORGANIZATION', aliases: ['Chinese'] }]),
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.actors[0].aliases[0]' });
    expect(response.errors?.[0]?.message).toBe(
      'input.actors[0].aliases[0] "Chinese" already names the actor "China", and an alias names one actor only: input.actors[0].name "Chinese Restaurant Association" is not stored, so leave the alias out to create it, or declare "China" to link to that actor',
    );
    expect(await rowCounts(server.db)).toEqual(before);
    expect(await storedActors()).toEqual(stored);
  });

  it('refuses a declared kind that differs from the stored one, and writes nothing', async () => {
    const before = await rowCounts(server.db);
    const response = await server.gql(ADD, { input: article([{ name: 'Beijing', kind: 'PERSON' }]) });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.actors[0].name' });
    expect(response.errors?.[0]?.message).toBe(
      'input.actors[0].name "Beijing" names the actor "China", a COUNTRY already stored, not a PERSON: declare it as COUNTRY to link to it, give another actor another name, or change the stored kind with upsertActor("China")',
    );
    expect(await rowCounts(server.db)).toEqual(before);
    expect((await storedActors()).actor).toMatchObject({ name: 'China', kind: 'COUNTRY' });
  });

  it('links by an alias, keeps a differing description and affiliation as stored, and says so', async () => {
    const added = dataOf(
      await server.gql<Added>(ADD, {
        input: article([
          { name: 'Kenya', kind: 'COUNTRY' },
          { name: 'Xi', kind: 'PERSON', description: 'Chinese leader', affiliation: 'Kenya', aliases: ['Mr Xi'] },
        ]),
      }),
    ).addArticle;
    expect(added.created).toBe(true);
    expect(
      added.actors.map(({ name, outcome, addedAliases, filled, keptAsStored }) => [name, outcome, addedAliases, filled, keptAsStored]),
    ).toEqual([
      ['Kenya', 'CREATED', [], [], []],
      ['Xi', 'LINKED', ['Mr Xi'], [], ['DESCRIPTION', 'AFFILIATION']],
    ]);
    expect(added.actors[1]?.actor).toMatchObject({
      name: 'Xi Jinping',
      kind: 'PERSON',
      description: 'President of China',
      affiliation: { name: 'China' },
    });
    expect(added.actors[1]?.actor.aliases).toContain('Mr Xi');
  });

  it('fills a description and an affiliation the stored actor lacks, and says so', async () => {
    const first = dataOf(await server.gql<Added>(ADD, { input: article([{ name: 'Nadia Orlov', kind: 'PERSON' }]) })).addArticle;
    expect(first.actors[0]).toMatchObject({ outcome: 'CREATED', actor: { description: null, affiliation: null } });
    const second = dataOf(
      await server.gql<Added>(ADD, {
        input: article([{ name: 'Nadia Orlov', kind: 'PERSON', description: 'Trade negotiator', affiliation: 'China' }]),
      }),
    ).addArticle;
    expect(second.actors[0]).toMatchObject({
      outcome: 'LINKED',
      filled: ['DESCRIPTION', 'AFFILIATION'],
      keptAsStored: [],
      actor: { name: 'Nadia Orlov', description: 'Trade negotiator', affiliation: { name: 'China' } },
    });
  });
});

describe('upsertActor', () => {
  const UPSERT = 'mutation ($input: ActorInput!) { upsertActor(input: $input) { created actor { name kind description } } }';

  it('refuses to change a stored actor named only by an alias', async () => {
    const before = await rowCounts(server.db);
    const response = await server.gql(UPSERT, { input: { name: 'Xi', kind: 'ORGANIZATION' } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
    expect(response.errors?.[0]?.message).toMatch(
      /^input\.name "Xi" names the actor "Xi Jinping", a PERSON already stored, not an? ORGANIZATION/,
    );
    const described = await server.gql(UPSERT, { input: { name: 'Xi', kind: 'PERSON', description: 'Someone else' } });
    expect(described.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
    expect(described.errors?.[0]?.message).toBe(
      'input.name "Xi" is an alias of the stored actor "Xi Jinping", whose description it would change: name it by its canonical name "Xi Jinping" to change it',
    );
    expect(await rowCounts(server.db)).toEqual(before);
    expect((await storedActors()).xi).toMatchObject({ kind: 'PERSON', description: 'President of China' });
  });

  it('finds a stored actor by an alias when nothing would change', async () => {
    const found = dataOf(
      await server.gql<{ upsertActor: { created: boolean; actor: { name: string } } }>(UPSERT, { input: { name: 'Xi', kind: 'PERSON' } }),
    );
    expect(found.upsertActor).toEqual({ created: false, actor: { name: 'Xi Jinping', kind: 'PERSON', description: 'President of China' } });
  });

  it('changes a stored actor named by its canonical name', async () => {
    await server.gql(UPSERT, { input: { name: 'Lena Park', kind: 'PERSON', description: 'Economist' } });
    const changed = dataOf(
      await server.gql<{ upsertActor: { created: boolean; actor: { kind: string; description: string } } }>(UPSERT, {
        input: { name: 'Lena Park', kind: 'ORGANIZATION', description: 'A consultancy' },
      }),
    );
    expect(changed.upsertActor).toEqual({
      created: false,
      actor: { name: 'Lena Park', kind: 'ORGANIZATION', description: 'A consultancy' },
    });
  });
});

describe('a second submission of the same article', () => {
  it('returns the stored article and writes nothing when the input is the same', async () => {
    const input = article([{ name: 'Ola Berg', kind: 'PERSON' }]);
    const first = dataOf(await server.gql<Added>(ADD, { input })).addArticle;
    const before = await rowCounts(server.db);
    const again = dataOf(await server.gql<Added>(ADD, { input })).addArticle;
    expect(again).toEqual({ created: false, article: first.article, actors: [] });
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('refuses the same title and body with another annotation as CONFLICT, naming the stored article', async () => {
    const input = article([]);
    const { slug } = dataOf(await server.gql<Added>(ADD, { input })).addArticle.article;
    const before = await rowCounts(server.db);
    const response = await server.gql(ADD, { input: { ...input, source: 'Another Wire' } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.body' });
    expect(response.errors?.[0]?.message).toBe(
      `input.body is the body of the stored article "${slug}" under the same title: change that article with updateArticle, or give this one another title`,
    );
    expect(await rowCounts(server.db)).toEqual(before);
  });
});
