import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../context.js';
import { installProblemHandler } from '../../http/problem-handler.js';
import { registerSdkAssetRoutes } from './routes.js';

describe('SDK assets', () => {
  let app: FastifyInstance;
  let dir: string;
  const script = `window.candor = ${JSON.stringify('x'.repeat(4000))};\n`;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-sdk-assets-'));
    await mkdir(join(dir, 'esm'));
    writeFileSync(join(dir, 'candor.js'), script);
    writeFileSync(join(dir, 'esm', 'index.js'), 'export const a = 1;\n');
    app = Fastify();
    installProblemHandler(app);
    // The routes read no context: they serve files.
    registerSdkAssetRoutes(app, {} as AppContext, dir);
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves the head script compressed as asked, with CORS for any site and no sniffing', async () => {
    const br = await app.inject({ url: '/sdk/candor.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers).toMatchObject({
      'content-encoding': 'br',
      'content-type': 'text/javascript; charset=utf-8',
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
    });
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(script);
    const gz = await app.inject({ url: '/sdk/candor.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(script);
    const plain = await app.inject('/sdk/candor.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('serves a rebuilt file at once, not the compressed copy of the old one', async () => {
    const rebuilt = 'window.candor = "rebuilt";\n';
    writeFileSync(join(dir, 'candor.js'), rebuilt);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(dir, 'candor.js'), later, later);
    const response = await app.inject({ url: '/sdk/candor.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(response.rawPayload).toString('utf8')).toBe(rebuilt);
  });

  it('serves the ESM build and refuses anything outside the two entry files and esm/', async () => {
    expect((await app.inject('/sdk/esm/index.js')).body).toBe('export const a = 1;\n');
    for (const url of [
      '/sdk/constructor',
      '/sdk/..%2Fpackage.json',
      '/sdk/esm/..%2F..%2Fetc%2Fpasswd',
      '/sdk/esm/x.js',
    ])
      expect((await app.inject(url)).statusCode, url).toBe(404);
    const missing = await app.inject('/sdk/candor-ui.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ detail: string }>().detail).toContain('npm run build -w packages/sdk');
  });
});
