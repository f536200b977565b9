import { describe, expect, it } from 'vitest';
import { databaseUrl, loadServerConfig } from '../src/config.js';
import { parseGlobalId, toGlobalId } from '../src/ids.js';
import { nameKey, slugify } from '../src/text/names.js';
import { encodeCursor, pageRequest } from '../src/read/pagination.js';
import { locateQuote } from '../src/services/quote-offsets.js';
import { parseArticleText } from '../src/services/seeding.js';

describe('names', () => {
  it.each([
    ['Russia’s foreign ministry', "russia's foreign ministry"],
    ['  Xi   Jinping ', 'xi jinping'],
    ['Russia–China', 'russia-china'],
    ['ＮＡＴＯ', 'nato'],
  ])('folds "%s" to the key "%s"', (name, key) => {
    expect(nameKey(name)).toBe(key);
  });

  it.each([
    ["China's neutrality", 'chinas-neutrality'],
    ['Russia–China partnership', 'russia-china-partnership'],
    ['Ação   Pública!', 'acao-publica'],
    ['???', ''],
  ])('slugifies "%s" as "%s"', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });
});

describe('global ids', () => {
  it('round-trip through an opaque string', () => {
    const id = toGlobalId('Quote', 42);
    expect(id).not.toContain('42');
    expect(parseGlobalId(id)).toEqual({ type: 'Quote', id: 42 });
  });

  it.each([
    ['nonsense'],
    [toGlobalId('Quote', 1).slice(0, -2)],
    [Buffer.from('Planet:3').toString('base64url')],
    [Buffer.from('Actor:0').toString('base64url')],
    [''],
  ])('reject %j', (id) => {
    expect(parseGlobalId(id)).toBeNull();
  });
});

describe('pagination', () => {
  it('defaults to 20 and decodes its own cursors', () => {
    expect(pageRequest({}, 1)).toEqual({ first: 20, after: null });
    expect(pageRequest({ first: 5, after: encodeCursor([7]) }, 1)).toEqual({ first: 5, after: [7] });
  });

  it('rejects a cursor of another connection shape', () => {
    expect(() => pageRequest({ after: encodeCursor(['a', 1]) }, 1)).toThrow('is not a cursor from this connection');
  });
});

describe('quote offsets', () => {
  it('claims each occurrence once, preferring quoted ones for DIRECT and PARTIAL', () => {
    const body = 'go home, they said: “go home” and “go home”';
    const claimed = new Set<number>();
    expect(locateQuote(body, 'go home', 'PARTIAL', claimed)).toEqual({ startOffset: 21, endOffset: 28 });
    expect(locateQuote(body, 'go home', 'PARTIAL', claimed)).toEqual({ startOffset: 35, endOffset: 42 });
    expect(locateQuote(body, 'go home', 'INDIRECT', claimed)).toEqual({ startOffset: 0, endOffset: 7 });
    expect(locateQuote(body, 'go home', 'PARTIAL', claimed)).toBeNull();
  });
});

describe('configuration', () => {
  it('needs nothing set', () => {
    const config = loadServerConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      introspection: true,
      logLevel: 'info',
      compiledExecution: true,
      responseCacheEntries: 1000,
      extractTimeoutMs: 10_000,
    });
    expect(config.databaseUrl).toMatch(/^file:\/.*data\/newsgraph\.db$/);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535, got "eighty"'],
    [{ INTROSPECTION: 'maybe' }, 'INTROSPECTION must be true or false, got "maybe"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a SQLite "file:" URL or a "postgresql://" one, got "mysql://x"'],
    [{ DATABASE_URL: 'mysql://me:secret@x/db' }, 'got "mysql://me:***@x/db"'],
    [{ RESPONSE_CACHE_ENTRIES: '-1' }, 'RESPONSE_CACHE_ENTRIES must be an integer of 0 or more, got "-1"'],
    [{ EXTRACT_TIMEOUT_MS: 'soon' }, 'EXTRACT_TIMEOUT_MS must be a positive integer, got "soon"'],
  ])('rejects %j', (env, message) => {
    expect(() => loadServerConfig(env)).toThrow(message);
  });

  it('resolves relative database paths from the working directory', () => {
    expect(databaseUrl({ DATABASE_URL: 'file:./x/y.db' })).toBe(`file:${process.cwd()}/x/y.db`);
  });
});

describe('article text files', () => {
  it('split into a title line and a trimmed body', () => {
    expect(parseArticleText('Title here\r\nBody line one.\r\nLine two.\n')).toEqual({
      title: 'Title here',
      body: 'Body line one.\nLine two.',
    });
  });
});
