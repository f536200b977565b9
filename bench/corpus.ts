// A deterministic synthetic news corpus in the AddArticleInput shape: 2,000 actors with aliases
// quoted with a Zipf-like skew, about 8 quotes (mixed kinds) and 3 positions per article, 50 topics,
// bodies of about 3 KB with every quote really embedded so offsets are valid.
import type { AddArticleInput, ActorInput } from '../src/generated/graphql.js';

export const ACTOR_COUNT = 2_000;
export const TOPIC_COUNT = 50;
/** Organizations and countries that the people belong to. */
const HOME_COUNT = 100;

/** mulberry32: a tiny seeded PRNG, so every run builds the same corpus. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ana',
  'Bram',
  'Chen',
  'Dara',
  'Emil',
  'Farah',
  'Goran',
  'Hana',
  'Ivo',
  'Jun',
  'Kemal',
  'Lena',
  'Milo',
  'Nadia',
  'Omar',
  'Pia',
  'Quentin',
  'Rosa',
  'Sami',
  'Tove',
  'Umar',
  'Vera',
  'Wim',
  'Xenia',
  'Yusuf',
  'Zora',
  'Arno',
  'Bea',
  'Cato',
  'Dov',
  'Eda',
  'Finn',
  'Gia',
  'Hugo',
  'Ines',
  'Jonas',
  'Kira',
  'Luca',
  'Mara',
  'Nils',
];
const LAST = [
  'Abbot',
  'Brandt',
  'Castell',
  'Dumont',
  'Eklund',
  'Ferro',
  'Gruber',
  'Halloran',
  'Ishikawa',
  'Jansen',
  'Kovac',
  'Lindqvist',
  'Moreau',
  'Novak',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Sato',
  'Tanaka',
  'Ueda',
  'Varga',
  'Weller',
  'Xu',
  'Yilmaz',
  'Zeller',
  'Amari',
  'Bakker',
  'Costa',
  'Dalton',
  'Engel',
  'Fischer',
  'Gallo',
  'Horvat',
  'Iqbal',
  'Jovanovic',
  'Kaur',
  'Lopez',
  'Mendes',
  'Nakamura',
  'Olsen',
  'Park',
  'Quist',
  'Reyes',
  'Silva',
  'Toth',
  'Ulrich',
  'Vidal',
  'Wagner',
  'Young',
];
const WORDS = [
  'policy',
  'council',
  'market',
  'border',
  'energy',
  'vote',
  'budget',
  'treaty',
  'harbour',
  'grain',
  'summit',
  'tariff',
  'reform',
  'coalition',
  'strike',
  'court',
  'pipeline',
  'election',
  'ministry',
  'report',
  'season',
  'river',
  'railway',
  'factory',
  'school',
  'hospital',
  'price',
  'deal',
  'talks',
  'plan',
];
const VERBS = ['said', 'told reporters', 'argued', 'warned', 'insisted', 'added'];

interface CorpusActor {
  name: string;
  kind: ActorInput['kind'];
  alias: string;
  home: number | null;
}

/** The 2,000 actors: 100 homes (countries and organizations) and 1,900 people belonging to them. */
export function corpusActors(): CorpusActor[] {
  const actors: CorpusActor[] = [];
  for (let i = 0; i < HOME_COUNT; i += 1) {
    const country = i % 2 === 0;
    const name = country
      ? `Republic of ${LAST[i % LAST.length]}ia ${Math.floor(i / LAST.length) + 1}`
      : `${LAST[i % LAST.length]} ${WORDS[i % WORDS.length]} Authority`;
    actors.push({
      name,
      kind: country ? 'COUNTRY' : 'ORGANIZATION',
      alias: country ? `${LAST[i % LAST.length]}ia-${i}` : `${LAST[i % LAST.length]} Authority ${i}`,
      home: null,
    });
  }
  for (let i = 0; actors.length < ACTOR_COUNT; i += 1) {
    const first = FIRST[i % FIRST.length] ?? 'Ana';
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] ?? 'Abbot';
    actors.push({ name: `${first} ${last}`, kind: 'PERSON', alias: `Minister ${last} ${first}`, home: i % HOME_COUNT });
  }
  return actors;
}

export function topicName(i: number): string {
  return `Topic ${WORDS[i % WORDS.length]} ${Math.floor(i / WORDS.length) + 1}`;
}

/** Zipf-like index in [0, n): rank r drawn with weight 1 / (r + 1). */
function zipf(next: () => number, cumulative: number[]): number {
  const total = cumulative[cumulative.length - 1] ?? 1;
  const target = next() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function weights(n: number): number[] {
  const cumulative: number[] = [];
  let sum = 0;
  for (let r = 0; r < n; r += 1) cumulative.push((sum += 1 / (r + 1)));
  return cumulative;
}

/** Article number `n` (0-based) of the corpus with the given seed. Same inputs, same article. */
export function* corpus(count: number, seed = 42, start = 0): Generator<AddArticleInput> {
  const actors = corpusActors();
  // People are what gets quoted; the homes sit at the end of the ranking so they are rarely speakers.
  const speakers = [...actors.slice(HOME_COUNT), ...actors.slice(0, HOME_COUNT)];
  const speakerWeights = weights(speakers.length);
  const topicWeights = weights(TOPIC_COUNT);
  for (let n = start; n < start + count; n += 1) {
    const next = random(seed * 1_000_003 + n);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const sentence = () => {
      const words = Array.from({ length: 14 }, () => pick(WORDS));
      return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
    };
    const quoted = new Set<CorpusActor>();
    const quotes: NonNullable<AddArticleInput['quotes']> = [];
    const paragraphs: string[] = [];
    for (let q = 0; q < 8; q += 1) {
      const speaker = speakers[zipf(next, speakerWeights)] ?? speakers[0];
      if (!speaker) continue;
      quoted.add(speaker);
      const words = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} number ${n}-${q}`;
      const kind = q % 8 < 3 ? 'DIRECT' : q % 8 < 6 ? 'PARTIAL' : 'INDIRECT';
      let paragraph: string;
      let text: string;
      if (kind === 'DIRECT') {
        text = `The ${words} is what matters now.`;
        paragraph = `\u201C${text}\u201D ${speaker.name} ${pick(VERBS)}.`;
      } else if (kind === 'PARTIAL') {
        text = `a ${words}`;
        paragraph = `${speaker.name} called the plan \u201C${text}\u201D during the session.`;
      } else {
        text = `${speaker.alias} said that the ${words} would change little this year.`;
        paragraph = text;
      }
      quotes.push({ text, speaker: speaker.name, kind, ...(q === 0 ? { channel: 'a press conference' } : {}) });
      paragraphs.push(`${sentence()} ${sentence()} ${paragraph} ${sentence()} ${sentence()}`);
    }
    while (paragraphs.join('\n').length < 3_000) paragraphs.push(`${sentence()} ${sentence()} ${sentence()}`);

    const declared = new Map<string, ActorInput>();
    for (const actor of quoted) {
      declared.set(actor.name, { name: actor.name, kind: actor.kind, aliases: [actor.alias] });
      if (actor.home !== null) {
        const home = actors[actor.home];
        if (home) {
          declared.get(actor.name)!.affiliation = home.name;
          declared.set(home.name, { name: home.name, kind: home.kind, aliases: [home.alias] });
        }
      }
    }
    const topics = new Set<string>();
    const positions: NonNullable<AddArticleInput['positions']> = [];
    for (let p = 0; p < 3; p += 1) {
      const quote = quotes[p * 2];
      if (!quote?.speaker) continue;
      const topic = topicName(zipf(next, topicWeights));
      topics.add(topic);
      positions.push({
        actor: quote.speaker,
        topic,
        stance: pick(['SUPPORT', 'OPPOSE', 'NEUTRAL', 'MIXED'] as const),
        summary: `Takes a view on ${topic}.`,
        quote: quote.text,
      });
    }
    yield {
      title: `${pick(WORDS).replace(/^./, (c) => c.toUpperCase())} ${pick(WORDS)} update ${n}`,
      slug: `corpus-${n}`,
      body: paragraphs.join('\n'),
      source: `Wire ${n % 12}`,
      url: `https://news.example/${n}`,
      publishedAt: new Date(Date.UTC(2020, 0, 1) + n * 3_600_000 * 4),
      topics: [...topics],
      actors: [...declared.values()],
      quotes,
      positions,
    };
  }
}
