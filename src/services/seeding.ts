import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { coerceInputValue, GraphQLError, type GraphQLInputType, isInputType } from 'graphql';
import type { Db } from '../db.js';
import type { AddArticleInput } from '../generated/graphql.js';
import { schema } from '../schema.js';
import { draftArticle } from './article-input.js';
import { saveArticles } from './articles.js';

/** Fields of the gold annotation format that only the evaluation uses. */
const EVALUATION_ONLY_FIELDS = ['notQuotes', 'ambiguous', 'license'];

export interface SeedResult {
  file: string;
  slug: string;
  outcome: 'created' | 'replaced' | 'unchanged';
}

/** Splits an article text file: first line the title, the rest the body. */
export function parseArticleText(text: string): { title: string; body: string } {
  const normalized = text.replace(/\r\n?/g, '\n');
  const newline = normalized.indexOf('\n');
  const title = (newline === -1 ? normalized : normalized.slice(0, newline)).trim();
  const body = newline === -1 ? '' : normalized.slice(newline + 1).trim();
  return { title, body };
}

function inputType(name: string): GraphQLInputType {
  const type = schema.getType(name);
  if (!type || !isInputType(type)) throw new Error(`schema.graphql has no input type ${name}`);
  return type;
}

/**
 * Reads one seed: NAME.json (an AddArticleInput) with NAME.txt beside it supplying the title and
 * body when the JSON leaves them out. The JSON is coerced through the GraphQL input type, so a seed
 * is held to exactly the rules a client's addArticle call is.
 */
export async function readSeed(jsonPath: string): Promise<AddArticleInput> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw new Error(`${jsonPath} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${jsonPath}: expected a JSON object`);
  const annotation: Record<string, unknown> = { ...raw };
  for (const field of EVALUATION_ONLY_FIELDS) delete annotation[field];
  const textPath = jsonPath.replace(/\.json$/, '.txt');
  const text = await readFile(textPath, 'utf8').then(parseArticleText, () => null);
  if (text) {
    for (const field of ['title', 'body'] as const) {
      if (annotation[field] === undefined) annotation[field] = text[field];
      else if (annotation[field] !== text[field]) throw new Error(`${jsonPath}: "${field}" differs from ${path.basename(textPath)}`);
    }
  }
  if (annotation.slug === undefined) annotation.slug = path.basename(jsonPath, '.json');
  const { input, problems } = coerceArticleInput(annotation);
  if (problems.length > 0) throw new Error(`${jsonPath} is not a valid AddArticleInput:\n  ${problems.join('\n  ')}`);
  return input;
}

/**
 * A parsed JSON value coerced through the GraphQL input type, so that a file (a seed, a line of an
 * import) is held to exactly the rules a client's addArticle call is; `problems` lists each value
 * that does not fit, by its path.
 */
export function coerceArticleInput(value: unknown): { input: AddArticleInput; problems: string[] } {
  return coerceInput<AddArticleInput>('AddArticleInput', value);
}

/** coerceArticleInput for any input type of the schema; a problem's path starts at `root` when given. */
export function coerceInput<T>(typeName: string, value: unknown, root?: string): { input: T; problems: string[] } {
  const problems: string[] = [];
  const input: unknown = coerceInputValue(value, inputType(typeName), (where, _value, error) => {
    const path = root === undefined ? where : [root, ...where];
    problems.push(`${path.length ? path.join('.') : 'input'}: ${error.message}`);
  });
  return { input: input as T, problems };
}

/** An article with no annotation file: its text, with the extractor asked to annotate it. */
export async function readTextSeed(textPath: string): Promise<AddArticleInput> {
  const { title, body } = parseArticleText(await readFile(textPath, 'utf8'));
  return { title, body, slug: path.basename(textPath, '.txt'), extract: true };
}

/**
 * Loads every article in a directory through the same service addArticle uses: NAME.json
 * annotations as given, and NAME.txt files without one through the extractor. The whole run is
 * checked first, every file's problems reported with its name and field, and then written in one
 * transaction: all of it or none, so a malformed file never leaves the files before it stored. A
 * second run creates nothing new: unchanged files are skipped and changed ones replace their article.
 */
export async function seedDirectory(db: Db, directory: string): Promise<SeedResult[]> {
  const names = await readdir(directory);
  const annotated = new Set(names.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)));
  const files = names.filter((f) => f.endsWith('.json') || (f.endsWith('.txt') && !annotated.has(f.slice(0, -'.txt'.length)))).sort();
  const problems: string[] = [];
  const inputs: AddArticleInput[] = [];
  for (const file of files) {
    const filePath = path.join(directory, file);
    try {
      const input = file.endsWith('.json') ? await readSeed(filePath) : await readTextSeed(filePath);
      // The checks that need no database, so that every faulty file is named in one run.
      draftArticle(input);
      inputs.push(input);
    } catch (error) {
      problems.push(`${file}: ${messageOf(error).replace(`${filePath} `, '')}`);
    }
  }
  if (problems.length > 0) throw new SeedError(problems);
  try {
    const saved = await saveArticles(db, inputs, { replaceExisting: true });
    return saved.map(({ article, outcome }, i) => ({ file: files[i] ?? '', slug: article.slug, outcome }));
  } catch (error) {
    // The one input the batch stopped at, by its position (see saveArticles).
    const index = error instanceof GraphQLError ? error.extensions.inputIndex : undefined;
    const file = typeof index === 'number' ? files[index] : undefined;
    throw new SeedError([`${file ?? directory}: ${messageOf(error)}`], { cause: error });
  }
}

/** A seed run that wrote nothing, with one line per problem, each starting with its file's name. */
export class SeedError extends Error {
  constructor(
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(
      `Nothing was seeded: ${problems.length === 1 ? 'a file has a problem' : `${problems.length} files have problems`}\n  ${problems.map((problem) => problem.replaceAll('\n', '\n  ')).join('\n  ')}`,
      options,
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
