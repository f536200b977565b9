// `npm run build`: compiles src/ to dist/ for plain node, and copies beside the compiled code the
// files it reads at run time (src/extract/data/). Everything else the server reads (schema.graphql,
// README.md, seeds/, prisma/migrations/) is found from dist/ as from src/, one level up.
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
 * True when dist/ exists and was built after every source last changed.
 * @param {string} [root]
 */
export function buildIsCurrent(root = PROJECT_ROOT) {
  const entry = path.join(root, 'dist', 'index.js');
  if (!existsSync(entry)) return false;
  const built = statSync(entry).mtimeMs;
  return sourceFiles(root).every((file) => !existsSync(file) || statSync(file).mtimeMs <= built);
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
  } catch (error) {
    // tsc has already printed its errors.
    console.error(`build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(1);
  }
}
