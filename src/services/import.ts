import type { Readable } from 'node:stream';
import { GraphQLError } from 'graphql';
import type { Db } from '../db.js';
import type { AddArticleInput } from '../generated/graphql.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { draftArticle } from './article-input.js';
import { saveArticles } from './articles.js';
import { coerceArticleInput } from './seeding.js';

export interface ImportOptions {
  /** Run the extractor on every article that comes without an annotation (no actors, quotes or positions). */
  extract?: boolean;
  /** Articles per transaction (default 500). */
  batchSize?: number;
  /** Bytes of line text a batch may hold before it is written (default 32 MiB), so memory stays bounded whatever the articles' sizes. */
  batchBytes?: number;
  /** The longest line accepted, in bytes (default: the HTTP request body limit, room for the largest article addArticle takes). */
  maxLineBytes?: number;
  /** Called after each batch is written, and for every line refused. */
  onProgress?: (progress: ImportProgress) => void;
  onRejected?: (rejected: RejectedLine) => void;
}

export interface ImportProgress {
  /** Bytes of the file read so far. */
  bytes: number;
  lines: number;
  created: number;
  replaced: number;
  unchanged: number;
  rejected: number;
}

export interface RejectedLine {
  line: number;
  message: string;
  /** The error code when the write path refused it (BAD_USER_INPUT, CONFLICT, ...). */
  code: string | null;
}

interface Pending {
  line: number;
  input: AddArticleInput;
  bytes: number;
}

const DEFAULTS = { batchSize: 500, batchBytes: 32 * 1024 * 1024, maxLineBytes: DEFAULT_LIMITS.maxBodyBytes };

/**
 * Reads JSONL (one AddArticleInput a line) from a stream and writes it through saveArticles in
 * batches, one transaction each. The stream is read a chunk at a time and a batch is written before
 * more is read, so memory holds one batch whatever the file's size. Every line is checked on its
 * own: a line that is not JSON, not an AddArticleInput, too long, or refused by the write path is
 * reported with its number (onRejected) and left out, and the others are written. Re-running the
 * same file writes nothing: a line whose input is stored unchanged is skipped, and one whose slug
 * names a stored article with another annotation replaces it in place (as `npm run seed` does).
 */
export async function importArticles(db: Db, source: Readable, options: ImportOptions = {}): Promise<ImportProgress> {
  const settings = { ...DEFAULTS, ...options };
  const progress: ImportProgress = { bytes: 0, lines: 0, created: 0, replaced: 0, unchanged: 0, rejected: 0 };
  const reject = (line: number, message: string, code: string | null = null) => {
    progress.rejected += 1;
    options.onRejected?.({ line, message, code });
  };
  let batch: Pending[] = [];
  let batchBytes = 0;
  const flush = async () => {
    await writeBatch(db, batch, progress, reject);
    batch = [];
    batchBytes = 0;
    options.onProgress?.({ ...progress });
  };
  for await (const line of jsonLines(source, settings.maxLineBytes)) {
    progress.bytes = line.end;
    progress.lines = line.number;
    if (line.text === null) {
      reject(
        line.number,
        `is ${line.bytes} bytes long; the limit is ${settings.maxLineBytes} bytes (MAX_BODY_BYTES), as for one addArticle request`,
      );
      continue;
    }
    if (line.text.trim() === '') continue;
    const read = readLine(line.text, settings.extract ?? false);
    if (typeof read === 'string') {
      reject(line.number, read, 'BAD_USER_INPUT');
      continue;
    }
    batch.push({ line: line.number, input: read, bytes: line.bytes });
    batchBytes += line.bytes;
    if (batch.length >= settings.batchSize || batchBytes >= settings.batchBytes) await flush();
  }
  if (batch.length > 0) await flush();
  return progress;
}

/**
 * One line as an AddArticleInput, or what is wrong with it. The checks that need no database run
 * here, so a faulty line costs its batch nothing; the write path checks the rest.
 */
function readLine(text: string, extract: boolean): AddArticleInput | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'is not a JSON object (one AddArticleInput per line)';
  const { input, problems } = coerceArticleInput(raw);
  if (problems.length > 0) return `is not a valid AddArticleInput: ${problems.join('; ')}`;
  const annotated = (input.actors?.length ?? 0) + (input.quotes?.length ?? 0) + (input.positions?.length ?? 0) > 0;
  const article = extract && !annotated && input.extract == null ? { ...input, extract: true } : input;
  try {
    draftArticle({ ...article, extract: null });
  } catch (error) {
    if (error instanceof GraphQLError) return error.message;
    throw error;
  }
  return article;
}

/**
 * Writes a batch in one transaction. When the write path refuses one input it names it
 * (extensions.inputIndex): that line is reported and the rest written again, so one bad line costs
 * the others nothing. Any other error (a full disk) stops the import.
 */
async function writeBatch(
  db: Db,
  batch: Pending[],
  progress: ImportProgress,
  reject: (line: number, message: string, code: string | null) => void,
): Promise<void> {
  let pending = batch;
  while (pending.length > 0) {
    try {
      const results = await saveArticles(
        db,
        pending.map((p) => p.input),
        { replaceExisting: true, indexErrors: true },
      );
      for (const { outcome } of results) progress[outcome] += 1;
      return;
    } catch (error) {
      const index = error instanceof GraphQLError ? error.extensions.inputIndex : undefined;
      const refused = typeof index === 'number' ? pending[index] : undefined;
      if (!(error instanceof GraphQLError) || !refused) throw error;
      const code = error.extensions.code;
      reject(refused.line, error.message, typeof code === 'string' ? code : null);
      pending = pending.filter((p) => p !== refused);
    }
  }
}

interface Line {
  /** 1-based line number. */
  number: number;
  /** The line without its line break; null when it was longer than the limit (and was not kept). */
  text: string | null;
  bytes: number;
  /** Bytes of the stream read up to the end of this line. */
  end: number;
}

/**
 * Splits a byte stream into lines without holding more than one line (and one chunk): a line over
 * `maxBytes` is counted, not kept, and reported as such. Lines are decoded as UTF-8 whole, so a
 * character split across chunks stays one character.
 */
export async function* jsonLines(source: Readable, maxBytes: number): AsyncGenerator<Line> {
  let pieces: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let number = 0;
  let consumed = 0;
  const finish = (): Line => {
    number += 1;
    const text = tooLong ? null : Buffer.concat(pieces, length).toString('utf8').replace(/\r$/, '');
    const line = { number, text, bytes: length, end: consumed };
    pieces = [];
    length = 0;
    tooLong = false;
    return line;
  };
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    let start = 0;
    while (start < buffer.length) {
      const newline = buffer.indexOf(0x0a, start);
      const end = newline === -1 ? buffer.length : newline;
      length += end - start;
      consumed += end - start + (newline === -1 ? 0 : 1);
      if (length > maxBytes) tooLong = true;
      if (!tooLong && end > start) pieces.push(buffer.subarray(start, end));
      if (tooLong) pieces = [];
      if (newline === -1) break;
      yield finish();
      start = newline + 1;
    }
  }
  if (length > 0 || tooLong) yield finish();
}
