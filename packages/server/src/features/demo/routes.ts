import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { demoDir, demoEnabled } from './seed-demo.js';

/** The site key the demo pages load (`data-site="demo"` in examples/demo). */
const DEMO_SITE_KEY = 'demo';

// Only what a web page is made of: the seed file and anything else in the folder stay unserved.
const TYPES: ReadonlyMap<string, string> = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
]);

/**
 * A strict CSP a customer could copy: scripts only with this response's nonce (the SDK hands it to
 * the UI chunk it loads), styles from this origin or with the nonce, requests to this origin only.
 */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** The demo site's snapshot-signing key as the script tag's `data-public-key` wants it: base64url of keys[0]'s JSON. */
async function publicKeyAttribute(context: AppContext): Promise<string | undefined> {
  const site = await context.storage.getSiteByKey(DEMO_SITE_KEY);
  return site === undefined ? undefined : Buffer.from(site.signingPublicJwk, 'utf8').toString('base64url');
}

/**
 * Serves `examples/demo` at `/demo/`: static files, with each HTML page's placeholders filled in
 * server-side (`%CANDOR_PUBLIC_KEY%` from the demo site's keys, `%CANDOR_NONCE%` fresh per response),
 * so the pages carry the script tag exactly as a customer would paste it. Off with `CANDOR_DEMO=off`.
 */
export function registerDemoRoutes(app: FastifyInstance, context: AppContext, dir: string = demoDir()): void {
  if (!demoEnabled()) return;
  const root = resolve(dir);
  const sendPage = async (relative: string, reply: FastifyReply) => {
    const publicKey = await publicKeyAttribute(context);
    if (publicKey === undefined) {
      throw new AppError(
        'not_found',
        'The demo site does not exist: it is created on the first start of an empty database unless CANDOR_DEMO=off.',
      );
    }
    const html = (await read(relative))?.toString('utf8');
    if (html === undefined) throw new AppError('not_found', `No demo page ${relative}.`);
    const nonce = randomBytes(16).toString('base64url');
    return reply
      .header('content-type', TYPES.get('.html'))
      .header('content-security-policy', contentSecurityPolicy(nonce))
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'strict-origin-when-cross-origin')
      .send(html.replaceAll('%CANDOR_PUBLIC_KEY%', publicKey).replaceAll('%CANDOR_NONCE%', nonce));
  };
  const read = async (relative: string): Promise<Buffer | undefined> => {
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep)) return undefined;
    try {
      return await readFile(file);
    } catch {
      return undefined;
    }
  };
  app.get('/demo', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/demo/', 308));
  app.get('/demo/*', { schema: { hide: true } }, async (request, reply) => {
    // Already percent-decoded by the router; never decode twice.
    const path = (request.params as { '*': string })['*'];
    if (path === '' || path.endsWith('/')) return sendPage(`${path}index.html`, reply);
    const type = TYPES.get(extname(path));
    if (type === undefined) {
      // `/demo/zh-Hant` is a folder: send the browser to its index so relative links resolve.
      if (extname(path) === '' && (await read(`${path}/index.html`)) !== undefined) {
        return reply.redirect(`/demo/${path}/`, 308);
      }
      throw new AppError('not_found', `No demo file ${path}.`);
    }
    if (extname(path) === '.html') return sendPage(path, reply);
    const body = await read(path);
    if (body === undefined) throw new AppError('not_found', `No demo file ${path}.`);
    return reply
      .header('content-type', type)
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}
