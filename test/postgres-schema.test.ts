import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { postgresSchema } from '../scripts/postgres-schema.js';

describe('the PostgreSQL schema', () => {
  it('is derived from prisma/schema.prisma and committed as npm run generate writes it', () => {
    const derived = postgresSchema(readFileSync('prisma/schema.prisma', 'utf8'));
    expect(readFileSync('prisma/postgres/schema.prisma', 'utf8')).toBe(derived);
    expect(derived).toMatch(/provider = "postgresql"/);
    expect(derived).not.toMatch(/provider = "sqlite"/);
    // Every model of the SQLite schema, unchanged.
    const models = (schema: string) => schema.match(/^model \w+ \{[^}]*\}/gms) ?? [];
    expect(models(derived).length).toBe(8);
    expect(models(derived)).toEqual(models(readFileSync('prisma/schema.prisma', 'utf8')));
  });
});
