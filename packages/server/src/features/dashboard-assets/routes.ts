import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { besideServer } from '../../package-root.js';

/** Where `npm run build -w @candor/dashboard` writes the SPA; `CANDOR_DASHBOARD_DIR` overrides (deployments, tests). */
export function dashboardDistDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env['CANDOR_DASHBOARD_DIR'] ?? besideServer('dashboard', 'dist');
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// The dashboard runs only its own bundled scripts and talks only to this origin. Recharts and React
// set inline style attributes, hence 'unsafe-inline' for styles only; HTML variant previews are
// sandboxed srcdoc frames with scripts off.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the dashboard SPA at `/admin/`: hashed files under `assets/` are immutable for a year,
 * `index.html` is revalidated every time (so a deploy is seen at once), and any other path that is not
 * a file falls back to `index.html` for client-side routing.
 */
export function registerDashboardAssetRoutes(
  app: FastifyInstance,
  _context: AppContext,
  dir: string = dashboardDistDir(),
): void {
  const root = resolve(dir);
  const read = async (relative: string): Promise<Buffer | undefined> => {
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep)) throw new AppError('not_found', 'No such dashboard file.');
    try {
      return await readFile(file);
    } catch {
      return undefined;
    }
  };
  const secure = (reply: FastifyReply): FastifyReply =>
    reply
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY');
  const sendIndex = async (reply: FastifyReply) => {
    const index = await read('index.html');
    if (index === undefined) {
      throw new AppError('not_found', 'The dashboard is not built: run "npm run build -w @candor/dashboard".');
    }
    return secure(reply).header('content-type', TYPES['.html']).header('cache-control', 'no-cache').send(index);
  };
  app.get('/admin', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/admin/', 308));
  app.get('/admin/*', { schema: { hide: true } }, async (request, reply) => {
    // The router has already percent-decoded the wildcard; decoding again would let %252e%252e through.
    const relative = (request.params as { '*': string })['*'];
    if (relative === '' || relative === 'index.html') return sendIndex(reply);
    const body = await read(relative);
    if (body === undefined) {
      // A missing hashed asset is a real 404 (an old tab after a deploy), never the HTML shell.
      if (relative.startsWith('assets/') || extname(relative) !== '')
        throw new AppError('not_found', `No dashboard file ${relative}.`);
      return sendIndex(reply);
    }
    return secure(reply)
      .header('content-type', TYPES[extname(relative)] ?? 'application/octet-stream')
      .header(
        'cache-control',
        relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      )
      .send(body);
  });
}
