import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGlobalId } from '../src/ids.js';
import { dataOf, startTestServer, type TestServer } from './support/harness.js';

// quoteStats, positionStats and stanceTimeline over a small corpus built here, each answer held to
// groups computed from what the corpus inserted, by code of this spec's own (periods included). The
// corpus crosses a month end (31 January / 1 February) and an ISO week's end (Sunday 3 March 23:59 /
// Monday 4 March), and has undated articles, articles without a source or topics, articles with two
// topics, unattributed quotes and extracted ones.

type Kind = 'PERSON' | 'COUNTRY' | 'ORGANIZATION' | 'MEDIA' | 'GROUP';
const ACTORS: { name: string; kind: Kind; aliases?: string[] }[] = [
  { name: 'Ines Varga', kind: 'PERSON', aliases: ['Varga'] },
  { name: 'Tomas Berg', kind: 'PERSON' },
  { name: 'Norland', kind: 'COUNTRY' },
  { name: 'Ostmark', kind: 'COUNTRY' },
  { name: 'Harbour Board', kind: 'ORGANIZATION' },
  { name: 'Coast Radio', kind: 'MEDIA' },
  { name: 'Dock workers', kind: 'GROUP' },
];
const TOPICS = ['Harbour tolls', 'Ferry strike', 'Port expansion'];
const SOURCES = ['Example Wire', 'Coast Daily', null];
const DATES = [
  '2024-01-31T23:30:00.000Z',
  '2024-02-01T00:10:00.000Z',
  '2024-03-03T23:59:00.000Z',
  '2024-03-04T00:00:00.000Z',
  '2024-03-10T12:00:00.000Z',
  '2024-04-15T08:00:00.000Z',
  null,
];
const STANCES = ['SUPPORT', 'OPPOSE', 'NEUTRAL', 'MIXED'] as const;
const QUOTE_KINDS = ['DIRECT', 'PARTIAL', 'INDIRECT'] as const;

/** A quote or position as this spec inserted it, with what it is grouped and filtered by. */
interface Fact {
  actor: string | null;
  actorKind: Kind | null;
  topics: string[];
  stance: string | null;
  source: string | null;
  kind: string | null;
  origin: 'ANNOTATED' | 'EXTRACTED';
  publishedAt: string | null;
}
const quoteFacts: Fact[] = [];
const positionFacts: Fact[] = [];

/** A deterministic sequence in [0, 1). */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Article n of the corpus, with its facts recorded; `prefix` keeps a later batch's texts apart. */
function article(n: number, next: () => number, prefix = 'Harbour') {
  const source = SOURCES[n % SOURCES.length] ?? null;
  const publishedAt = DATES[n % DATES.length] ?? null;
  const topics = [[], [TOPICS[0]], [TOPICS[1], TOPICS[2]], [TOPICS[n % 3]]][n % 4]?.filter((t) => t !== undefined) ?? [];
  const quotes = Array.from({ length: 1 + (n % 3) }, (_, i) => {
    const speaker = next() < 0.2 ? null : pick(next, ACTORS);
    const extracted = next() < 0.3;
    return {
      text: `${prefix} words ${n}-${i}`,
      kind: pick(next, QUOTE_KINDS),
      speaker: speaker?.name ?? null,
      origin: extracted ? ('EXTRACTED' as const) : ('ANNOTATED' as const),
      confidence: extracted ? 0.8 : null,
      actor: speaker,
    };
  });
  const positionActors = topics.length === 0 ? [] : [...new Set([pick(next, ACTORS), pick(next, ACTORS)])];
  const positions = positionActors.map((actor) => ({
    actor: actor.name,
    topic: pick(next, topics),
    stance: pick(next, STANCES),
    summary: `${actor.name} on it.`,
    origin: next() < 0.3 ? ('EXTRACTED' as const) : ('ANNOTATED' as const),
    kind: actor.kind,
  }));
  for (const q of quotes)
    quoteFacts.push({
      actor: q.speaker,
      actorKind: q.actor?.kind ?? null,
      topics,
      stance: null,
      source,
      kind: q.kind,
      origin: q.origin,
      publishedAt,
    });
  for (const p of positions)
    positionFacts.push({
      actor: p.actor,
      actorKind: p.kind,
      topics: [p.topic],
      stance: p.stance,
      source,
      kind: null,
      origin: p.origin,
      publishedAt,
    });
  const declared = new Map([...quotes.flatMap((q) => (q.actor ? [q.actor] : [])), ...positionActors].map((a) => [a.name, a]));
  return {
    title: `${prefix} report ${n}`,
    body: quotes.map((q) => (q.kind === 'INDIRECT' ? `${q.text}.` : `“${q.text}”`)).join(' '),
    source,
    publishedAt,
    topics,
    actors: [...declared.values()],
    quotes: quotes.map((q) => ({
      text: q.kind === 'INDIRECT' ? `${q.text}.` : q.text,
      kind: q.kind,
      speaker: q.speaker,
      origin: q.origin,
      confidence: q.confidence,
    })),
    positions: positions.map((p) => ({
      actor: p.actor,
      topic: p.topic,
      stance: p.stance,
      summary: p.summary,
      origin: p.origin,
      confidence: p.origin === 'EXTRACTED' ? 0.7 : null,
    })),
  };
}

let server: TestServer;
/** Row ids of the corpus's actors and topics, for the order of ties. */
const actorIds = new Map<string, number>();
const topicIds = new Map<string, number>();

async function addCorpus(from: number, count: number, prefix?: string): Promise<void> {
  const next = sequence(from + 7);
  const inputs = Array.from({ length: count }, (_, i) => article(from + i, next, prefix));
  dataOf(
    await server.gql('mutation ($input: [AddArticleInput!]!) { addArticles(input: $input) { results { created } } }', { input: inputs }),
  );
}

beforeAll(async () => {
  server = await startTestServer({ seed: false });
  await addCorpus(0, 28);
  const ids = dataOf(
    await server.gql<{ actors: { nodes: { id: string; name: string }[] }; topics: { nodes: { id: string; name: string }[] } }>(
      '{ actors(first: 100) { nodes { id name } } topics(first: 100) { nodes { id name } } }',
    ),
  );
  for (const { id, name } of ids.actors.nodes) actorIds.set(name, parseGlobalId(id)?.id ?? NaN);
  for (const { id, name } of ids.topics.nodes) topicIds.set(name, parseGlobalId(id)?.id ?? NaN);
});
afterAll(() => server.close());

// --- The expected answers, computed from the facts ---------------------------------------------------

/** The start of the period holding an ISO instant, found by walking back day by day to a Monday. */
function expectedPeriod(iso: string | null, bucket: 'DAY' | 'WEEK' | 'MONTH'): string | null {
  if (iso === null) return null;
  if (bucket === 'MONTH') return `${iso.slice(0, 7)}-01T00:00:00.000Z`;
  const day = new Date(`${iso.slice(0, 10)}T00:00:00.000Z`);
  if (bucket === 'WEEK') while (day.getUTCDay() !== 1) day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString();
}

/** A group as the queries below select it: every key field, null where not grouped. */
interface Group {
  count: number;
  actor: string | null;
  actorKind: string | null;
  topic: string | null;
  stance: string | null;
  source: string | null;
  kind: string | null;
  origin: string | null;
  period: string | null;
}
type Field = Exclude<keyof Group, 'count'>;

/** What each key of either query fills, and how ties order its values. */
const KEYS: Record<string, { field: Field; of: (fact: Fact, topic: string | null) => string | null; order: 'actor' | 'topic' | 'text' }> = {
  SPEAKER: { field: 'actor', of: (f) => f.actor, order: 'actor' },
  ACTOR: { field: 'actor', of: (f) => f.actor, order: 'actor' },
  SPEAKER_KIND: { field: 'actorKind', of: (f) => f.actorKind, order: 'text' },
  ACTOR_KIND: { field: 'actorKind', of: (f) => f.actorKind, order: 'text' },
  TOPIC: { field: 'topic', of: (_, topic) => topic, order: 'topic' },
  STANCE: { field: 'stance', of: (f) => f.stance, order: 'text' },
  SOURCE: { field: 'source', of: (f) => f.source, order: 'text' },
  KIND: { field: 'kind', of: (f) => f.kind, order: 'text' },
  ORIGIN: { field: 'origin', of: (f) => f.origin, order: 'text' },
  DAY: { field: 'period', of: (f) => expectedPeriod(f.publishedAt, 'DAY'), order: 'text' },
  WEEK: { field: 'period', of: (f) => expectedPeriod(f.publishedAt, 'WEEK'), order: 'text' },
  MONTH: { field: 'period', of: (f) => expectedPeriod(f.publishedAt, 'MONTH'), order: 'text' },
};

function expectedGroups(facts: readonly Fact[], groupBy: readonly string[]): Group[] {
  const keys = groupBy.map((name) => {
    const key = KEYS[name];
    if (!key) throw new Error(`no key ${name}`);
    return key;
  });
  const counts = new Map<string, Group>();
  for (const fact of facts) {
    // A quote counts once under each topic of its article (in a group of no topic when it has none).
    const topics = groupBy.includes('TOPIC') ? (fact.topics.length > 0 ? fact.topics : [null]) : [null];
    for (const topic of topics) {
      const group: Group = {
        count: 0,
        actor: null,
        actorKind: null,
        topic: null,
        stance: null,
        source: null,
        kind: null,
        origin: null,
        period: null,
      };
      for (const key of keys) group[key.field] = key.of(fact, topic);
      const id = JSON.stringify(group);
      const found = counts.get(id) ?? group;
      found.count += 1;
      counts.set(id, found);
    }
  }
  const rank = (key: (typeof keys)[number], value: string | null): number | string =>
    key.order === 'actor' ? (actorIds.get(value ?? '') ?? NaN) : key.order === 'topic' ? (topicIds.get(value ?? '') ?? NaN) : (value ?? '');
  return [...counts.values()].sort((a, b) => {
    if (a.count !== b.count) return b.count - a.count;
    for (const key of keys) {
      const [x, y] = [a[key.field], b[key.field]];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      const [rx, ry] = [rank(key, x), rank(key, y)];
      return rx < ry ? -1 : 1;
    }
    return 0;
  });
}

const QUOTE_STATS = `query ($groupBy: [QuoteStatsKey!]!, $filter: QuoteStatsFilter, $first: Int) {
  quoteStats(groupBy: $groupBy, filter: $filter, first: $first) { count speaker { name } speakerKind topic { name } source kind origin period }
}`;
const POSITION_STATS = `query ($groupBy: [PositionStatsKey!]!, $filter: PositionStatsFilter, $first: Int) {
  positionStats(groupBy: $groupBy, filter: $filter, first: $first) { count actor { name } actorKind topic { name } stance source origin period }
}`;

interface AnsweredGroup {
  count: number;
  speaker?: { name: string } | null;
  actor?: { name: string } | null;
  speakerKind?: string | null;
  actorKind?: string | null;
  topic: { name: string } | null;
  stance?: string | null;
  source: string | null;
  kind?: string | null;
  origin: string | null;
  period: string | null;
}

/** An answer in the shape of Group. */
function asGroups(answer: AnsweredGroup[]): Group[] {
  return answer.map((g) => ({
    count: g.count,
    actor: (g.speaker ?? g.actor)?.name ?? null,
    actorKind: g.speakerKind ?? g.actorKind ?? null,
    topic: g.topic?.name ?? null,
    stance: g.stance ?? null,
    source: g.source,
    kind: g.kind ?? null,
    origin: g.origin,
    period: g.period,
  }));
}

async function quoteStats(variables: Record<string, unknown>): Promise<Group[]> {
  return asGroups(dataOf(await server.gql<{ quoteStats: AnsweredGroup[] }>(QUOTE_STATS, { first: 100, ...variables })).quoteStats);
}
async function positionStats(variables: Record<string, unknown>): Promise<Group[]> {
  return asGroups(dataOf(await server.gql<{ positionStats: AnsweredGroup[] }>(POSITION_STATS, { first: 100, ...variables })).positionStats);
}

// --- quoteStats and positionStats ------------------------------------------------------------------

const QUOTE_GROUPINGS = [
  ['SPEAKER'],
  ['SPEAKER_KIND'],
  ['TOPIC'],
  ['SOURCE'],
  ['KIND'],
  ['ORIGIN'],
  ['DAY'],
  ['WEEK'],
  ['MONTH'],
  ['SOURCE', 'SPEAKER'],
  ['SPEAKER', 'SOURCE'],
  ['TOPIC', 'MONTH'],
  ['SPEAKER_KIND', 'KIND'],
  ['WEEK', 'ORIGIN'],
  ['SOURCE', 'SPEAKER_KIND', 'DAY'],
];

describe('quoteStats', () => {
  it('has a corpus to count', () => {
    expect(quoteFacts.length).toBeGreaterThan(40);
    expect(quoteFacts.some((f) => f.actor === null)).toBe(true);
    expect(quoteFacts.some((f) => f.origin === 'EXTRACTED')).toBe(true);
  });

  it.each(QUOTE_GROUPINGS.map((groupBy) => [groupBy.join(', '), groupBy]))(
    'groups by [%s] as the inserted quotes do, biggest first, ties in key order',
    async (_name, groupBy) => {
      const expected = expectedGroups(quoteFacts, groupBy);
      expect(expected.length).toBeGreaterThan(1);
      expect(expected.length).toBeLessThanOrEqual(100);
      expect(await quoteStats({ groupBy })).toEqual(expected);
    },
  );

  it('cuts the list at first, keeping the biggest groups', async () => {
    const expected = expectedGroups(quoteFacts, ['SOURCE', 'SPEAKER']);
    expect(await quoteStats({ groupBy: ['SOURCE', 'SPEAKER'], first: 3 })).toEqual(expected.slice(0, 3));
    expect(await quoteStats({ groupBy: ['SPEAKER'], first: 0 })).toEqual([]);
  });

  const march = { publishedAfter: '2024-03-01T00:00:00Z', publishedBefore: '2024-03-10T12:00:00Z' };
  it.each([
    ['a speaker by name', { speaker: 'Ines Varga' }, (f: Fact) => f.actor === 'Ines Varga'],
    ['a speaker by alias, in any case', { speaker: 'varga' }, (f: Fact) => f.actor === 'Ines Varga'],
    ['a kind of speaker', { speakerKind: 'COUNTRY' }, (f: Fact) => f.actorKind === 'COUNTRY'],
    ['a topic by name', { topic: 'Ferry strike' }, (f: Fact) => f.topics.includes('Ferry strike')],
    ['a topic by slug', { topic: 'port-expansion' }, (f: Fact) => f.topics.includes('Port expansion')],
    ['a source, ASCII case ignored', { source: 'example WIRE' }, (f: Fact) => f.source === 'Example Wire'],
    [
      'a date range, after inclusive and before exclusive',
      march,
      (f: Fact) => f.publishedAt !== null && f.publishedAt >= '2024-03-01' && f.publishedAt < '2024-03-10T12',
    ],
    ['a kind of quote', { kind: 'PARTIAL' }, (f: Fact) => f.kind === 'PARTIAL'],
    ['an origin', { origin: 'EXTRACTED' }, (f: Fact) => f.origin === 'EXTRACTED'],
    ['a search of the text', { search: 'words' }, () => true],
    [
      'several conditions at once',
      { speakerKind: 'PERSON', source: 'Coast Daily', origin: 'ANNOTATED' },
      (f: Fact) => f.actorKind === 'PERSON' && f.source === 'Coast Daily' && f.origin === 'ANNOTATED',
    ],
  ])('counts only the quotes of %s', async (_name, filter, holds) => {
    const kept = quoteFacts.filter(holds);
    expect(kept.length).toBeGreaterThan(0);
    for (const groupBy of [['SPEAKER'], ['SOURCE', 'TOPIC'], ['WEEK']])
      expect(await quoteStats({ groupBy, filter })).toEqual(expectedGroups(kept, groupBy));
  });

  it('finds nothing to count without refusing a filter that names stored things', async () => {
    expect(await quoteStats({ groupBy: ['SPEAKER'], filter: { speaker: 'Coast Radio', publishedAfter: '2030-01-01T00:00:00Z' } })).toEqual(
      [],
    );
  });
});

const POSITION_GROUPINGS = [
  ['ACTOR'],
  ['ACTOR_KIND'],
  ['TOPIC'],
  ['STANCE'],
  ['SOURCE'],
  ['ORIGIN'],
  ['DAY'],
  ['WEEK'],
  ['MONTH'],
  ['TOPIC', 'STANCE'],
  ['ACTOR_KIND', 'STANCE'],
  ['SOURCE', 'ACTOR'],
  ['STANCE', 'WEEK', 'ORIGIN'],
];

describe('positionStats', () => {
  it.each(POSITION_GROUPINGS.map((groupBy) => [groupBy.join(', '), groupBy]))(
    'groups by [%s] as the inserted positions do',
    async (_name, groupBy) => {
      const expected = expectedGroups(positionFacts, groupBy);
      expect(expected.length).toBeGreaterThan(1);
      expect(await positionStats({ groupBy })).toEqual(expected);
    },
  );

  it.each([
    ['an actor', { actor: 'Norland' }, (f: Fact) => f.actor === 'Norland'],
    ['a kind of actor', { actorKind: 'PERSON' }, (f: Fact) => f.actorKind === 'PERSON'],
    ['a topic', { topic: 'Harbour tolls' }, (f: Fact) => f.topics.includes('Harbour tolls')],
    ['a stance', { stance: 'OPPOSE' }, (f: Fact) => f.stance === 'OPPOSE'],
    ['a source', { source: 'Coast Daily' }, (f: Fact) => f.source === 'Coast Daily'],
    ['a date range', { publishedBefore: '2024-03-04T00:00:00Z' }, (f: Fact) => f.publishedAt !== null && f.publishedAt < '2024-03-04'],
    ['an origin', { origin: 'EXTRACTED' }, (f: Fact) => f.origin === 'EXTRACTED'],
  ])('counts only the positions of %s', async (_name, filter, holds) => {
    const kept = positionFacts.filter(holds);
    expect(kept.length).toBeGreaterThan(0);
    for (const groupBy of [['ACTOR'], ['STANCE', 'MONTH']])
      expect(await positionStats({ groupBy, filter })).toEqual(expectedGroups(kept, groupBy));
  });
});

// --- stanceTimeline --------------------------------------------------------------------------------

interface Bucket {
  start: string;
  support: number;
  oppose: number;
  neutral: number;
  mixed: number;
  total: number;
}

/** Every period from `first` to `last` (period starts), with the facts' stances counted. */
function expectedTimeline(facts: readonly Fact[], bucket: 'DAY' | 'WEEK' | 'MONTH', first: string, last: string): Bucket[] {
  const timeline: Bucket[] = [];
  for (let start = first; start <= last;) {
    const inIt = facts.filter((f) => expectedPeriod(f.publishedAt, bucket) === start);
    const count = (stance: string) => inIt.filter((f) => f.stance === stance).length;
    timeline.push({
      start,
      support: count('SUPPORT'),
      oppose: count('OPPOSE'),
      neutral: count('NEUTRAL'),
      mixed: count('MIXED'),
      total: inIt.length,
    });
    const next = new Date(start);
    if (bucket === 'MONTH') next.setUTCMonth(next.getUTCMonth() + 1);
    else next.setUTCDate(next.getUTCDate() + (bucket === 'WEEK' ? 7 : 1));
    start = next.toISOString();
  }
  return timeline;
}

const TIMELINE = `query ($topic: String!, $bucket: TimeBucket!, $filter: PositionStatsFilter) {
  stanceTimeline(topic: $topic, bucket: $bucket, filter: $filter) { start support oppose neutral mixed total }
}`;

async function timeline(variables: Record<string, unknown>) {
  return dataOf(await server.gql<{ stanceTimeline: Bucket[] }>(TIMELINE, variables)).stanceTimeline;
}

describe('stanceTimeline', () => {
  it.each(TOPICS.flatMap((topic) => (['DAY', 'WEEK', 'MONTH'] as const).map((bucket) => [topic, bucket] as const)))(
    'lists %s per %s from its first dated position to its last, gaps as zeros',
    async (topic, bucket) => {
      const facts = positionFacts.filter((f) => f.topics.includes(topic) && f.publishedAt !== null);
      expect(facts.length).toBeGreaterThan(1);
      const periods = facts.map((f) => expectedPeriod(f.publishedAt, bucket) ?? '').sort();
      const expected = expectedTimeline(facts, bucket, periods[0] ?? '', periods.at(-1) ?? '');
      expect(expected.some((b) => b.total === 0) || bucket !== 'DAY').toBe(true);
      expect(await timeline({ topic, bucket })).toEqual(expected);
    },
  );

  it("covers the filter's whole range, and only what its conditions keep", async () => {
    const filter = { publishedAfter: '2024-01-15T00:00:00Z', publishedBefore: '2024-05-01T00:00:00Z', actorKind: 'COUNTRY' };
    const facts = positionFacts.filter((f) => f.topics.includes('Ferry strike') && f.publishedAt !== null && f.actorKind === 'COUNTRY');
    expect(facts.length).toBeGreaterThan(0);
    const expected = expectedTimeline(facts, 'MONTH', '2024-01-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z');
    expect(await timeline({ topic: 'ferry-strike', bucket: 'MONTH', filter })).toEqual(expected);
    // Weeks start on Monday: the range's first week is the one holding Monday 15 January.
    const weeks = await timeline({ topic: 'Ferry strike', bucket: 'WEEK', filter });
    expect(weeks[0]?.start).toBe('2024-01-15T00:00:00.000Z');
    expect(weeks.at(-1)?.start).toBe('2024-04-29T00:00:00.000Z');
    expect(weeks).toEqual(expectedTimeline(facts, 'WEEK', '2024-01-15T00:00:00.000Z', '2024-04-29T00:00:00.000Z'));
  });

  it('is empty for a range that holds no time, or a topic with no dated positions', async () => {
    const empty = { publishedAfter: '2024-03-01T00:00:00Z', publishedBefore: '2024-03-01T00:00:00Z' };
    expect(await timeline({ topic: 'Ferry strike', bucket: 'DAY', filter: empty })).toEqual([]);
    expect(await timeline({ topic: 'Ferry strike', bucket: 'DAY', filter: { publishedAfter: '2030-01-01T00:00:00Z' } })).toEqual([]);
  });
});

// --- Refusals -------------------------------------------------------------------------------------

async function refusal(query: string, variables: Record<string, unknown>) {
  const response = await server.gql(query, variables);
  expect(response.data ?? null).toBeNull();
  const [error] = response.errors ?? [];
  return { code: error?.extensions?.code, field: error?.extensions?.field, message: error?.message };
}

describe('bad input', () => {
  // Actor 9999, which does not exist.
  const missingActor = 'QWN0b3I6OTk5OQ';
  it.each([
    [
      'a speaker nobody is called',
      QUOTE_STATS,
      { groupBy: ['SPEAKER'], filter: { speaker: 'Nobody' } },
      'filter.speaker',
      'filter.speaker "Nobody" names no stored actor (give a global id, canonical name or alias)',
    ],
    [
      'the global id of no actor',
      QUOTE_STATS,
      { groupBy: ['SPEAKER'], filter: { speaker: missingActor } },
      'filter.speaker',
      `filter.speaker "${missingActor}" names no stored actor (give a global id, canonical name or alias)`,
    ],
    [
      'a topic that is not stored',
      POSITION_STATS,
      { groupBy: ['ACTOR'], filter: { topic: 'Moon landing' } },
      'filter.topic',
      'filter.topic "Moon landing" names no stored topic (give a global id, slug or name)',
    ],
    [
      'an actor that is not stored',
      POSITION_STATS,
      { groupBy: ['ACTOR'], filter: { actor: 'Nobody' } },
      'filter.actor',
      'filter.actor "Nobody" names no stored actor (give a global id, canonical name or alias)',
    ],
    ['no key', QUOTE_STATS, { groupBy: [] }, 'groupBy', 'groupBy needs at least one key'],
    ['a key twice', QUOTE_STATS, { groupBy: ['SOURCE', 'SOURCE'] }, 'groupBy', 'groupBy lists SOURCE twice'],
    [
      'two periods',
      POSITION_STATS,
      { groupBy: ['DAY', 'MONTH'] },
      'groupBy',
      'groupBy may hold only one of DAY, WEEK and MONTH, got DAY and MONTH',
    ],
    ['first above 100', QUOTE_STATS, { groupBy: ['SPEAKER'], first: 101 }, 'first', 'first must be between 0 and 100, got 101'],
    ['a negative first', POSITION_STATS, { groupBy: ['ACTOR'], first: -1 }, 'first', 'first must be between 0 and 100, got -1'],
    [
      'a speaker longer than any name',
      QUOTE_STATS,
      { groupBy: ['SPEAKER'], filter: { speaker: 'x'.repeat(201) } },
      'filter.speaker',
      'filter.speaker is 201 characters long; the limit is 200',
    ],
    [
      'a range of more than 1,000 days grouped by day',
      QUOTE_STATS,
      { groupBy: ['DAY'], filter: { publishedAfter: '2020-01-01T00:00:00Z', publishedBefore: '2024-01-01T00:00:00Z' } },
      'groupBy',
      'groupBy would give 1461 day periods (2020-01-01 to 2023-12-31); at most 1000: narrow filter.publishedAfter and filter.publishedBefore, or take a longer period',
    ],
    [
      'a timeline of more than 1,000 weeks',
      TIMELINE,
      {
        topic: 'Ferry strike',
        bucket: 'WEEK',
        filter: { publishedAfter: '2000-01-01T00:00:00Z', publishedBefore: '2024-01-01T00:00:00Z' },
      },
      'bucket',
      'bucket would give 1253 week periods (1999-12-27 to 2023-12-25); at most 1000: narrow filter.publishedAfter and filter.publishedBefore, or take a longer period',
    ],
    [
      'a timeline whose filter names a topic too',
      TIMELINE,
      { topic: 'Ferry strike', bucket: 'WEEK', filter: { topic: 'Harbour tolls' } },
      'filter.topic',
      "filter.topic is given by stanceTimeline's own `topic` argument; leave it out of the filter",
    ],
    [
      'a timeline of a topic that is not stored',
      TIMELINE,
      { topic: 'Moon landing', bucket: 'WEEK' },
      'topic',
      'topic "Moon landing" names no stored topic (give a global id, slug or name)',
    ],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_name, query, variables, field, message) => {
    expect(await refusal(query, variables)).toEqual({ code: 'BAD_USER_INPUT', field, message });
  });

  it("refuses an article's global id as a speaker", async () => {
    const article = 'QXJ0aWNsZTox';
    expect(parseGlobalId(article)?.type).toBe('Article');
    expect((await refusal(QUOTE_STATS, { groupBy: ['SPEAKER'], filter: { speaker: article } })).field).toBe('filter.speaker');
  });

  it('costs a list of groups at its first, so groups of nested lists are refused', async () => {
    const response = await server.gql(
      '{ quoteStats(groupBy: [SPEAKER], first: 100) { speaker { quotes(first: 100) { nodes { speaker { quotes(first: 100) { nodes { text } } } } } } } }',
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
  });
});

// --- Statements per request (last: it adds to the corpus) -----------------------------------------------

describe('statements per request', () => {
  const SHAPES = [
    // The topic's lookup, the grouped count, the speakers in one batch.
    [
      'top speakers on a topic',
      '{ quoteStats(filter: { topic: "Ferry strike" }, groupBy: [SPEAKER], first: 10) { count speaker { name kind } } }',
      3,
    ],
    // The grouped count, the actors in one batch, the topics in one batch.
    ['positions per actor and topic', '{ positionStats(groupBy: [ACTOR, TOPIC], first: 100) { count actor { name } topic { name } } }', 3],
    // The actor's lookup (which brings the actor along), the grouped count.
    [
      'one speaker per outlet',
      '{ quoteStats(filter: { speaker: "Varga" }, groupBy: [SOURCE, SPEAKER]) { count source speaker { name } } }',
      2,
    ],
    // The topic's lookup and the grouped count.
    ['a stance timeline', '{ stanceTimeline(topic: "harbour-tolls", bucket: WEEK) { start support oppose total } }', 2],
  ] as const;

  async function statementsOf(query: string): Promise<number> {
    server.statements.length = 0;
    const data = dataOf(await server.gql<Record<string, unknown[]>>(query));
    expect(Object.values(data)[0]?.length).toBeGreaterThan(0);
    return server.statements.length;
  }

  it('stay the same when the data grows fivefold', async () => {
    const before = [];
    for (const [, query, expected] of SHAPES) {
      const statements = await statementsOf(query);
      expect(statements).toBe(expected);
      before.push(statements);
    }
    await addCorpus(100, 100, 'Quay');
    await addCorpus(200, 40, 'Pier');
    const after = [];
    for (const [, query] of SHAPES) after.push(await statementsOf(query));
    expect(after).toEqual(before);
  });

  it('refuses a timeline whose positions span more than 1,000 days when no range is given', async () => {
    dataOf(
      await server.gql('mutation ($input: [AddArticleInput!]!) { addArticles(input: $input) { results { created } } }', {
        input: ['2019-01-01T00:00:00Z', '2024-01-01T00:00:00Z'].map((publishedAt, i) => ({
          title: `Lighthouse ${i}`,
          body: 'The lighthouse stays.',
          publishedAt,
          topics: ['Lighthouse'],
          actors: [{ name: 'Ines Varga', kind: 'PERSON' }],
          positions: [{ actor: 'Ines Varga', topic: 'Lighthouse', stance: i === 0 ? 'SUPPORT' : 'OPPOSE', summary: 'On the lighthouse.' }],
        })),
      }),
    );
    expect(await refusal(TIMELINE, { topic: 'Lighthouse', bucket: 'DAY' })).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'bucket',
      message:
        'bucket would give 1827 day periods (2019-01-01 to 2024-01-01); at most 1000: narrow filter.publishedAfter and filter.publishedBefore, or take a longer period',
    });
    const weeks = await timeline({ topic: 'Lighthouse', bucket: 'WEEK' });
    expect(weeks).toHaveLength(262);
    expect(weeks[0]).toEqual({ start: '2018-12-31T00:00:00.000Z', support: 1, oppose: 0, neutral: 0, mixed: 0, total: 1 });
    expect(weeks.at(-1)).toEqual({ start: '2024-01-01T00:00:00.000Z', support: 0, oppose: 1, neutral: 0, mixed: 0, total: 1 });
    expect(weeks.slice(1, -1).every((week) => week.total === 0)).toBe(true);
  });
});
