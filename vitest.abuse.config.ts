import { defineConfig } from 'vitest/config';

// `npm run abuse`: the hostile-client suite, against the server in a process of its own.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: { include: ['abuse/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false },
});
