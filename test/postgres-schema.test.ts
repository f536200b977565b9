import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { postgresSchema } from '../scripts/postgres-schema.js';

describe('the PostgreSQL schema', () => {
  it('is derived from prisma/schema.prisma and committed as npm run generate writes it', () => {
    const derived = postgresSchema(readFileSync('prisma/schema.prisma', 'utf8'));
    expect(readFileSync('prisma/postgres/schema.prisma', 'utf8')).toBe(derived);
    expect(derived).toMatch(/provider = "postgresql"/);
    expect(derived).not.toMatch(/provider = "sqlite"/);
    // Every model of the SQLite schema, unchanged but for the one index PostgreSQL alone needs.
    const models = (schema: string) => schema.match(/^model \w+ \{[^}]*\}/gms) ?? [];
    const newestFirst = /^\s*@@index\(\[publishedAt\(sort: Desc\), id\(sort: Desc\)\], map: "Article_publishedAt_desc_id_idx"\)\n/m;
    expect(derived).toMatch(newestFirst);
    expect(models(derived).length).toBe(8);
    expect(models(derived.replace(newestFirst, ''))).toEqual(models(readFileSync('prisma/schema.prisma', 'utf8')));
  });
});
