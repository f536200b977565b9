// `npm run build`: compiles src/ to dist/ for plain node, and copies beside the compiled code the
// files it reads at run time (src/extract/data/). Everything else the server reads (schema.graphql,
// README.md, seeds/, prisma/migrations/) is found from dist/ as from src/, one level up. It also
// builds the web app (web/) with Vite into web/dist, which the server serves at /app.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * What the build is made from. The Prisma clients under src/generated/prisma and
 * src/generated/prisma-postgres are left out: `npm ci` regenerates them (same content, new times),
 * and the schemas stand for them.
 * @param {string} root
 * @returns {string[]}
 */
function sourceFiles(root) {
  const generated = ['prisma', 'prisma-postgres'].map((client) => path.join(root, 'src', 'generated', client));
  /** @param {string} directory @returns {string[]} */
  const walk = (directory) =>
    readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(directory, entry.name);
      if (generated.includes(file)) return [];
      return entry.isDirectory() ? walk(file) : [file];
    });
  return [
    ...walk(path.join(root, 'src')),
    ...['prisma/schema.prisma', 'prisma/postgres/schema.prisma', 'tsconfig.json', 'tsconfig.build.json'].map((file) =>
      path.join(root, file),
    ),
  ];
}

/**
 * True when `output` exists and was written after every one of `sources` last changed.
 * @param {string} output
 * @param {string[]} sources
 */
function newerThanAll(output, sources) {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return sources.every((file) => !existsSync(file) || statSync(file).mtimeMs <= built);
}

/**
 * True when dist/ exists and was built after every source last changed.
 * @param {string} [root]
 */
export function buildIsCurrent(root = PROJECT_ROOT) {
  return newerThanAll(path.join(root, 'dist', 'index.js'), sourceFiles(root));
}

/**
 * What the web app is built from: its sources (web/src, the typed documents generated into
 * web/src/gql among them), its page and its build settings.
 * @param {string} root
 * @returns {string[]}
 */
function webSourceFiles(root) {
  const web = path.join(root, 'web');
  /** @param {string} directory @returns {string[]} */
  const walk = (directory) =>
    readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(directory, entry.name);
      return entry.isDirectory() ? walk(file) : [file];
    });
  return [
    ...walk(path.join(web, 'src')),
    ...['index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'].map((file) => path.join(web, file)),
  ];
}

/**
 * True when web/dist exists and was built after every web source last changed.
 * @param {string} [root]
 */
export function webBuildIsCurrent(root = PROJECT_ROOT) {
  // A copy of the server without web/ has no app to build.
  if (!existsSync(path.join(root, 'web', 'src'))) return true;
  return newerThanAll(path.join(root, 'web', 'dist', 'index.html'), webSourceFiles(root));
}

/**
 * Vite's command-line entry as installed for web/, or null where it is not (`npm ci --omit=dev`).
 * @param {string} [root]
 */
export function viteCli(root = PROJECT_ROOT) {
  try {
    const manifest = createRequire(path.join(root, 'web', 'package.json')).resolve('vite/package.json');
    return path.join(path.dirname(manifest), 'bin', 'vite.js');
  } catch {
    return null;
  }
}

/**
 * Replaces web/dist with a fresh build of the web app; throws when Vite is missing or fails.
 * @param {string} [root]
 * @param {{ quiet?: boolean }} [options]
 */
export function buildWebApp(root = PROJECT_ROOT, options = {}) {
  const vite = viteCli(root);
  if (!vite) throw new Error('Vite is not installed: run `npm ci` (with dev dependencies) to build the web app');
  execFileSync(process.execPath, [vite, 'build', ...(options.quiet ? ['--logLevel', 'warn'] : [])], {
    cwd: path.join(root, 'web'),
    stdio: 'inherit',
  });
}

/** The TypeScript compiler, or null where it is not installed (`npm ci --omit=dev`). */
export function typescriptCompiler() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

/**
 * Replaces dist/ with a fresh build; throws when TypeScript is missing or reports an error.
 * @param {string} [root]
 */
export function build(root = PROJECT_ROOT) {
  const tsc = typescriptCompiler();
  if (!tsc) throw new Error('TypeScript is not installed: run `npm ci` (with dev dependencies) to build');
  const dist = path.join(root, 'dist');
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  cpSync(path.join(root, 'src'), dist, {
    recursive: true,
    filter: (source) => statSync(source).isDirectory() || !source.endsWith('.ts'),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    build();
    buildWebApp();
  } catch (error) {
    // tsc or Vite has already printed its errors.
    console.error(`build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(1);
  }
}
