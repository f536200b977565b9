import { badUserInput } from '../errors.js';
import { INPUT_LIMITS } from '../input-limits.js';

/**
 * What a user types into a search box, read by our own grammar and rewritten as an FTS5 MATCH
 * expression (or a tsquery on PostgreSQL), so the database never sees (and never complains about)
 * the user's syntax:
 *
 *   words       all required; `China's`, `Sino-Russian`, `Xi:` are the words FTS5 indexes
 *               (`China s`, a phrase; `Xi`), since punctuation other than the below separates words
 *   "a phrase"  the words in this order; a missing closing quote closes at the end of the query
 *   word*       a prefix (also `"a phr"*`, a phrase whose last word is a prefix)
 *   a OR b      either; OR binds closer than the implicit AND: `a OR b c` is `(a OR b) AND c`
 *   AND         the same as a space
 *   -word, NOT word, -"a phrase", -(a OR b)   must not occur
 *   ( ... )     grouping; a missing `)` closes at the end, a stray `)` is ignored
 *
 * Only upper-case OR, AND and NOT are operators, so "talks and negotiation" searches three words.
 */

/** A word of the query as the index sees it (case and accents folded), and whether it is a prefix. */
export interface QueryTerm {
  word: string;
  prefix: boolean;
}

export interface SearchQuery {
  /** The FTS5 MATCH expression, built only from quoted words, `*`, parentheses, AND, OR and NOT. */
  match: string;
  /** The same query for PostgreSQL's to_tsquery: quoted folded words, `<->`, `:*`, `&`, `|` and `!`. */
  tsquery: string;
  /** The tsquery with every word restricted to label A (an article's title). */
  titleTsquery: string;
  /** The words to highlight: those the query looks for, not those it excludes. */
  terms: QueryTerm[];
}

const WORD = /[\p{L}\p{N}_]+/gu;
// A prefix term: the letters before a `*`, with an optional closing quote (`"zelen"*`).
const PREFIX_TERM = /([\p{L}\p{N}_]*)"?\*/gu;
// Marks count as part of a word, so a decomposed "é" (e + U+0301) does not split it.
const PHRASE_WORD = /[\p{L}\p{N}\p{M}_]+/gu;

/**
 * Refuses queries whose cost would grow faster than their length: FTS5 plans a query in time that
 * grows with the square of its terms, and a short prefix (`a*`) makes it merge the entries of every
 * indexed word it starts. Every check is one pass over a string of bounded length.
 */
function assertSearchable(query: string, field: string): void {
  const { searchLength, searchTerms, searchPrefixTerms, searchPrefixLength } = INPUT_LIMITS;
  if (query.length > searchLength) throw badUserInput(field, `is ${query.length} characters long; the limit is ${searchLength}`);
  let terms = 0;
  for (WORD.lastIndex = 0; WORD.exec(query) !== null;) terms += 1;
  if (terms > searchTerms) throw badUserInput(field, `has ${terms} words; the limit is ${searchTerms}`);
  let prefixes = 0;
  for (const [term, letters = ''] of query.matchAll(PREFIX_TERM)) {
    if (letters.length < searchPrefixLength) {
      throw badUserInput(field, `prefix term "${term}" needs at least ${searchPrefixLength} letters or digits before the *`);
    }
    prefixes += 1;
  }
  if (prefixes > searchPrefixTerms) throw badUserInput(field, `has ${prefixes} prefix terms (word*); the limit is ${searchPrefixTerms}`);
}

type Token = { kind: 'phrase'; words: string[]; prefix: boolean } | { kind: 'minus' | 'open' | 'close' | 'OR' | 'AND' | 'NOT' };

interface Phrase {
  kind: 'phrase';
  words: string[];
  prefix: boolean;
}
interface Or {
  kind: 'or';
  children: Node[];
}
/** Terms that must all occur, and terms none of which may (FTS5 cannot search for an absence alone). */
interface And {
  kind: 'and';
  positives: Node[];
  negatives: Node[];
}
type Node = Phrase | Or | And;
/** A negated term, as read; only a conjunction can hold one. */
interface Not {
  kind: 'not';
  child: Node;
  source: string;
}

const SPACE = /\s/u;
const BARE_END = /[\s"()*]/u;
const NEGATABLE = /["(\p{L}\p{N}\p{M}_]/u;
const OPERATORS = new Set(['OR', 'AND', 'NOT']);

/** One pass over the query; each token records where it starts, for error messages. */
function tokenize(query: string): { token: Token; start: number }[] {
  const tokens: { token: Token; start: number }[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query.charAt(i);
    const start = i;
    if (SPACE.test(c)) {
      i += 1;
    } else if (c === '(' || c === ')') {
      tokens.push({ token: { kind: c === '(' ? 'open' : 'close' }, start });
      i += 1;
    } else if (c === '-' || c === '*') {
      // A `-` before a word, phrase or group negates it; elsewhere, like a stray `*`, it separates.
      if (c === '-' && NEGATABLE.test(query.charAt(i + 1))) tokens.push({ token: { kind: 'minus' }, start });
      i += 1;
    } else if (c === '"') {
      const close = query.indexOf('"', i + 1);
      const end = close === -1 ? query.length : close;
      const words = query.slice(i + 1, end).match(PHRASE_WORD) ?? [];
      i = close === -1 ? query.length : close + 1;
      const prefix = query.charAt(i) === '*';
      if (prefix) i += 1;
      tokens.push({ token: { kind: 'phrase', words, prefix }, start });
    } else {
      let end = i;
      while (end < query.length && !BARE_END.test(query.charAt(end))) end += 1;
      const text = query.slice(i, end);
      const prefix = query.charAt(end) === '*';
      i = prefix ? end + 1 : end;
      if (!prefix && OPERATORS.has(text)) tokens.push({ token: { kind: text as 'OR' | 'AND' | 'NOT' }, start });
      else tokens.push({ token: { kind: 'phrase', words: text.match(PHRASE_WORD) ?? [], prefix }, start });
    }
  }
  return tokens;
}

/** A word as the index compares it: case and accents folded. */
export function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** A recursive-descent reader of the grammar above; each token is looked at a bounded number of times. */
class QueryParser {
  private readonly tokens: { token: Token; start: number }[];
  private at = 0;

  constructor(
    private readonly query: string,
    private readonly field: string,
  ) {
    this.tokens = tokenize(query);
  }

  parse(): Node {
    const node = this.sequence(false);
    if (node === null) this.fail('has no letters or digits to search for');
    return node;
  }

  private fail(reason: string): never {
    throw badUserInput(this.field, `"${this.query}": ${reason}`);
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset]?.token;
  }

  /** Whether the token after the current one can begin a term. */
  private termFollows(): boolean {
    const next = this.peek(1)?.kind;
    return next !== undefined && next !== 'close' && next !== 'OR' && next !== 'AND';
  }

  /** Terms that must all hold, up to the end of the query or of the group. */
  private sequence(inGroup: boolean): Node | null {
    const items: (Node | Not)[] = [];
    let hadTerm = false;
    for (let token = this.peek(); token !== undefined; token = this.peek()) {
      if (token.kind === 'close') {
        this.at += 1;
        if (inGroup) break;
      } else if (token.kind === 'AND') {
        if (!hadTerm || !this.termFollows()) this.fail('AND needs a word on each side');
        this.at += 1;
      } else if (token.kind === 'OR') {
        this.fail('OR needs a word on each side');
      } else {
        const item = this.alternatives();
        hadTerm = true;
        if (item !== null) items.push(item);
      }
    }
    return this.conjunction(items);
  }

  /** `a OR b OR c`, or a single term. */
  private alternatives(): Node | Not | null {
    const first = this.unary();
    if (this.peek()?.kind !== 'OR') return first;
    const options = [first];
    while (this.peek()?.kind === 'OR') {
      if (!this.termFollows()) this.fail('OR needs a word on each side');
      this.at += 1;
      options.push(this.unary());
    }
    const children: Node[] = [];
    for (const option of options) {
      if (option === null) this.fail('OR needs a word on each side');
      if (option.kind === 'not') this.fail(`OR cannot join a term that is excluded (${option.source}); exclude it outside the OR`);
      children.push(...(option.kind === 'or' ? option.children : [option]));
    }
    return { kind: 'or', children };
  }

  /** A phrase, a group, or either negated; null for a term with no words (`""`, `:`). */
  private unary(): Node | Not | null {
    const current = this.tokens[this.at];
    if (current === undefined) return null;
    const { token, start } = current;
    if (token.kind === 'minus' || token.kind === 'NOT') {
      if (token.kind === 'NOT' && !this.termFollows()) this.fail('NOT needs a word after it');
      this.at += 1;
      const child = this.unary();
      const end = this.tokens[this.at]?.start ?? this.query.length;
      return child && negate(child, this.query.slice(start, end).trim());
    }
    if (token.kind === 'open') {
      this.at += 1;
      return this.sequence(true);
    }
    if (token.kind === 'phrase') {
      this.at += 1;
      return token.words.length > 0 ? { kind: 'phrase', words: token.words, prefix: token.prefix } : null;
    }
    return null;
  }

  private conjunction(items: (Node | Not)[]): Node | null {
    // Keyed by the expression, as a repeated term matches nothing more but FTS5 would score it once per repeat.
    const positives = new Map<string, Node>();
    const negatives = new Map<string, Node>();
    const add = (node: Node | Not) => {
      if (node.kind === 'and') {
        node.positives.forEach(add);
        node.negatives.forEach((child) => negatives.set(fold(emit(child)), child));
      } else if (node.kind === 'not') negatives.set(fold(emit(node.child)), node.child);
      else positives.set(fold(emit(node)), node);
    };
    items.forEach(add);
    if (positives.size === 0 && negatives.size === 0) return null;
    if (positives.size === 0) {
      this.fail('has only excluded words (-word, NOT word); add a word to search for');
    }
    const [only] = positives.values();
    if (positives.size === 1 && negatives.size === 0 && only !== undefined) return only;
    return { kind: 'and', positives: [...positives.values()], negatives: [...negatives.values()] };
  }
}

function negate(node: Node | Not, source: string): Node | Not {
  return node.kind === 'not' ? node.child : { kind: 'not', child: node, source };
}

function anyOf(nodes: Node[]): Node {
  const [first] = nodes;
  return nodes.length === 1 && first !== undefined ? first : { kind: 'or', children: nodes };
}

function emit(node: Node): string {
  switch (node.kind) {
    case 'phrase':
      return `"${node.words.join(' ')}"${node.prefix ? '*' : ''}`;
    case 'or':
      return node.children.map(grouped).join(' OR ');
    case 'and': {
      const all = node.positives.map(grouped).join(' AND ');
      if (node.negatives.length === 0) return all;
      const kept = node.positives.length > 1 ? `(${all})` : all;
      return `${kept} NOT ${grouped(anyOf(node.negatives))}`;
    }
  }
}

function grouped(node: Node): string {
  return node.kind === 'phrase' ? emit(node) : `(${emit(node)})`;
}

/**
 * The tree as a tsquery. Words are folded here as the index folds them (they hold only letters,
 * digits, marks and _, so quoting them needs no escapes); a phrase is its words in order (`<->`).
 */
function emitTsquery(node: Node, label = ''): string {
  switch (node.kind) {
    case 'phrase':
      return node.words
        .map((word, i) => {
          const prefix = node.prefix && i === node.words.length - 1 ? '*' : '';
          return `'${fold(word)}'${prefix || label ? `:${prefix}${label}` : ''}`;
        })
        .join(' <-> ');
    case 'or':
      return node.children.map((child) => `(${emitTsquery(child, label)})`).join(' | ');
    case 'and': {
      const all = node.positives.map((child) => `(${emitTsquery(child, label)})`).join(' & ');
      if (node.negatives.length === 0) return all;
      return `${all} & !(${emitTsquery(anyOf(node.negatives), label)})`;
    }
  }
}

function positiveTerms(node: Node, terms: QueryTerm[]): QueryTerm[] {
  if (node.kind === 'phrase') {
    node.words.forEach((word, i) => terms.push({ word: fold(word), prefix: node.prefix && i === node.words.length - 1 }));
  } else if (node.kind === 'or') node.children.forEach((child) => positiveTerms(child, terms));
  else if (node.kind === 'and') node.positives.forEach((child) => positiveTerms(child, terms));
  return terms;
}

/** Reads a search as typed by a user; refuses, with BAD_USER_INPUT naming `field`, what it cannot read. */
export function parseSearch(query: string, field: string): SearchQuery {
  assertSearchable(query, field);
  if (query.trim() === '') throw badUserInput(field, 'must not be empty');
  const tree = new QueryParser(query, field).parse();
  return { match: emit(tree), tsquery: emitTsquery(tree), titleTsquery: emitTsquery(tree, 'A'), terms: positiveTerms(tree, []) };
}

/** The FTS5 MATCH expression for a query (see parseSearch). */
export function matchExpression(query: string, field = 'query'): string {
  return parseSearch(query, field).match;
}
