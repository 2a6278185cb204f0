import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../context.js';
import { installProblemHandler } from '../../http/problem-handler.js';
import { registerDashboardAssetRoutes } from './routes.js';

describe('dashboard assets at /admin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-dashboard-'));
  const app = Fastify();
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'export {};');
    installProblemHandler(app);
    registerDashboardAssetRoutes(app, {} as AppContext, dir);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects /admin to /admin/ and serves the shell with no-cache and a CSP', async () => {
    expect((await app.inject('/admin')).headers.location).toBe('/admin/');
    const shell = await app.inject('/admin/');
    expect(shell.statusCode).toBe(200);
    expect(shell.headers['cache-control']).toBe('no-cache');
    expect(shell.headers['content-security-policy']).toContain("script-src 'self'");
    expect(shell.body).toContain('id="root"');
  });

  it('falls back to the shell for client-side routes', async () => {
    const route = await app.inject('/admin/sites/shop/fields/new');
    expect(route.statusCode).toBe(200);
    expect(route.headers['content-type']).toContain('text/html');
  });

  it('serves hashed assets as immutable and answers 404 for a missing one', async () => {
    const asset = await app.inject('/admin/assets/index-abc123.js');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect((await app.inject('/admin/assets/index-old.js')).statusCode).toBe(404);
  });

  it('never serves a file outside the build directory', async () => {
    const escape = await app.inject('/admin/..%2f..%2fetc%2fpasswd');
    expect(escape.statusCode).toBe(404);
  });

  it('says how to build the dashboard when it is missing', async () => {
    const bare = Fastify();
    installProblemHandler(bare);
    registerDashboardAssetRoutes(bare, {} as AppContext, join(dir, 'nope'));
    const response = await bare.inject('/admin/');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ detail: expect.stringContaining('npm run build -w @candor/dashboard') });
    await bare.close();
  });
});
