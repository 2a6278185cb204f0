import { readFile, stat } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { precompress, sendPrecompressed, type Precompressed } from '../../http/precompressed.js';
import { besideServer } from '../../package-root.js';
import { sdkCacheHeaders } from '../../http/cdn-cache.js';

/** Where `npm run build -w packages/sdk` writes the bundles; `CANDOR_SDK_DIR` overrides (deployments, tests). */
export function sdkDistDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env['CANDOR_SDK_DIR'] ?? besideServer('sdk', 'dist');
}

// A Map, not an object literal: `/sdk/constructor` must not find Object.prototype.constructor.
const FILES: ReadonlyMap<string, string> = new Map([
  ['candor.js', 'candor.js'],
  ['candor-ui.js', 'candor-ui.js'],
  ['candor-consent.js', 'candor-consent.js'],
  ['candor-editor.js', 'candor-editor.js'],
]);

/**
 * Serves the browser SDK: `/sdk/candor.js` (the `<head>` part), `/sdk/candor-ui.js` (the lazy UI),
 * `/sdk/candor-consent.js` (the lazy consent-source adapters), `/sdk/candor-editor.js` (the visual editor)
 * and `/sdk/esm/*` (the ESM build). Public, no visitor data; CORS `*` so module imports work from
 * any site, and a short cache because the URLs are not versioned.
 */
export function registerSdkAssetRoutes(app: FastifyInstance, _context: AppContext, dir: string = sdkDistDir()): void {
  const root = resolve(dir);
  // Compressed once per build of a file (keyed by its modification time), not once per visitor.
  const cache = new Map<string, { readonly mtimeMs: number; readonly body: Promise<Precompressed> }>();
  const load = async (file: string, relative: string): Promise<Precompressed> => {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(file)).mtimeMs;
    } catch {
      throw new AppError('not_found', `SDK file ${relative} is missing: run "npm run build -w packages/sdk".`);
    }
    const cached = cache.get(file);
    if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.body;
    const body = readFile(file).then(precompress);
    cache.set(file, { mtimeMs, body });
    body.catch(() => cache.delete(file));
    return body;
  };
  const send = async (relative: string, request: FastifyRequest, reply: FastifyReply) => {
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep)) throw new AppError('not_found', 'No such SDK file.');
    const body = await load(file, relative);
    void reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .headers(sdkCacheHeaders())
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff');
    return sendPrecompressed(request, reply, body);
  };
  app.get('/sdk/:file', { schema: { hide: true } }, async (request, reply) => {
    const name = FILES.get((request.params as { file: string }).file);
    if (name === undefined) throw new AppError('not_found', 'No such SDK file.');
    return send(name, request, reply);
  });
  app.get('/sdk/esm/:file', { schema: { hide: true } }, async (request, reply) => {
    const name = (request.params as { file: string }).file;
    if (!/^[\w.-]+\.js$/.test(name)) throw new AppError('not_found', 'No such SDK file.');
    return send(join('esm', name), request, reply);
  });
}
