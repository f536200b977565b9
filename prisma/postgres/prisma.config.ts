// Prisma's CLI on PostgreSQL, for checking and writing PostgreSQL migrations offline:
//   DATABASE_URL=postgresql://… npx prisma migrate diff --config prisma/postgres/prisma.config.ts \
//     --from-migrations prisma/postgres/migrations --to-schema-datamodel prisma/postgres/schema.prisma
// Its shadow database is created, and dropped, on DATABASE_URL's server. newsgraph applies these
// migrations itself (src/postgres/migrate.ts); this configuration is for the CLI's differ alone.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { cliAdapter } from '../../src/postgres/cli-adapter.js';

const url = process.env.DATABASE_URL ?? '';

export default defineConfig({
  experimental: { adapter: true, externalTables: true },
  engine: 'js',
  schema: path.join(import.meta.dirname, 'schema.prisma'),
  migrations: { path: path.join(import.meta.dirname, 'migrations') },
  // The search tables beside the models (migration 20261202100100_search_and_order), which
  // schema.prisma does not describe: the differ leaves them out rather than dropping them.
  tables: { external: ['public.ArticleSearch', 'public.QuoteSearch', 'public.ActorSearch'] },
  adapter() {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('set DATABASE_URL to a postgresql:// URL: the shadow database is made there');
    return Promise.resolve(cliAdapter(url));
  },
});
