import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { seedAndPublish } from '../src/testing/seed.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';

/** Reads `stale-if-error=N` (or another numeric directive) out of a cache header. */
const directive = (header: unknown, name: string): number | undefined => {
  const match = new RegExp(`(?:^|[ ,])${name}=(\\d+)`).exec(String(header));
  return match === null ? undefined : Number(match[1]);
};

describe('behind a CDN: cache directives, surrogate keys, and the purge a publish announces', () => {
  const bodies: string[] = [];
  let t: TestApp;
  beforeAll(async () => {
    const capture = (async (_url: string, init: { body: string }) => {
      bodies.push(init.body);
      return new Response('ok', { status: 200 });
    }) as unknown as typeof fetch;
    t = await createTestApp({
      fetch: capture,
      config: loadConfig({ CANDOR_SCRYPT_LOG_N: '14', CANDOR_WEBHOOK_ALLOW_PRIVATE: '1' }),
    });
    await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/webhooks`,
      headers: t.as.owner.headers,
      payload: { url: 'https://cdn-purge.example/hook', events: ['snapshot.published'] },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the live snapshot: browsers revalidate, a CDN holds it briefly, and both may serve it stale while the origin errors', async () => {
    await seedAndPublish(t);
    const live = await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot` });
    expect(live.statusCode).toBe(200);
    const browser = String(live.headers['cache-control']);
    expect(browser).toContain('no-cache');
    expect(directive(browser, 'stale-if-error')).toBeGreaterThanOrEqual(3600);
    for (const header of ['cdn-cache-control', 'surrogate-control']) {
      expect(directive(live.headers[header], 'max-age')).toBeGreaterThan(0);
      expect(directive(live.headers[header], 'stale-while-revalidate')).toBeGreaterThan(0);
      expect(directive(live.headers[header], 'stale-if-error')).toBeGreaterThanOrEqual(3600);
    }
    expect(String(live.headers['surrogate-key']).split(' ')).toEqual(String(live.headers['cache-tag']).split(','));
    // A 304 carries the same policy, or a CDN revalidating would lose it.
    const revalidated = await t.app.inject({
      url: `/v1/sites/${t.siteKey}/snapshot`,
      headers: { 'if-none-match': String(live.headers['etag']) },
    });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.headers['surrogate-key']).toBe(live.headers['surrogate-key']);
  });

  it('every publish announces a purge of exactly a key and a path the live snapshot is served under', async () => {
    bodies.length = 0;
    await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      headers: t.as.editor.headers,
      payload: {},
    });
    await t.context.webhooks.drain();
    const published = bodies.map((body) => JSON.parse(body) as { event: string; data: Record<string, unknown> });
    expect(published.map((body) => body.event)).toEqual(['snapshot.published']);
    const purge = published[0]!.data;
    const live = await t.app.inject({ url: String(purge['paths']) });
    expect(live.statusCode).toBe(200);
    expect(live.headers['candor-snapshot-version']).toBe(String(purge['version']));
    const served = String(live.headers['surrogate-key']).split(' ');
    for (const key of String(purge['surrogateKeys']).split(' ')) expect(served).toContain(key);
  });

  it('a pinned version is immutable, and the SDK is served stale while refreshed', async () => {
    const pinned = await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot/1` });
    expect(pinned.statusCode).toBe(200);
    expect(String(pinned.headers['cache-control'])).toContain('immutable');
    expect(String(pinned.headers['surrogate-key'])).toBe(`candor-snapshot-${t.siteKey}-v1 candor-site-${t.siteKey}`);
    const sdk = await t.app.inject({ url: '/sdk/candor.js' });
    expect(sdk.statusCode).toBe(200);
    expect(directive(sdk.headers['cache-control'], 'stale-while-revalidate')).toBeGreaterThan(0);
    expect(directive(sdk.headers['cache-control'], 'stale-if-error')).toBeGreaterThan(0);
    expect(sdk.headers['surrogate-key']).toBe('candor-sdk');
  });
});
