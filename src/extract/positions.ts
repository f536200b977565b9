/**
 * Stances: a reported statement whose verb takes sides ("opposed the decision", "praised the
 * partnership") or that names an attitude ("expressed his scepticism about China's neutrality")
 * gives its speaker a position on the topic named by the verb's object.
 */
import type { Actor, ArticleMentions } from './actors.js';
import { type FoundQuote, resolve, sentenceClauses } from './attribution.js';
import { STANCE_VERBS } from './lexicon.js';
import { bySentence, type Segmented, type Token } from './segment.js';

export type Stance = 'SUPPORT' | 'OPPOSE' | 'NEUTRAL' | 'MIXED';

export interface FoundPosition {
  actor: Actor;
  topic: string;
  stance: Stance;
  summary: string;
  quote?: FoundQuote;
  confidence: number;
}

/** Attitude nouns after "expressed", "voiced", "proclaims": the stance they carry. */
const ATTITUDES: Readonly<Record<string, Stance>> = {
  support: 'SUPPORT',
  backing: 'SUPPORT',
  willingness: 'SUPPORT',
  approval: 'SUPPORT',
  enthusiasm: 'SUPPORT',
  scepticism: 'OPPOSE',
  skepticism: 'OPPOSE',
  concern: 'OPPOSE',
  concerns: 'OPPOSE',
  opposition: 'OPPOSE',
  criticism: 'OPPOSE',
  doubts: 'OPPOSE',
  objection: 'OPPOSE',
  objections: 'OPPOSE',
  neutrality: 'NEUTRAL',
};

/** Words that end the object noun phrase of a stance verb. */
const PHRASE_ENDS = new Set([
  ',',
  '.',
  ';',
  ':',
  'that',
  'as',
  'while',
  'calling',
  'with',
  'and',
  'but',
  'because',
  'due',
  'for',
  'to',
  'in',
  'from',
  'after',
  'before',
  'which',
  'who',
  '“',
  '"',
]);
const DETERMINERS = new Set(['the', 'a', 'an', 'his', 'her', 'its', 'their', 'our', 'all', 'any', 'this', 'that', 'these', 'those']);
/** A verb of contrast turns a stance into a mixed one ("a good thing" while acknowledging the uncertainty). */
const CONTRAST = /\b(while|but|although|though)\b.*\b(acknowledg\w*|doubt\w*|uncertain\w*|concern\w*|question\w*|warn\w*)\b/i;

function phraseAfter(tokens: Token[], from: number, text: string, offset: number): string | undefined {
  let k = from;
  while (k < tokens.length && DETERMINERS.has((tokens[k] as Token).lower)) k++;
  let end = k;
  while (end < tokens.length && end - k < 7 && !PHRASE_ENDS.has((tokens[end] as Token).lower)) end++;
  if (end === k) return undefined;
  const first = tokens[k] as Token;
  const last = tokens[end - 1] as Token;
  const phrase = text.slice(first.start - offset, last.end - offset).replace(/['’]s$/, '');
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

export function findPositions(segmented: Segmented, mentions: ArticleMentions, quotes: FoundQuote[]): FoundPosition[] {
  const positions: FoundPosition[] = [];
  const seen = new Set<string>();
  const quotesBySentence = bySentence(quotes);
  for (const sentence of segmented.sentences) {
    const { tokens } = sentence;
    for (const clause of sentenceClauses(sentence, mentions)) {
      const verb = tokens[clause.verb] as Token;
      let stance: Stance | undefined = STANCE_VERBS.get(verb.lower);
      let topic: string | undefined;
      if (stance) topic = phraseAfter(tokens, clause.verb + 1, sentence.text, sentence.start);
      else {
        // "expressed his scepticism about China's neutrality", "proclaims neutrality concerning the conflict"
        const attitudeAt = tokens.findIndex((token, k) => k > clause.verb && k <= clause.verb + 3 && ATTITUDES[token.lower] !== undefined);
        const attitude = tokens[attitudeAt];
        if (attitude) {
          stance = ATTITUDES[attitude.lower];
          const preposition = tokens[attitudeAt + 1]?.lower ?? '';
          if (/^(about|over|of|on|for|concerning|regarding|toward|towards|in)$/.test(preposition))
            topic = phraseAfter(tokens, attitudeAt + 2, sentence.text, sentence.start);
        }
      }
      if (!stance || !topic) continue;
      if (stance === 'SUPPORT' && CONTRAST.test(sentence.text.slice((tokens[clause.verb] as Token).end - sentence.start))) stance = 'MIXED';
      const actor = resolve(clause.subject, sentence.index, mentions, segmented);
      if (!actor) continue;
      const key = `${actor.key}|${topic.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const quote = quotesBySentence.get(sentence.index)?.find((q) => q.kind !== 'INDIRECT' && q.speaker === actor);
      positions.push({ actor, topic, stance, summary: sentence.text, quote, confidence: quote ? 0.6 : 0.5 });
    }
  }
  return positions;
}
