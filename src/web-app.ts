// Serves the built web app (web/dist) at /app: its files as they are, and index.html for every
// other path under /app, so a shared link or a reload deep in the app (/app/actors/…) opens the
// app, whose router then shows the page. Everything is local: the app works with no internet access.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

export const WEB_APP_PATH = '/app';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Whether a request path belongs to the web app. */
export function isWebAppPath(pathname: string): boolean {
  return pathname === WEB_APP_PATH || pathname.startsWith(`${WEB_APP_PATH}/`);
}

async function fileAt(file: string): Promise<number | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Answers one request under /app from `directory`. */
export async function serveWebApp(req: IncomingMessage, res: ServerResponse, pathname: string, directory: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'The web app is read with GET', { allow: 'GET, HEAD' });
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(WEB_APP_PATH.length));
  } catch {
    return sendText(res, 400, 'The path is not valid percent-encoding');
  }
  const requested = path.resolve(directory, `.${path.posix.normalize(`/${relative}`)}`);
  // normalize() has already removed every "..", so this holds; kept as the rule that matters.
  if (requested !== directory && !requested.startsWith(directory + path.sep)) return sendText(res, 404, 'Not found');

  let file = requested;
  let size = relative.replace(/\/$/, '') === '' ? null : await fileAt(file);
  if (size === null) {
    // A missing asset is a 404 (a stale page asking for an old bundle should fail loudly, not get
    // HTML); any other path is a page of the app.
    if (relative.startsWith('/assets/')) return sendText(res, 404, `Not found: ${pathname}`);
    file = path.join(directory, 'index.html');
    size = await fileAt(file);
    if (size === null) return sendText(res, 503, 'The web app is not built: run `npm run build` (or `npm start`, which builds it)');
  }
  const hashed = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': String(size),
    // Vite names every asset by its content hash, so an asset never changes; index.html names them.
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return void res.end();
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on('error', reject).on('end', resolve).pipe(res);
  });
}
