// Writes prisma/postgres/schema.prisma from prisma/schema.prisma, the one source of truth for the
// models: Prisma bakes the provider into the client it generates, so PostgreSQL needs a schema (and
// a client) of its own, and this keeps the two from drifting. Only the datasource, the client's
// output and one index differ: PostgreSQL reads an ascending index backwards as DESC NULLS FIRST, so
// the newest-first article order (DESC NULLS LAST) needs an index of its own there, which SQLite,
// where NULLs are the smallest values, does not. `node scripts/postgres-schema.js --check` fails when the committed copy is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));
const target = fileURLToPath(new URL('../prisma/postgres/schema.prisma', import.meta.url));

/**
 * The PostgreSQL schema derived from the SQLite one.
 * @param {string} schema
 * @returns {string}
 */
export function postgresSchema(schema) {
  /** @type {[RegExp, string][]} */
  const swaps = [
    [/output(\s*)= "\.\.\/src\/generated\/prisma"/, 'output$1= "../../src/generated/prisma-postgres"'],
    [/provider = "sqlite"/, 'provider = "postgresql"'],
    [/url(\s*)= "file:\.\.\/data\/newsgraph\.db"/, 'url$1= "postgresql://postgres@localhost:5432/newsgraph"'],
    // Prisma cannot say NULLS LAST; the migration that creates this index does (20261203000000_newest_first_index).
    [
      /^([ \t]*)@@index\(\[publishedAt, id\]\)$/m,
      '$1@@index([publishedAt, id])\n$1@@index([publishedAt(sort: Desc), id(sort: Desc)], map: "Article_publishedAt_desc_id_idx")',
    ],
  ];
  let derived = schema;
  for (const [pattern, replacement] of swaps) {
    if (!pattern.test(derived))
      throw new Error(`prisma/schema.prisma no longer matches ${String(pattern)}: update scripts/postgres-schema.js`);
    derived = derived.replace(pattern, replacement);
  }
  return `// GENERATED from prisma/schema.prisma by scripts/postgres-schema.js (npm run generate): do not edit.\n${derived}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const derived = postgresSchema(readFileSync(source, 'utf8'));
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== derived) {
      console.error('prisma/postgres/schema.prisma is stale: run npm run generate and commit it');
      process.exit(1);
    }
  } else writeFileSync(target, derived);
}
