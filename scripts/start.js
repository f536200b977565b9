// `npm start`: the compiled server (dist/) under plain node, built first when it is missing or older
// than its sources, and so is the web app it serves at /app (web/dist). The server runs in this very process, which package.json starts with `exec`, so
// the signals a process manager sends `npm start` reach the server and nothing is left running.
import { existsSync } from 'node:fs';
import { build, buildIsCurrent, buildWebApp, typescriptCompiler, viteCli, webBuildIsCurrent } from './build.js';

const entry = new URL('../dist/index.js', import.meta.url);

if (!buildIsCurrent()) {
  if (typescriptCompiler()) {
    console.error('npm start: dist/ is missing or older than src/, building it first');
    try {
      build();
    } catch {
      console.error('npm start: the build failed (its errors are above); fix them, or serve from src/ with `npm run dev`');
      process.exit(1);
    }
  } else if (existsSync(entry)) {
    console.error(
      'npm start: dist/ is older than src/ and TypeScript is not installed, so the old build is served: run `npm run build` with dev dependencies installed',
    );
  } else {
    console.error('npm start: dist/ is missing and TypeScript is not installed: run `npm run build` before `npm ci --omit=dev`');
    process.exit(1);
  }
}
if (!webBuildIsCurrent()) {
  const built = existsSync(new URL('../web/dist/index.html', import.meta.url));
  if (viteCli()) {
    console.error('npm start: web/dist is missing or older than web/, building the web app first');
    try {
      buildWebApp(undefined, { quiet: true });
    } catch {
      console.error('npm start: the web app failed to build (its errors are above); fix them, or run it with `npm run dev -w web`');
      process.exit(1);
    }
  } else {
    // The API works without the app: say so, and serve what there is.
    console.error(
      built
        ? 'npm start: web/dist is older than web/ and Vite is not installed, so the old web app is served: run `npm run build` with dev dependencies installed'
        : 'npm start: web/dist is missing and Vite is not installed, so /app has no app: run `npm run build` before `npm ci --omit=dev`',
    );
  }
}
await import(entry.href);
