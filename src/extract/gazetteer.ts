import { readFileSync } from 'node:fs';
import { nameKey } from '../text/names.js';
import { MEDIA, ORGANIZATIONS } from './lexicon.js';

export type ActorKind = 'PERSON' | 'COUNTRY' | 'ORGANIZATION' | 'MEDIA' | 'GROUP';

/** How a gazetteer form relates to its entry: "Chinese" is a demonym of China, "Beijing" its capital. */
export type FormRole = 'name' | 'alias' | 'demonym' | 'capital';

export interface GazetteerEntry {
  name: string;
  kind: ActorKind;
  form: FormRole;
}

interface CountryRecord {
  name: string;
  code: string;
  aliases: string[];
  capitals: string[];
  demonyms: string[];
}

/**
 * Adjectives and short forms news writing uses that the country data lacks ("the Philippine
 * government", "Washington" for the United States).
 */
const EXTRA_COUNTRY_FORMS: Readonly<Record<string, { demonyms?: string[]; aliases?: string[]; capitals?: string[] }>> = {
  PH: { demonyms: ['Philippine'] },
  US: { aliases: ['the US', 'the United States'], capitals: ['Washington'] },
  GB: { demonyms: ['English', 'Scottish', 'Welsh'] },
  NL: { demonyms: ['Dutch'] },
  CN: { aliases: ['PRC'] },
  KR: { aliases: ['South Korea'], demonyms: ['South Korean'] },
  KP: { aliases: ['North Korea'], demonyms: ['North Korean'] },
  CD: { aliases: ['DRC'] },
  IR: { demonyms: ['Iranian'] },
  TR: { aliases: ['Turkey'] },
  MM: { aliases: ['Burma'], demonyms: ['Burmese'] },
  CZ: { aliases: ['Czech Republic'] },
  CI: { aliases: ['Ivory Coast'] },
  SZ: { aliases: ['Swaziland'] },
  CV: { aliases: ['Cape Verde'] },
  MK: { aliases: ['Macedonia'] },
};

/** Countries (world-countries data, shipped in the repository) plus the organizations and media of lexicon.ts, keyed by folded form. */
function buildGazetteer(): Map<string, GazetteerEntry> {
  const entries = new Map<string, GazetteerEntry>();
  const add = (form: string, entry: GazetteerEntry) => {
    const key = nameKey(form);
    if (!entries.has(key)) entries.set(key, entry);
  };
  const data = JSON.parse(readFileSync(new URL('./data/countries.json', import.meta.url), 'utf8')) as { countries: CountryRecord[] };
  for (const country of data.countries) {
    const extra = EXTRA_COUNTRY_FORMS[country.code] ?? {};
    const entry = (form: FormRole): GazetteerEntry => ({ name: country.name, kind: 'COUNTRY', form });
    add(country.name, entry('name'));
    for (const alias of [...country.aliases, ...(extra.aliases ?? [])]) add(alias, entry('alias'));
    for (const demonym of [...country.demonyms, ...(extra.demonyms ?? [])]) add(demonym, entry('demonym'));
    for (const capital of [...country.capitals, ...(extra.capitals ?? [])]) add(capital, entry('capital'));
  }
  for (const organization of ORGANIZATIONS) {
    add(organization.name, { name: organization.name, kind: 'ORGANIZATION', form: 'name' });
    for (const alias of organization.aliases) add(alias, { name: organization.name, kind: 'ORGANIZATION', form: 'alias' });
  }
  for (const outlet of MEDIA) add(outlet, { name: outlet, kind: 'MEDIA', form: 'name' });
  return entries;
}

const gazetteer = buildGazetteer();
/** The longest gazetteer form in words, to bound the longest-match search. */
export const LONGEST_FORM = Math.max(...[...gazetteer.keys()].map((key) => key.split(' ').length));

export function lookUp(form: string): GazetteerEntry | undefined {
  return gazetteer.get(nameKey(form));
}
