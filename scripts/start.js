// `npm start`: the compiled server (dist/) under plain node, built first when it is missing or older
// than its sources. The server runs in this very process, which package.json starts with `exec`, so
// the signals a process manager sends `npm start` reach the server and nothing is left running.
import { existsSync } from 'node:fs';
import { build, buildIsCurrent, typescriptCompiler } from './build.js';

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
await import(entry.href);
