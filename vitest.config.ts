import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships both ESM (.mjs) and CommonJS builds; Vite would hand our code the first and
  // CommonJS dependencies (graphql-tools, Apollo) the second, and graphql-js refuses to mix them.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    // Specs of PostgreSQL alone; `npm run test:postgres` runs them.
    exclude: ['test/postgres/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
