import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, type GraphQLResponse, rowCounts, startTestServer, type TestServer } from './support/harness.js';

// Curation: deleteActor (refused while quotes or positions point to the actor, unless reassignTo
// takes them over), mergeTopics, and updateArticle's addActors / removeActors. Each test adds the
// articles it reads, with names of its own.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seed: false });
});
afterAll(() => server.close());

const ADD = 'mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { id } } }';

async function addArticle(input: Record<string, unknown>): Promise<string> {
  return dataOf(await server.gql<{ addArticle: { article: { id: string } } }>(ADD, { input })).addArticle.article.id;
}

async function idOf(query: string): Promise<string> {
  const data = dataOf(await server.gql<Record<string, { id: string } | null>>(query));
  const found = Object.values(data)[0];
  if (!found) throw new Error(`nothing found by ${query}`);
  return found.id;
}
const actorId = (name: string) => idOf(`{ actor(name: ${JSON.stringify(name)}) { id } }`);
const topicId = (slug: string) => idOf(`{ topic(slug: ${JSON.stringify(slug)}) { id } }`);

/** The first error of a refused operation, and the data it left (none). */
function refusal(response: GraphQLResponse) {
  const [error] = response.errors ?? [];
  return { data: response.data ?? null, code: error?.extensions?.code, field: error?.extensions?.field, message: error?.message };
}

const DELETE_ACTOR = 'mutation ($id: ID!, $to: ID) { deleteActor(id: $id, reassignTo: $to) { deletedId reassignedTo { name aliases } } }';

describe('deleteActor', () => {
  it('refuses while quotes or positions point to the actor, naming reassignTo, and writes nothing', async () => {
    await addArticle({
      title: 'Mill closes',
      body: '“We tried,” said Ada Stone. “It is over,” Stone added.',
      topics: ['Mill closure'],
      actors: [{ name: 'Ada Stone', kind: 'PERSON', aliases: ['Stone'] }],
      quotes: [
        { text: 'We tried,', speaker: 'Ada Stone', kind: 'DIRECT' },
        { text: 'It is over,', speaker: 'Stone', kind: 'DIRECT' },
      ],
      positions: [{ actor: 'Stone', topic: 'Mill closure', stance: 'OPPOSE', summary: 'Regrets it.' }],
    });
    const before = await rowCounts(server.db);
    const id = await actorId('Ada Stone');
    expect(refusal(await server.gql(DELETE_ACTOR, { id }))).toEqual({
      data: null,
      code: 'CONFLICT',
      field: 'reassignTo',
      message:
        'reassignTo is needed: 2 quotes and 1 position point to "Ada Stone"; give the global id of the actor to move them to, or delete them first',
    });
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('deletes an actor only mentioned: the articles stop mentioning it, its members lose their affiliation, its aliases go', async () => {
    const article = await addArticle({
      title: 'Guild meets',
      body: 'The Weavers Guild met on Monday. Its chair, Olli Laine, spoke.',
      actors: [
        { name: 'Weavers Guild', kind: 'ORGANIZATION', aliases: ['the guild', 'WG'] },
        { name: 'Olli Laine', kind: 'PERSON', affiliation: 'Weavers Guild' },
      ],
    });
    const before = await rowCounts(server.db);
    const deleted = dataOf(await server.gql<{ deleteActor: unknown }>(DELETE_ACTOR, { id: await actorId('Weavers Guild') })).deleteActor;
    expect(deleted).toEqual({ deletedId: expect.any(String) as string, reassignedTo: null });
    expect(await rowCounts(server.db)).toEqual({
      ...before,
      actors: before.actors - 1,
      aliases: before.aliases - 2,
      mentions: before.mentions - 1,
    });
    const read = dataOf(
      await server.gql<Record<string, unknown>>(
        `query ($article: ID!) {
          node(id: $article) { ... on Article { actors { name } } }
          laine: actor(name: "Olli Laine") { affiliation { name } }
          guild: actor(name: "the guild") { name }
          search(query: "Weavers") { nodes { node { __typename } } }
        }`,
        { article },
      ),
    );
    expect(read).toEqual({
      node: { actors: [{ name: 'Olli Laine' }] },
      laine: { affiliation: null },
      guild: null,
      search: { nodes: [{ node: { __typename: 'Article' } }] },
    });
  });

  it("with reassignTo moves quotes, positions, mentions and members to the other actor, and keeps none of the deleted one's names", async () => {
    await addArticle({
      title: 'Ferry talks',
      body: 'Harbour chief Eva Lind said the ferry “will run”. Deputy Karl Moe agreed.',
      topics: ['Ferry service'],
      actors: [
        { name: 'Eva Lind', kind: 'PERSON', aliases: ['Lind'] },
        { name: 'E. Lind', kind: 'PERSON', aliases: ['Chief Lind'] },
        { name: 'Karl Moe', kind: 'PERSON', affiliation: 'E. Lind' },
      ],
      quotes: [{ text: 'will run', speaker: 'E. Lind', kind: 'PARTIAL' }],
      positions: [{ actor: 'E. Lind', topic: 'Ferry service', stance: 'SUPPORT', summary: 'Wants the ferry.', quote: 'will run' }],
    });
    await addArticle({
      title: 'Ferry fares',
      body: 'Chief Lind said fares stay.',
      actors: [{ name: 'E. Lind', kind: 'PERSON' }],
    });
    const before = await rowCounts(server.db);
    const source = await actorId('E. Lind');
    const target = await actorId('Eva Lind');
    const deleted = dataOf(
      await server.gql<{ deleteActor: { deletedId: string; reassignedTo: { name: string; aliases: string[] } } }>(DELETE_ACTOR, {
        id: source,
        to: target,
      }),
    ).deleteActor;
    expect(deleted).toEqual({ deletedId: source, reassignedTo: { name: 'Eva Lind', aliases: ['Lind'] } });
    // One actor and its one alias gone; "Ferry talks" mentioned both, so it keeps one mention of Eva Lind.
    expect(await rowCounts(server.db)).toEqual({
      ...before,
      actors: before.actors - 1,
      aliases: before.aliases - 1,
      mentions: before.mentions - 1,
    });
    const lind = dataOf(
      await server.gql<Record<string, unknown>>(`{
        actor(name: "Eva Lind") { quotes { nodes { text } } positions { nodes { stance topic { name } } } articles { nodes { title } } members { nodes { name } } }
        old: actor(name: "Chief Lind") { name }
      }`),
    );
    expect(lind).toEqual({
      actor: {
        quotes: { nodes: [{ text: 'will run' }] },
        positions: { nodes: [{ stance: 'SUPPORT', topic: { name: 'Ferry service' } }] },
        articles: { nodes: [{ title: 'Ferry fares' }, { title: 'Ferry talks' }] },
        members: { nodes: [{ name: 'Karl Moe' }] },
      },
      old: null,
    });
  });

  it.each([
    ['itself', async (id: string) => id, 'BAD_USER_INPUT', 'reassignTo is the actor being deleted; give another actor to take over'],
    [
      'an actor that does not exist',
      async () => 'QWN0b3I6OTk5OQ',
      'NOT_FOUND',
      'reassignTo "QWN0b3I6OTk5OQ" names no Actor; it may have been deleted',
    ],
    ['something that is not an actor id', async () => 'Eva Lind', 'BAD_USER_INPUT', 'reassignTo "Eva Lind" is not a valid Actor id'],
  ])('refuses reassignTo naming %s, and writes nothing', async (_name, to, code, message) => {
    const before = await rowCounts(server.db);
    const id = await actorId('Ada Stone');
    const refused = refusal(await server.gql(DELETE_ACTOR, { id, to: await to(id) }));
    expect({ code: refused.code, message: refused.message }).toEqual({ code, message });
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('refuses a reassignment that would make an affiliation cycle', async () => {
    // Nora belongs to the Union; the Council belongs to Nora. Moving the Union's members (Nora) to
    // the Council would make Nora and the Council each other's affiliation.
    await addArticle({
      title: 'Council and union',
      body: 'The Dock Union and the Town Council met Nora Vik.',
      actors: [
        { name: 'Dock Union', kind: 'ORGANIZATION' },
        { name: 'Nora Vik', kind: 'PERSON', affiliation: 'Dock Union' },
        { name: 'Town Council', kind: 'ORGANIZATION', affiliation: 'Nora Vik' },
      ],
    });
    const before = await rowCounts(server.db);
    const refused = refusal(await server.gql(DELETE_ACTOR, { id: await actorId('Dock Union'), to: await actorId('Town Council') }));
    expect(refused).toEqual({
      data: null,
      code: 'BAD_USER_INPUT',
      field: 'reassignTo',
      message:
        'reassignTo "Town Council" taking over the members of "Dock Union" would make an affiliation cycle: "Nora Vik" is affiliated with "Dock Union" and "Town Council", directly or not, with "Nora Vik"; change one of these affiliations first',
    });
    expect(await rowCounts(server.db)).toEqual(before);
  });
});

const MERGE_TOPICS =
  'mutation ($source: ID!, $target: ID!) { mergeTopics(sourceId: $source, targetId: $target) { removedId topic { name } } }';

describe('mergeTopics', () => {
  it('moves positions and article links, collapsing the positions the target already holds', async () => {
    const actors = [
      { name: 'Pia Holm', kind: 'PERSON' },
      { name: 'Jon Dahl', kind: 'PERSON' },
    ];
    await addArticle({
      title: 'Bridge vote',
      body: 'Pia Holm said the bridge is “worth it”. Jon Dahl hesitated.',
      topics: ['New bridge', 'Bridge project'],
      actors,
      quotes: [{ text: 'worth it', speaker: 'Pia Holm', kind: 'PARTIAL' }],
      positions: [
        // The same claim under both topics: one survives the merge, with the quote as evidence.
        { actor: 'Pia Holm', topic: 'New bridge', stance: 'SUPPORT', summary: 'For it.' },
        { actor: 'Pia Holm', topic: 'Bridge project', stance: 'SUPPORT', summary: 'For the project.', quote: 'worth it' },
        // Another stance of the same actor in the same article stays beside it.
        { actor: 'Jon Dahl', topic: 'New bridge', stance: 'MIXED', summary: 'Unsure.' },
        { actor: 'Jon Dahl', topic: 'Bridge project', stance: 'OPPOSE', summary: 'Against the cost.' },
      ],
    });
    await addArticle({
      title: 'Bridge costs',
      body: 'Jon Dahl counted the costs.',
      topics: ['Bridge project'],
      actors: [actors[1]],
      positions: [{ actor: 'Jon Dahl', topic: 'Bridge project', stance: 'OPPOSE', summary: 'Too dear.' }],
    });
    const before = await rowCounts(server.db);
    const source = await topicId('bridge-project');
    const merged = dataOf(
      await server.gql<{ mergeTopics: unknown }>(MERGE_TOPICS, { source, target: await topicId('new-bridge') }),
    ).mergeTopics;
    expect(merged).toEqual({ removedId: source, topic: { name: 'New bridge' } });
    // One topic, one duplicate position, and the link of the article about both gone.
    expect(await rowCounts(server.db)).toEqual({
      ...before,
      topics: before.topics - 1,
      positions: before.positions - 1,
      articleTopics: before.articleTopics - 1,
    });
    const read = dataOf(
      await server.gql<Record<string, unknown>>(`{
        topic(slug: "new-bridge") { positions { nodes { actor { name } stance summary quote { text } article { title } } } articles { nodes { title topics { name } } } }
        old: topic(slug: "bridge-project") { name }
      }`),
    );
    expect(read).toEqual({
      topic: {
        positions: {
          nodes: [
            {
              actor: { name: 'Pia Holm' },
              stance: 'SUPPORT',
              summary: 'For it.',
              quote: { text: 'worth it' },
              article: { title: 'Bridge vote' },
            },
            { actor: { name: 'Jon Dahl' }, stance: 'MIXED', summary: 'Unsure.', quote: null, article: { title: 'Bridge vote' } },
            { actor: { name: 'Jon Dahl' }, stance: 'OPPOSE', summary: 'Against the cost.', quote: null, article: { title: 'Bridge vote' } },
            { actor: { name: 'Jon Dahl' }, stance: 'OPPOSE', summary: 'Too dear.', quote: null, article: { title: 'Bridge costs' } },
          ],
        },
        articles: {
          nodes: expect.arrayContaining([
            { title: 'Bridge vote', topics: [{ name: 'New bridge' }] },
            { title: 'Bridge costs', topics: [{ name: 'New bridge' }] },
          ]) as unknown,
        },
      },
      old: null,
    });
  });

  it.each([
    ['the same topic twice', 'same', 'BAD_USER_INPUT', 'targetId is the same topic as sourceId; a topic cannot be merged into itself'],
    ['a topic that does not exist', 'VG9waWM6OTk5OQ', 'NOT_FOUND', 'targetId "VG9waWM6OTk5OQ" names no Topic; it may have been deleted'],
  ])('refuses %s and writes nothing', async (_name, target, code, message) => {
    const before = await rowCounts(server.db);
    const source = await topicId('new-bridge');
    const refused = refusal(await server.gql(MERGE_TOPICS, { source, target: target === 'same' ? source : target }));
    expect({ code: refused.code, message: refused.message }).toEqual({ code, message });
    expect(await rowCounts(server.db)).toEqual(before);
  });
});

const EDIT_ACTORS = `mutation ($id: ID!, $input: UpdateArticleInput!) {
  updateArticle(id: $id, input: $input) { article { actors { name } quotes { text } updatedAt } }
}`;

describe("updateArticle's addActors and removeActors", () => {
  let article = '';
  beforeAll(async () => {
    article = await addArticle({
      title: 'Quay repairs',
      body: '“Repairs start soon,” said Lea Berg. Mats Ek listened.',
      topics: ['Quay repairs'],
      actors: [
        { name: 'Lea Berg', kind: 'PERSON', aliases: ['Berg'] },
        { name: 'Mats Ek', kind: 'PERSON' },
        { name: 'Quay Office', kind: 'ORGANIZATION' },
      ],
      quotes: [{ text: 'Repairs start soon,', speaker: 'Lea Berg', kind: 'DIRECT' }],
      positions: [{ actor: 'Mats Ek', topic: 'Quay repairs', stance: 'NEUTRAL', summary: 'Listens.' }],
    });
    await addArticle({
      title: 'Harbour staff',
      body: 'Sven Ahl and the Port Police.',
      actors: [
        { name: 'Sven Ahl', kind: 'PERSON' },
        { name: 'Port Police', kind: 'ORGANIZATION' },
      ],
    });
  });

  it('adds stored actors by name, alias or global id, and removes mentioned ones, in one transaction', async () => {
    const updated = (await server.db.article.findFirstOrThrow({ where: { title: 'Quay repairs' } })).updatedAt;
    const changed = dataOf(
      await server.gql<{ updateArticle: { article: { actors: { name: string }[]; updatedAt: string } } }>(EDIT_ACTORS, {
        id: article,
        input: { addActors: ['sven ahl', await actorId('Port Police'), 'Berg'], removeActors: ['Quay Office'] },
      }),
    ).updateArticle.article;
    expect(changed.actors).toEqual([{ name: 'Lea Berg' }, { name: 'Mats Ek' }, { name: 'Port Police' }, { name: 'Sven Ahl' }]);
    expect(new Date(changed.updatedAt).getTime()).toBeGreaterThan(updated.getTime());
  });

  it('removes a speaker when the same call removes its quotes', async () => {
    const quotes = dataOf(
      await server.gql<{ node: { quotes: { id: string }[] } }>('query ($id: ID!) { node(id: $id) { ... on Article { quotes { id } } } }', {
        id: article,
      }),
    ).node.quotes;
    expect(quotes).toHaveLength(1);
    const changed = dataOf(
      await server.gql<{ updateArticle: { article: { actors: { name: string }[]; quotes: unknown[] } } }>(EDIT_ACTORS, {
        id: article,
        input: { removeQuotes: quotes.map((q) => q.id), removeActors: ['Lea Berg'] },
      }),
    ).updateArticle.article;
    expect(changed.actors).toEqual([{ name: 'Mats Ek' }, { name: 'Port Police' }, { name: 'Sven Ahl' }]);
    expect(changed.quotes).toEqual([]);
  });

  it.each([
    [
      'an actor that takes a position in the article',
      { removeActors: ['Mats Ek'] },
      'input.removeActors[0]',
      'input.removeActors[0] "Mats Ek" takes a position on "Quay repairs" in this article; delete the position first',
    ],
    [
      'an actor the article does not mention',
      { removeActors: ['Quay Office'] },
      'input.removeActors[0]',
      'input.removeActors[0] "Quay Office" is not mentioned by this article',
    ],
    [
      'an actor that is not stored',
      { addActors: ['Sven Ahl', 'Nobody Here'] },
      'input.addActors[1]',
      'input.addActors[1] "Nobody Here" is not a known actor; add it with upsertActor first',
    ],
    [
      'an actor both added and removed',
      { addActors: ['Sven Ahl'], removeActors: ['Sven Ahl'] },
      'input.removeActors[0]',
      'input.removeActors[0] "Sven Ahl" is also in input.addActors',
    ],
    [
      'more actors than an article may mention',
      { addActors: Array.from({ length: 201 }, () => 'Sven Ahl') },
      'input.addActors',
      'input.addActors lists 201 actors; the limit is 200',
    ],
    ['null for the list', { addActors: null }, 'input.addActors', 'input.addActors cannot be null; omit it to keep the current value'],
  ])('refuses %s, and writes nothing', async (_name, input, field, message) => {
    const before = await rowCounts(server.db);
    expect(refusal(await server.gql(EDIT_ACTORS, { id: article, input: { title: 'Renamed', ...input } }))).toEqual({
      data: null,
      code: 'BAD_USER_INPUT',
      field,
      message,
    });
    expect(await rowCounts(server.db)).toEqual(before);
    expect((await server.db.article.findFirst({ where: { title: 'Renamed' } })) === null).toBe(true);
  });

  it('refuses to remove a speaker of a quote that stays', async () => {
    const id = await addArticle({
      title: 'Quay opening',
      body: '“Open at last,” said Sven Ahl.',
      actors: [{ name: 'Sven Ahl', kind: 'PERSON' }],
      quotes: [{ text: 'Open at last,', speaker: 'Sven Ahl', kind: 'DIRECT' }],
    });
    expect(refusal(await server.gql(EDIT_ACTORS, { id, input: { removeActors: ['Sven Ahl'] } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.removeActors[0]',
      message:
        'input.removeActors[0] "Sven Ahl" speaks in this article ("Open at last,"); remove the quote with input.removeQuotes or change its speaker first',
    });
  });
});

describe('the curation mutations, as every mutation', () => {
  it('need the write token when the server has one', async () => {
    const guarded = await startTestServer({ seed: false, server: { writeToken: 'curation-token' } });
    try {
      for (const query of [
        'mutation { deleteActor(id: "QWN0b3I6MQ") { deletedId } }',
        'mutation { mergeTopics(sourceId: "VG9waWM6MQ", targetId: "VG9waWM6Mg") { removedId } }',
        'mutation { updateArticle(id: "QXJ0aWNsZTox", input: { addActors: ["Xi"] }) { article { id } } }',
      ]) {
        const response = await fetch(guarded.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        expect(response.status).toBe(401);
        expect(((await response.json()) as GraphQLResponse).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
    } finally {
      await guarded.close();
    }
  });

  it('empty the response cache, so the next read sees the change', async () => {
    const cached = await startTestServer({ seed: false, server: { responseCacheEntries: 10 } });
    try {
      await cached.gql(ADD, {
        input: {
          title: 'Two names',
          body: '“Yes,” said Rune Aas. “No,” said R. Aas.',
          actors: [
            { name: 'Rune Aas', kind: 'PERSON' },
            { name: 'R. Aas', kind: 'PERSON' },
          ],
          quotes: [
            { text: 'Yes,', speaker: 'Rune Aas', kind: 'DIRECT' },
            { text: 'No,', speaker: 'R. Aas', kind: 'DIRECT' },
          ],
        },
      });
      const STATS = '{ quoteStats(groupBy: [SPEAKER]) { count speaker { name } } }';
      const groups = async () => dataOf(await cached.gql<{ quoteStats: unknown[] }>(STATS)).quoteStats;
      expect(await groups()).toEqual([
        { count: 1, speaker: { name: 'Rune Aas' } },
        { count: 1, speaker: { name: 'R. Aas' } },
      ]);
      expect(await groups()).toHaveLength(2);
      const ids = dataOf(
        await cached.gql<Record<string, { id: string }>>('{ a: actor(name: "R. Aas") { id } b: actor(name: "Rune Aas") { id } }'),
      );
      dataOf(await cached.gql(DELETE_ACTOR, { id: ids.a?.id, to: ids.b?.id }));
      expect(await groups()).toEqual([{ count: 2, speaker: { name: 'Rune Aas' } }]);
    } finally {
      await cached.close();
    }
  });
});
