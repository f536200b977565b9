import type { Readable } from 'node:stream';
import { GraphQLError } from 'graphql';
import type { Db } from '../db.js';
import type { ActorInput, AddArticleInput } from '../generated/graphql.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { extractionsInFlight } from './extraction-pool.js';
import { upsertActor } from './actor-writes.js';
import { type PreparedArticle, prepareArticle, savePreparedArticles } from './articles.js';
import { coerceInput } from './seeding.js';
import { saveTopic } from './topic-writes.js';

export interface ImportOptions {
  /** Run the extractor on every article that comes without an annotation (no actors, quotes or positions). */
  extract?: boolean;
  /** Articles per transaction (default 500). */
  batchSize?: number;
  /** Bytes of line text a batch may hold before it is written (default 32 MiB), so memory stays bounded whatever the articles' sizes. */
  batchBytes?: number;
  /** The longest line accepted, in bytes (default: the HTTP request body limit, room for the largest article addArticle takes). */
  maxLineBytes?: number;
  /** Called after each batch is written. */
  onProgress?: (progress: ImportProgress) => void;
  /** Called for every line refused, in line order (a batch's refusals when the batch is written). */
  onRejected?: (rejected: RejectedLine) => void;
}

export interface ImportProgress {
  /** Bytes of the file read so far. */
  bytes: number;
  lines: number;
  /** Lines that stored something new: an article, or an actor or topic of its own line. */
  created: number;
  /** Lines whose article (or actor) was stored with something else and is now as the line says. */
  replaced: number;
  /** Lines stored already exactly so: nothing written. */
  unchanged: number;
  rejected: number;
}

export interface RejectedLine {
  line: number;
  message: string;
  /** The error code when the write path refused it (BAD_USER_INPUT, CONFLICT, ...). */
  code: string | null;
}

/** What one line of the file holds. */
type Entry =
  | { kind: 'article'; input: AddArticleInput }
  /** An actor of its own line (export writes those no article mentions), stored as upsertActor stores it. */
  | { kind: 'actor'; input: ActorInput }
  /** A topic no article is about. */
  | { kind: 'topic'; name: string };

/** A line of the batch being gathered: refused already, or an article on its way to the write path. */
type Pending =
  | { line: number; refused: RejectedLine }
  /** The article checked on its own and, with --extract, extracted: started as the line is read. */
  | { line: number; prepared: Promise<PreparedArticle | GraphQLError> };

const DEFAULTS = { batchSize: 500, batchBytes: 32 * 1024 * 1024, maxLineBytes: DEFAULT_LIMITS.maxBodyBytes };

/**
 * Reads JSONL from a stream and writes it through the write path, articles in batches of one
 * transaction each. A line is an AddArticleInput, or `{"actor": ActorInput}` (an actor stored as
 * upsertActor stores it) or `{"topic": "Name"}` (a topic no article is about): what `npm run
 * export` writes. The stream is read a chunk at a time and a batch is written before more is read,
 * so memory holds two batches (one being written, the next being read) whatever the file's size. Every line is checked on its own: a line that
 * is not JSON, not one of those shapes, too long, or refused by the write path is reported with its
 * number (onRejected) and left out, and the others are written. Each article is prepared (checked,
 * and extracted with `extract`) once, as its line is read, while the lines before it are still
 * extracting on the pool's threads. An actor or topic line is written after the articles before it.
 * Re-running the same file writes nothing: a line whose input is stored unchanged is skipped, and
 * one whose slug names a stored article with another annotation replaces it in place (as `npm run
 * seed` does).
 */
export async function importArticles(db: Db, source: Readable, options: ImportOptions = {}): Promise<ImportProgress> {
  const settings = { ...DEFAULTS, ...options };
  const progress: ImportProgress = { bytes: 0, lines: 0, created: 0, replaced: 0, unchanged: 0, rejected: 0 };
  let batch: Pending[] = [];
  let batchBytes = 0;
  // One batch is written while the next is read and prepared: on PostgreSQL the database's share of
  // a batch (its triggers keep the search index) then overlaps the parsing and checking of the next.
  let writing: Promise<void> = Promise.resolve();
  // The extractions started and not yet known to be done, oldest first.
  const extracting: Promise<void>[] = [];
  const write = async (lines: Pending[]) => {
    const refused = await writeBatch(db, lines, progress);
    refused.sort((a, b) => a.line - b.line);
    progress.rejected += refused.length;
    for (const line of refused) options.onRejected?.(line);
    options.onProgress?.({ ...progress });
  };
  /** Hands the batch to the writer once the one before it is written (a failure of that one throws here). */
  const flush = async () => {
    await writing;
    writing = write(batch);
    // Awaited at the next flush or at the end; until then its failure must not count as unhandled.
    writing.catch(() => {});
    batch = [];
    batchBytes = 0;
  };
  for await (const line of jsonLines(source, settings.maxLineBytes)) {
    progress.bytes = line.end;
    progress.lines = line.number;
    const refuse = (message: string, code: string | null) =>
      batch.push({ line: line.number, refused: { line: line.number, message, code } });
    if (line.text === null) {
      refuse(
        `is ${line.bytes} bytes long; the limit is ${settings.maxLineBytes} bytes (MAX_BODY_BYTES), as for one addArticle request`,
        null,
      );
    } else if (line.text.trim() !== '') {
      const entry = readLine(line.text, settings.extract ?? false);
      if (typeof entry === 'string') refuse(entry, 'BAD_USER_INPUT');
      else if (entry.kind === 'article') {
        // Reading waits while the pool has its fill of this import's extractions, oldest first.
        if (entry.input.extract) while (extracting.length >= extractionsInFlight()) await extracting.shift();
        const prepared = prepare(entry.input);
        // Awaited when the batch is written; an unexpected failure before then must not count as unhandled.
        prepared.catch(() => {});
        if (entry.input.extract) extracting.push(prepared.then(settled, settled));
        batch.push({ line: line.number, prepared });
      } else {
        await flush();
        await writing;
        const outcome = await writeOwnLine(db, entry);
        if (outcome instanceof GraphQLError) refuse(outcome.message, codeOf(outcome));
        else progress[outcome] += 1;
      }
    }
    batchBytes += line.bytes;
    if (batch.length >= settings.batchSize || batchBytes >= settings.batchBytes) await flush();
  }
  if (batch.length > 0) await flush();
  await writing;
  return progress;
}

const settled = () => {};

function codeOf(error: GraphQLError): string | null {
  return typeof error.extensions.code === 'string' ? error.extensions.code : null;
}

/** The article prepared for the write path, or the error that refuses it (a faulty input, an extraction past its time limit). */
async function prepare(input: AddArticleInput): Promise<PreparedArticle | GraphQLError> {
  try {
    return await prepareArticle(input);
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}

/** Writes an actor or topic line in a transaction of its own. */
async function writeOwnLine(
  db: Db,
  entry: Exclude<Entry, { kind: 'article' }>,
): Promise<'created' | 'replaced' | 'unchanged' | GraphQLError> {
  try {
    if (entry.kind === 'topic') return (await saveTopic(db, entry.name, 'topic')).created ? 'created' : 'unchanged';
    const { created, changed } = await upsertActor(db, entry.input, 'actor');
    return created ? 'created' : changed ? 'replaced' : 'unchanged';
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}

/** One line as an article, actor or topic, or what is wrong with it as JSON or as one of those. */
function readLine(text: string, extract: boolean): Entry | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'is not a JSON object (one AddArticleInput per line)';
  const keys = Object.keys(raw);
  if (keys.length === 1 && keys[0] === 'topic') {
    const name: unknown = Reflect.get(raw, 'topic');
    return typeof name === 'string' ? { kind: 'topic', name } : 'topic: must be a string, the name of a topic';
  }
  if (keys.length === 1 && keys[0] === 'actor') {
    const { input, problems } = coerceInput<ActorInput>('ActorInput', Reflect.get(raw, 'actor'), 'actor');
    return problems.length > 0 ? `is not a valid actor line ({"actor": ActorInput}): ${problems.join('; ')}` : { kind: 'actor', input };
  }
  const { input, problems } = coerceInput<AddArticleInput>('AddArticleInput', raw);
  if (problems.length > 0) return `is not a valid AddArticleInput: ${problems.join('; ')}`;
  const annotated = (input.actors?.length ?? 0) + (input.quotes?.length ?? 0) + (input.positions?.length ?? 0) > 0;
  return { kind: 'article', input: extract && !annotated && input.extract == null ? { ...input, extract: true } : input };
}

/**
 * Writes a batch's articles in one transaction and gives back the lines refused. A line its
 * preparation refused is one; so is one the checks against the store refuse, and the batch is
 * planned again without it (savePreparedArticles' leaveOutRefused), so one bad line costs the others
 * nothing. A refusal found only while writing (an affiliation cycle through actors the batch did
 * not load) runs the batch again without that line. Any other error (a full disk) stops the import.
 */
async function writeBatch(db: Db, batch: Pending[], progress: ImportProgress): Promise<RejectedLine[]> {
  const refused: RejectedLine[] = [];
  const refuse = (line: number, error: GraphQLError) => refused.push({ line, message: error.message, code: codeOf(error) });
  let pending: { line: number; prepared: PreparedArticle }[] = [];
  for (const entry of batch) {
    if ('refused' in entry) {
      refused.push(entry.refused);
      continue;
    }
    const ready = await entry.prepared;
    if (ready instanceof GraphQLError) refuse(entry.line, ready);
    else pending.push({ line: entry.line, prepared: ready });
  }
  while (pending.length > 0) {
    try {
      const written = await savePreparedArticles(
        db,
        pending.map((p) => p.prepared),
        { replaceExisting: true, indexErrors: true, leaveOutRefused: true },
      );
      for (const { index, error } of written.refused) refuse(pending[index]?.line ?? 0, error);
      for (const result of written.results) if (result) progress[result.outcome] += 1;
      break;
    } catch (error) {
      const index = error instanceof GraphQLError ? error.extensions.inputIndex : undefined;
      const line = typeof index === 'number' ? pending[index] : undefined;
      if (!(error instanceof GraphQLError) || !line) throw error;
      refuse(line.line, error);
      pending = pending.filter((p) => p !== line);
    }
  }
  return refused;
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
