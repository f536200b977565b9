import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, rowCounts, startTestServer, type TestServer } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const SEED = 'xi-zelensky-phone-call';

async function idOf(query: string): Promise<string> {
  const data = dataOf(await server.gql<Record<string, { id: string }>>(query));
  const [object] = Object.values(data);
  if (!object) throw new Error(`nothing found by ${query}`);
  return object.id;
}

const articleId = () => idOf(`{ article(slug: "${SEED}") { id } }`);
const actorId = (name: string) => idOf(`{ actor(name: "${name}") { id } }`);

async function addArticle(input: Record<string, unknown>): Promise<string> {
  const data = dataOf(
    await server.gql<{ addArticle: { article: { id: string } } }>(
      `mutation ($input: AddArticleInput!) { addArticle(input: $input) { article { id } } }`,
      { input },
    ),
  );
  return data.addArticle.article.id;
}

describe('updateArticle', () => {
  it('changes metadata and keeps quote offsets valid after a body edit', async () => {
    const id = await addArticle({
      title: 'Draft',
      body: 'Ana Ruiz said \u201Cwe will rebuild\u201D on Monday.',
      actors: [{ name: 'Ana Ruiz', kind: 'PERSON' }],
      quotes: [{ text: 'we will rebuild', speaker: 'Ana Ruiz', kind: 'PARTIAL' }],
    });
    const response = await server.gql<{
      updateArticle: {
        article: { title: string; source: string; body: string; quotes: { text: string; startOffset: number; endOffset: number }[] };
      };
    }>(
      `mutation ($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { article { title source body quotes { text startOffset endOffset } } } }`,
      { id, input: { title: 'Final', source: 'Desk', body: 'On Monday, the mayor Ana Ruiz said \u201Cwe will rebuild\u201D.' } },
    );
    const { article } = dataOf(response).updateArticle;
    expect(article.title).toBe('Final');
    expect(article.source).toBe('Desk');
    expect(article.quotes).toEqual([{ text: 'we will rebuild', startOffset: 36, endOffset: 51 }]);
    expect(article.body.slice(36, 51)).toBe('we will rebuild');
  });

  it('removes quotes that the new body drops when asked in the same call', async () => {
    const id = await addArticle({
      title: 'Two quotes',
      body: '\u201CFirst words\u201D and \u201Csecond words\u201D.',
      quotes: [
        { text: 'First words', kind: 'DIRECT' },
        { text: 'second words', kind: 'DIRECT' },
      ],
    });
    const quotes = dataOf(
      await server.gql<{ node: { quotes: { id: string; text: string }[] } }>(
        `query ($id: ID!) { node(id: $id) { ... on Article { quotes { id text } } } }`,
        { id },
      ),
    ).node.quotes;
    const rejected = await server.gql(
      `mutation ($id: ID!) { updateArticle(id: $id, input: { body: "\u201CFirst words\u201D only." }) { article { id } } }`,
      { id },
    );
    expect(rejected.errors?.[0]?.message).toBe(
      'input.body no longer contains the DIRECT quote "second words"; remove it in the same call with input.removeQuotes',
    );
    const accepted = dataOf(
      await server.gql<{ updateArticle: { article: { quotes: { text: string }[] } } }>(
        `mutation ($id: ID!, $remove: [ID!]) { updateArticle(id: $id, input: { body: "\u201CFirst words\u201D only.", removeQuotes: $remove }) { article { quotes { text } } } }`,
        { id, remove: [quotes[1]?.id] },
      ),
    );
    expect(accepted.updateArticle.article.quotes).toEqual([{ text: 'First words' }]);
  });
});

describe('quotes and positions', () => {
  it('adds, updates and deletes a quote, recomputing its offsets', async () => {
    const article = await articleId();
    const added = dataOf(
      await server.gql<{ addQuote: { quote: { id: string; startOffset: number; speaker: { name: string } } } }>(
        `mutation ($article: ID!) { addQuote(input: { article: $article, text: "position paper", speaker: "Beijing", kind: PARTIAL }) { quote { id startOffset speaker { name } } } }`,
        { article },
      ),
    ).addQuote.quote;
    expect(added.speaker.name).toBe('China');
    expect(added.startOffset).toBe(591);
    const updated = dataOf(
      await server.gql<{
        updateQuote: { quote: { text: string; startOffset: number; endOffset: number; speaker: null; channel: string } };
      }>(
        `mutation ($id: ID!) { updateQuote(id: $id, input: { text: "special representative", speaker: null, channel: "a statement" }) { quote { text startOffset endOffset speaker { name } channel } } }`,
        { id: added.id },
      ),
    ).updateQuote.quote;
    expect(updated).toEqual({ text: 'special representative', startOffset: 1496, endOffset: 1518, speaker: null, channel: 'a statement' });
    const deleted = dataOf(
      await server.gql<{ deleteQuote: { deletedId: string; article: { quotes: { id: string }[] } } }>(
        `mutation ($id: ID!) { deleteQuote(id: $id) { deletedId article { quotes { id } } } }`,
        { id: added.id },
      ),
    ).deleteQuote;
    expect(deleted.deletedId).toBe(added.id);
    expect(deleted.article.quotes.map((q) => q.id)).not.toContain(added.id);
    expect(deleted.article.quotes).toHaveLength(16);
  });

  it('adds a position on a new topic, updates and deletes it', async () => {
    const article = await articleId();
    const added = dataOf(
      await server.gql<{
        addPosition: {
          position: {
            id: string;
            stance: string;
            topic: { slug: string };
            quote: { text: string };
            article: { topics: { name: string }[] };
          };
        };
      }>(
        `mutation ($article: ID!) { addPosition(input: { article: $article, actor: "Kirby", topic: "US view of China", stance: MIXED, summary: "Welcomes, doubts.", quote: "a good thing" }) {
          position { id stance topic { slug } quote { text } article { topics { name } } } } }`,
        { article },
      ),
    ).addPosition.position;
    expect(added).toMatchObject({ stance: 'MIXED', topic: { slug: 'us-view-of-china' }, quote: { text: 'a good thing' } });
    expect(added.article.topics.map((t) => t.name)).toContain('US view of China');
    const updated = dataOf(
      await server.gql<{ updatePosition: { position: { stance: string; summary: string; quote: null } } }>(
        `mutation ($id: ID!) { updatePosition(id: $id, input: { stance: SUPPORT, summary: "Welcomes it.", quote: null }) { position { stance summary quote { text } } } }`,
        { id: added.id },
      ),
    ).updatePosition.position;
    expect(updated).toEqual({ stance: 'SUPPORT', summary: 'Welcomes it.', quote: null });
    const deleted = dataOf(
      await server.gql<{ deletePosition: { deletedId: string } }>(`mutation ($id: ID!) { deletePosition(id: $id) { deletedId } }`, {
        id: added.id,
      }),
    );
    expect(deleted.deletePosition.deletedId).toBe(added.id);
    expect(dataOf(await server.gql<{ node: null }>(`query ($id: ID!) { node(id: $id) { id } }`, { id: added.id })).node).toBeNull();
  });
});

describe('actors', () => {
  it('creates an actor with upsertActor, then updates it through an alias', async () => {
    const created = dataOf(
      await server.gql<{ upsertActor: { created: boolean; actor: { name: string; aliases: string[]; affiliation: { name: string } } } }>(
        `mutation { upsertActor(input: { name: "Wang Yi", kind: PERSON, aliases: ["Wang"], affiliation: "China" }) { created actor { name aliases affiliation { name } } } }`,
      ),
    ).upsertActor;
    expect(created).toEqual({ created: true, actor: { name: 'Wang Yi', aliases: ['Wang'], affiliation: { name: 'China' } } });
    const updated = dataOf(
      await server.gql<{ upsertActor: { created: boolean; actor: { name: string; description: string; aliases: string[] } } }>(
        `mutation { upsertActor(input: { name: "Wang", kind: PERSON, description: "Foreign minister of China", aliases: ["Foreign Minister Wang Yi"] }) { created actor { name description aliases } } }`,
      ),
    ).upsertActor;
    expect(updated).toEqual({
      created: false,
      actor: { name: 'Wang Yi', description: 'Foreign minister of China', aliases: ['Wang', 'Foreign Minister Wang Yi'] },
    });
  });

  it('adds and removes an alias', async () => {
    const actor = await actorId('Stoltenberg');
    const added = dataOf(
      await server.gql<{ addActorAlias: { actor: { aliases: string[] } } }>(
        `mutation ($actor: ID!) { addActorAlias(input: { actor: $actor, alias: "NATO chief" }) { actor { aliases } } }`,
        { actor },
      ),
    );
    expect(added.addActorAlias.actor.aliases).toEqual(['Stoltenberg', 'NATO chief']);
    const removed = dataOf(
      await server.gql<{ removeActorAlias: { actor: { aliases: string[] } } }>(
        `mutation ($actor: ID!) { removeActorAlias(input: { actor: $actor, alias: "nato CHIEF" }) { actor { aliases } } }`,
        { actor },
      ),
    );
    expect(removed.removeActorAlias.actor.aliases).toEqual(['Stoltenberg']);
  });

  it('merges "Xi" stored as a second person into Xi Jinping', async () => {
    await addArticle({
      title: 'Xi speaks',
      body: 'Jinping Xi said \u201Cwe are ready\u201D.',
      actors: [{ name: 'Jinping Xi', kind: 'PERSON', description: 'Duplicate entry' }],
      quotes: [{ text: 'we are ready', speaker: 'Jinping Xi', kind: 'PARTIAL' }],
      topics: ['Readiness'],
      positions: [{ actor: 'Jinping Xi', topic: 'Readiness', stance: 'SUPPORT', summary: 'Ready.' }],
    });
    const source = await actorId('Jinping Xi');
    const target = await actorId('Xi Jinping');
    const before = await rowCounts(server.db);
    const merged = dataOf(
      await server.gql<{
        mergeActors: {
          removedId: string;
          actor: {
            name: string;
            aliases: string[];
            quotes: { totalCount: number };
            positions: { nodes: unknown[] };
            articles: { totalCount: number };
          };
        };
      }>(
        `mutation ($source: ID!, $target: ID!) { mergeActors(sourceId: $source, targetId: $target) {
          removedId actor { name aliases quotes { totalCount } positions { nodes { stance } } articles { totalCount } } } }`,
        { source, target },
      ),
    ).mergeActors;
    expect(merged.removedId).toBe(source);
    expect(merged.actor.name).toBe('Xi Jinping');
    expect(merged.actor.aliases).toContain('Jinping Xi');
    expect(merged.actor.quotes.totalCount).toBe(6);
    expect(merged.actor.positions.nodes).toHaveLength(3);
    expect(merged.actor.articles.totalCount).toBe(2);
    expect(await rowCounts(server.db)).toEqual({ ...before, actors: before.actors - 1, aliases: before.aliases + 1 });
    expect(dataOf(await server.gql<{ actor: { name: string } }>(`{ actor(name: "jinping xi") { name } }`)).actor.name).toBe('Xi Jinping');
  });
});

describe('topics and articles', () => {
  it('finds a topic by its name as well as its slug, as the filters do', async () => {
    const bySlug = await idOf(`{ topic(slug: "chinas-neutrality") { id } }`);
    expect(await idOf(`{ topic(slug: "China's neutrality") { id } }`)).toBe(bySlug);
    expect(dataOf(await server.gql(`{ topic(slug: "No such topic") { id } }`))).toEqual({ topic: null });
  });

  it('renames a topic, moving its slug', async () => {
    const id = await idOf(`{ topic(slug: "chinas-neutrality") { id } }`);
    const renamed = dataOf(
      await server.gql<{ renameTopic: { topic: { name: string; slug: string } } }>(
        `mutation ($id: ID!) { renameTopic(id: $id, name: "Neutrality of China") { topic { name slug } } }`,
        { id },
      ),
    );
    expect(renamed.renameTopic.topic).toEqual({ name: 'Neutrality of China', slug: 'neutrality-of-china' });
  });

  it('deletes a topic with its positions but keeps the articles', async () => {
    const id = await idOf(`{ topic(slug: "neutrality-of-china") { id } }`);
    const before = await rowCounts(server.db);
    const deleted = dataOf(
      await server.gql<{ deleteTopic: { deletedId: string } }>(`mutation ($id: ID!) { deleteTopic(id: $id) { deletedId } }`, { id }),
    );
    expect(deleted.deleteTopic.deletedId).toBe(id);
    expect(await rowCounts(server.db)).toEqual({
      ...before,
      topics: before.topics - 1,
      positions: before.positions - 1,
      articleTopics: before.articleTopics - 1,
    });
  });

  it('deletes an article with its quotes, positions and mentions, never its actors or topics', async () => {
    const id = await articleId();
    const before = await rowCounts(server.db);
    const deleted = dataOf(
      await server.gql<{ deleteArticle: { deletedId: string } }>(`mutation ($id: ID!) { deleteArticle(id: $id) { deletedId } }`, { id }),
    );
    expect(deleted.deleteArticle.deletedId).toBe(id);
    const after = await rowCounts(server.db);
    expect(after.articles).toBe(before.articles - 1);
    expect(after.actors).toBe(before.actors);
    expect(after.topics).toBe(before.topics);
    expect(await server.db.quote.count({ where: { article: { slug: SEED } } })).toBe(0);
    expect(after.quotes).toBeLessThan(before.quotes - 10);
    expect(dataOf(await server.gql<{ article: null }>(`{ article(slug: "${SEED}") { id } }`)).article).toBeNull();
  });
});
