import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import { toGlobalId } from '../src/ids.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

// Every write mutation fed malformed and hostile input: each must fail with a clear error naming
// the field, and leave every table exactly as it was.

let server: TestServer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  const data = dataOf(
    await server.gql<{
      article: { id: string; quotes: { id: string }[]; positions: { id: string }[]; topics: { id: string }[] };
      xi: { id: string };
      china: { id: string };
    }>(`{ article(slug: "xi-zelensky-phone-call") { id quotes { id } positions { id } topics { id } }
          xi: actor(name: "Xi Jinping") { id } china: actor(name: "China") { id } }`),
  );
  Object.assign(ids, {
    article: data.article.id,
    quote: data.article.quotes[0]?.id,
    position: data.article.positions[0]?.id,
    topic: data.article.topics[0]?.id,
    xi: data.xi.id,
    china: data.china.id,
  });
});
afterAll(async () => {
  await server.close();
});

/** Every row of every table, to prove a rejected write changed nothing at all. */
async function snapshot(db: Db): Promise<unknown> {
  const tables = ['Article', 'Actor', 'ActorAlias', 'Mention', 'Quote', 'Topic', 'ArticleTopic', 'Position'];
  return Promise.all(tables.map((table) => db.$queryRawUnsafe(`SELECT * FROM "${table}" ORDER BY 1, 2`)));
}

const missingArticle = toGlobalId('Article', 999_999);
const LONG_BODY = 'x'.repeat(1_000_001);

type Case = [name: string, query: string, variables: () => Record<string, unknown>, code: string, message: string | RegExp];

const cases: Case[] = [
  // addArticle
  [
    'addArticle: whitespace-only title',
    'mutation ($i: AddArticleInput!) { addArticle(input: $i) { article { id } } }',
    () => ({ i: { title: ' \t ', body: 'b' } }),
    'BAD_USER_INPUT',
    'input.title must not be empty',
  ],
  [
    'addArticle: a body over 1 MB',
    'mutation ($i: AddArticleInput!) { addArticle(input: $i) { article { id } } }',
    () => ({ i: { title: 't', body: LONG_BODY } }),
    'BAD_USER_INPUT',
    'input.body is 1000001 characters long; the limit is 1000000',
  ],
  [
    'addArticle: an invalid enum value',
    'mutation ($i: AddArticleInput!) { addArticle(input: $i) { article { id } } }',
    () => ({ i: { title: 't', body: 'b', quotes: [{ text: 'b', kind: 'LOUD' }] } }),
    'BAD_USER_INPUT',
    /Value "LOUD" does not exist in "QuoteKind" enum/,
  ],
  [
    'addArticle: a self-affiliated actor',
    'mutation ($i: AddArticleInput!) { addArticle(input: $i) { article { id } } }',
    () => ({ i: { title: 't', body: 'b', actors: [{ name: 'Self Corp', kind: 'ORGANIZATION', affiliation: 'self corp' }] } }),
    'BAD_USER_INPUT',
    'input.actors[0].affiliation "self corp" is the actor itself; an actor cannot be affiliated with itself',
  ],
  // updateArticle
  [
    'updateArticle: an unknown id',
    'mutation ($id: ID!) { updateArticle(id: $id, input: { title: "x" }) { article { id } } }',
    () => ({ id: missingArticle }),
    'NOT_FOUND',
    `id "${missingArticle}" names no Article; it may have been deleted`,
  ],
  [
    'updateArticle: an id of the wrong type',
    'mutation ($id: ID!) { updateArticle(id: $id, input: { title: "x" }) { article { id } } }',
    () => ({ id: ids.xi }),
    'BAD_USER_INPUT',
    /^id "[\w-]+" is not a valid Article id$/,
  ],
  [
    'updateArticle: a garbage id',
    'mutation ($id: ID!) { updateArticle(id: $id, input: { title: "x" }) { article { id } } }',
    () => ({ id: '1 OR 1=1; --' }),
    'BAD_USER_INPUT',
    'id "1 OR 1=1; --" is not a valid Article id',
  ],
  [
    'updateArticle: an empty body',
    'mutation ($id: ID!) { updateArticle(id: $id, input: { body: "  " }) { article { id } } }',
    () => ({ id: ids.article }),
    'BAD_USER_INPUT',
    'input.body must not be empty',
  ],
  [
    'updateArticle: a body without its quotes',
    'mutation ($id: ID!) { updateArticle(id: $id, input: { body: "Nothing quoted." }) { article { id } } }',
    () => ({ id: ids.article }),
    'BAD_USER_INPUT',
    /^input\.body no longer contains the (DIRECT|PARTIAL) quote/,
  ],
  [
    'updateArticle: a null title',
    'mutation ($id: ID!) { updateArticle(id: $id, input: { title: null }) { article { id } } }',
    () => ({ id: ids.article }),
    'BAD_USER_INPUT',
    'input.title cannot be null; omit it to keep the current value',
  ],
  [
    'updateArticle: a control character',
    'mutation ($id: ID!, $t: String) { updateArticle(id: $id, input: { title: $t }) { article { id } } }',
    () => ({ id: ids.article, t: 'Null\u0000byte' }),
    'BAD_USER_INPUT',
    'input.title contains a control character',
  ],
  [
    'updateArticle: a quote of another article in removeQuotes',
    'mutation ($id: ID!, $q: [ID!]) { updateArticle(id: $id, input: { removeQuotes: $q }) { article { id } } }',
    () => ({ id: ids.article, q: [toGlobalId('Quote', 999_999)] }),
    'BAD_USER_INPUT',
    /^input\.removeQuotes\[0\] "[\w-]+" is not a quote of this article$/,
  ],
  // deleteArticle
  [
    'deleteArticle: an unknown id',
    'mutation ($id: ID!) { deleteArticle(id: $id) { deletedId } }',
    () => ({ id: missingArticle }),
    'NOT_FOUND',
    `id "${missingArticle}" names no Article; it may have been deleted`,
  ],
  // addQuote
  [
    'addQuote: text not in the body',
    'mutation ($a: ID!) { addQuote(input: { article: $a, text: "never said", kind: DIRECT }) { quote { id } } }',
    () => ({ a: ids.article }),
    'BAD_USER_INPUT',
    'input.text "never said" does not occur in the article body; a DIRECT quote must be quoted verbatim',
  ],
  [
    'addQuote: an unknown speaker',
    'mutation ($a: ID!) { addQuote(input: { article: $a, text: "position paper", kind: PARTIAL, speaker: "Nobody" }) { quote { id } } }',
    () => ({ a: ids.article }),
    'BAD_USER_INPUT',
    'input.speaker "Nobody" is not a known actor; add it with upsertActor first',
  ],
  [
    'addQuote: a lone surrogate',
    'mutation ($a: ID!, $t: String!) { addQuote(input: { article: $a, text: $t, kind: PARTIAL }) { quote { id } } }',
    () => ({ a: ids.article, t: 'bad \uDC00 text' }),
    'BAD_USER_INPUT',
    'input.text contains an invalid UTF-16 surrogate',
  ],
  [
    'addQuote: an unknown article',
    'mutation ($a: ID!) { addQuote(input: { article: $a, text: "x", kind: INDIRECT }) { quote { id } } }',
    () => ({ a: missingArticle }),
    'NOT_FOUND',
    `input.article "${missingArticle}" names no Article; it may have been deleted`,
  ],
  // updateQuote, deleteQuote
  [
    'updateQuote: text not in the body',
    'mutation ($id: ID!) { updateQuote(id: $id, input: { text: "made up", kind: PARTIAL }) { quote { id } } }',
    () => ({ id: ids.quote }),
    'BAD_USER_INPUT',
    'input.text "made up" does not occur in the article body; a PARTIAL quote must be quoted verbatim',
  ],
  [
    'updateQuote: a null kind',
    'mutation ($id: ID!) { updateQuote(id: $id, input: { kind: null }) { quote { id } } }',
    () => ({ id: ids.quote }),
    'BAD_USER_INPUT',
    'input.kind cannot be null; omit it to keep the current value',
  ],
  [
    'deleteQuote: a topic id',
    'mutation ($id: ID!) { deleteQuote(id: $id) { deletedId } }',
    () => ({ id: ids.topic }),
    'BAD_USER_INPUT',
    /is not a valid Quote id$/,
  ],
  // positions
  [
    'addPosition: an empty summary',
    'mutation ($a: ID!) { addPosition(input: { article: $a, actor: "Xi", topic: "Peace", stance: SUPPORT, summary: "" }) { position { id } } }',
    () => ({ a: ids.article }),
    'BAD_USER_INPUT',
    'input.summary must not be empty',
  ],
  [
    'addPosition: a quote of no article',
    'mutation ($a: ID!) { addPosition(input: { article: $a, actor: "Xi", topic: "Peace", stance: SUPPORT, summary: "s", quote: "unheard words" }) { position { id } } }',
    () => ({ a: ids.article }),
    'BAD_USER_INPUT',
    'input.quote "unheard words" is not one of the article\'s quotes',
  ],
  [
    'addPosition: a topic without letters',
    'mutation ($a: ID!) { addPosition(input: { article: $a, actor: "Xi", topic: "!!!", stance: SUPPORT, summary: "s" }) { position { id } } }',
    () => ({ a: ids.article }),
    'BAD_USER_INPUT',
    'input.topic "!!!" needs at least one letter or digit',
  ],
  [
    'updatePosition: a null stance',
    'mutation ($id: ID!) { updatePosition(id: $id, input: { stance: null }) { position { id } } }',
    () => ({ id: ids.position }),
    'BAD_USER_INPUT',
    'input.stance cannot be null; omit it to keep the current value',
  ],
  [
    'deletePosition: an unknown id',
    'mutation ($id: ID!) { deletePosition(id: $id) { deletedId } }',
    () => ({ id: toGlobalId('Position', 999_999) }),
    'NOT_FOUND',
    /names no Position/,
  ],
  // actors
  [
    'upsertActor: an empty name',
    'mutation { upsertActor(input: { name: "   ", kind: PERSON }) { actor { id } } }',
    () => ({}),
    'BAD_USER_INPUT',
    'input.name must not be empty',
  ],
  [
    'upsertActor: an affiliation cycle',
    'mutation { upsertActor(input: { name: "China", kind: COUNTRY, affiliation: "Xi Jinping" }) { actor { id } } }',
    () => ({}),
    'BAD_USER_INPUT',
    'input.affiliation "Xi Jinping" would make an affiliation cycle: it is already affiliated, directly or not, with this actor',
  ],
  [
    'upsertActor: self-affiliation through an alias',
    'mutation { upsertActor(input: { name: "Xi Jinping", kind: PERSON, affiliation: "President Xi" }) { actor { id } } }',
    () => ({}),
    'BAD_USER_INPUT',
    'input.affiliation "President Xi" is the actor itself; an actor cannot be affiliated with itself',
  ],
  [
    'upsertActor: an alias of another actor',
    'mutation { upsertActor(input: { name: "Xi Jinping", kind: PERSON, aliases: ["Putin"] }) { actor { id } } }',
    () => ({}),
    'BAD_USER_INPUT',
    'input.aliases[0] "Putin" already names the stored actor "Vladimir Putin", but input.name "Xi Jinping" is "Xi Jinping"',
  ],
  [
    'upsertActor: an invalid kind',
    'mutation { upsertActor(input: { name: "X", kind: ROBOT }) { actor { id } } }',
    () => ({}),
    'GRAPHQL_VALIDATION_FAILED',
    'Value "ROBOT" does not exist in "ActorKind" enum.',
  ],
  [
    'addActorAlias: a duplicate alias across actors',
    'mutation ($a: ID!) { addActorAlias(input: { actor: $a, alias: "Beijing" }) { actor { id } } }',
    () => ({ a: ids.xi }),
    'BAD_USER_INPUT',
    'input.alias "Beijing" already names the actor "China"',
  ],
  [
    'removeActorAlias: not an alias',
    'mutation ($a: ID!) { removeActorAlias(input: { actor: $a, alias: "Kyiv" }) { actor { id } } }',
    () => ({ a: ids.xi }),
    'BAD_USER_INPUT',
    'input.alias "Kyiv" is not an alias of "Xi Jinping"',
  ],
  [
    'removeActorAlias: the canonical name',
    'mutation ($a: ID!) { removeActorAlias(input: { actor: $a, alias: "xi jinping" }) { actor { id } } }',
    () => ({ a: ids.xi }),
    'BAD_USER_INPUT',
    'input.alias "xi jinping" is the canonical name of "Xi Jinping", not an alias',
  ],
  [
    'mergeActors: an actor into itself',
    'mutation ($a: ID!) { mergeActors(sourceId: $a, targetId: $a) { removedId } }',
    () => ({ a: ids.xi }),
    'BAD_USER_INPUT',
    'targetId is the same actor as sourceId; an actor cannot be merged into itself',
  ],
  [
    'mergeActors: an unknown source',
    'mutation ($s: ID!, $t: ID!) { mergeActors(sourceId: $s, targetId: $t) { removedId } }',
    () => ({ s: toGlobalId('Actor', 999_999), t: ids.xi }),
    'NOT_FOUND',
    /^sourceId "[\w-]+" names no Actor/,
  ],
  [
    'mergeActors: an article id',
    'mutation ($s: ID!, $t: ID!) { mergeActors(sourceId: $s, targetId: $t) { removedId } }',
    () => ({ s: ids.article, t: ids.xi }),
    'BAD_USER_INPUT',
    /^sourceId "[\w-]+" is not a valid Actor id$/,
  ],
  // topics
  [
    'renameTopic: onto another topic',
    'mutation ($id: ID!) { renameTopic(id: $id, name: "Russia–China partnership") { topic { id } } }',
    () => ({ id: ids.topic }),
    'BAD_USER_INPUT',
    'name "Russia–China partnership" is already the topic "Russia–China partnership"',
  ],
  [
    'renameTopic: an empty name',
    'mutation ($id: ID!) { renameTopic(id: $id, name: "") { topic { id } } }',
    () => ({ id: ids.topic }),
    'BAD_USER_INPUT',
    'name must not be empty',
  ],
  [
    'deleteTopic: an unknown id',
    'mutation ($id: ID!) { deleteTopic(id: $id) { deletedId } }',
    () => ({ id: toGlobalId('Topic', 999_999) }),
    'NOT_FOUND',
    /names no Topic/,
  ],
];

describe('a write with bad input', () => {
  it.each(cases)('is refused: %s', async (_name, query, variables, code, message) => {
    const before = await snapshot(server.db);
    const response = await server.gql(query, variables());
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
    if (typeof message === 'string') expect(response.errors?.[0]?.message).toBe(message);
    else expect(response.errors?.[0]?.message).toMatch(message);
    expect(await snapshot(server.db)).toEqual(before);
  });
});

describe('hostile text', () => {
  it.each([
    ["Robert'); DROP TABLE Actor;--"],
    ['<img src=x onerror=alert(1)>'],
    ['%s%n${jndi:ldap://x}'],
    ['\u202Eevil\u202C'],
    ['👩‍🔬 scientist'],
  ])('is stored and returned verbatim: %s', async (name) => {
    const created = dataOf(
      await server.gql<{ upsertActor: { actor: { name: string } } }>(
        `mutation ($n: String!) { upsertActor(input: { name: $n, kind: GROUP }) { actor { name } } }`,
        { n: name },
      ),
    );
    expect(created.upsertActor.actor.name).toBe(name);
    const found = dataOf(await server.gql<{ actor: { name: string } }>(`query ($n: String!) { actor(name: $n) { name } }`, { n: name }));
    expect(found.actor.name).toBe(name);
  });
});

describe('the HTTP layer', () => {
  it.each([
    ['a truncated JSON body', 'application/json', '{"query": "mutation {', 400],
    ['a JSON body that is not an object', 'application/json', '"just a string"', 400],
    ['a plain-text body', 'text/plain', '{"query":"mutation { deleteTopic(id: \\"x\\") { deletedId } }"}', 400],
    ['a form body', 'application/x-www-form-urlencoded', 'query=mutation%20%7B%20x%20%7D', 400],
    ['an XML body', 'application/xml', '<query/>', 400],
  ])('refuses %s without writing', async (_name, contentType, body, status) => {
    const before = await snapshot(server.db);
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(status);
    const json = (await response.json()) as { errors: { message: string }[] };
    expect(json.errors[0]?.message.length).toBeGreaterThan(10);
    expect(await snapshot(server.db)).toEqual(before);
  });

  it('refuses a mutation sent with GET', async () => {
    const query = encodeURIComponent(`mutation { deleteArticle(id: "${ids.article}") { deletedId } }`);
    const response = await fetch(`${server.url}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
    expect(await server.db.article.count()).toBe(1);
  });
});
