// The web app is built into web/dist, which the newsgraph server serves at /app. `npm run dev` here
// serves it with hot reload and passes /graphql to a running server (NEWSGRAPH_URL, default
// http://127.0.0.1:4000), so the app and the API share one origin as they do when served.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: { '/graphql': { target: process.env.NEWSGRAPH_URL ?? 'http://127.0.0.1:4000', changeOrigin: true } },
  },
});
