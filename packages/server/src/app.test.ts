import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing/test-app.js';

describe('the app shell', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers /healthz and /readyz with the dialect', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready', database: 'sqlite' });
  });

  it('serves /.well-known/gpc.json as docs/privacy.md §1 says', async () => {
    const body = (await t.app.inject('/.well-known/gpc.json')).json() as { gpc: boolean; lastUpdate: string };
    expect(body.gpc).toBe(true);
    expect(body.lastUpdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('exposes Prometheus metrics by route pattern, never by URL, counted per status', async () => {
    const count = (text: string, route: string, status: number) =>
      Number(
        new RegExp(`candor_http_requests_total\\{method="GET",route="${route}",status="${status}"\\} (\\d+)`).exec(
          text,
        )?.[1] ?? 0,
      );
    const before = (await t.app.inject('/metrics')).body;
    // This site has not published: each answer is a 404, counted under the route pattern.
    await t.app.inject('/v1/sites/shop/snapshot');
    await t.app.inject('/v1/sites/no-such-site/snapshot');
    await t.app.inject('/readyz');
    await t.app.inject('/readyz');
    const after = (await t.app.inject('/metrics')).body;
    expect(count(after, '/readyz', 200) - count(before, '/readyz', 200)).toBe(2);
    const snapshot = '/v1/sites/:siteKey/snapshot';
    expect(count(after, snapshot, 404) - count(before, snapshot, 404)).toBe(2);
    expect(after).toMatch(/candor_http_request_duration_seconds_count\{method="GET",route="\/readyz"\} \d+/);
    expect(after).not.toContain('no-such-site');
  });

  it('serves an OpenAPI 3.1 document generated from the zod schemas, and the reference at /docs', async () => {
    const spec = (await t.app.inject('/docs/openapi.json')).json() as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/v1/admin/sites/{site}/publish', '/v1/sites/{siteKey}/reports', '/v1/visitor/consent']),
    );
    const page = await t.app.inject('/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('answers unknown routes, bad JSON and invalid bodies with problem+json 4xx', async () => {
    const notFound = await t.app.inject('/nope');
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers['content-type']).toContain('application/problem+json');
    expect(notFound.json()).toMatchObject({ status: 404, code: 'not_found' });

    const badJson = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json()).toMatchObject({ code: 'bad_request' });

    const invalid = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/login',
      payload: { email: 'not-an-email', password: '' },
    });
    expect(invalid.statusCode).toBe(400);
    const problem = invalid.json() as { code: string; detail: string; errors: { path: string }[] };
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['body.email']));
    expect(problem.detail).toContain('body.email');
  });

  it('writes its logs to the stream it was given', () => {
    expect(t.logs.length).toBeGreaterThan(0);
    expect(t.logs.join('')).toContain('"route":"/healthz"');
  });
});
