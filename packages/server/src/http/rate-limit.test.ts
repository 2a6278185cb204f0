import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { createSiteRateLimiter } from './site-rate-limit.js';

describe('rate limits on public routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: loadConfig({ CANDOR_RATE_LIMIT: '3', CANDOR_SCRYPT_LOG_N: '14' }) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 problem+json with Retry-After past the per-IP limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await t.app.inject({ method: 'POST', url: `/v1/sites/${t.siteKey}/visitors` })).statusCode);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await t.app.inject({ method: 'POST', url: `/v1/sites/${t.siteKey}/visitors` });
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({ code: 'rate_limited' });
    expect(limited.headers['retry-after']).toBeDefined();
  });

  // Issue 11, item 10: /snapshot had no limit, so one source could make unlimited cache lookups.
  it("limits the public snapshot routes per address, and one address never uses up another's", async () => {
    const get = (url: string, remoteAddress: string) =>
      t.app.inject({ url, remoteAddress }).then((response) => response.statusCode);
    const flood: number[] = [];
    for (let i = 0; i < 4; i += 1) flood.push(await get(`/v1/sites/made-up-${i}/snapshot`, '198.51.100.1'));
    expect(flood).toEqual([404, 404, 404, 429]);
    expect(await get(`/v1/sites/${t.siteKey}/snapshot`, '198.51.100.1')).toBe(429);
    // Another address still gets its answer (this site has not published: 404).
    expect(await get(`/v1/sites/${t.siteKey}/snapshot`, '198.51.100.2')).toBe(404);
    for (let i = 0; i < 3; i += 1) await get(`/v1/sites/${t.siteKey}/keys`, '198.51.100.3');
    expect(await get(`/v1/sites/${t.siteKey}/keys`, '198.51.100.3')).toBe(429);
    expect(await get(`/v1/sites/${t.siteKey}/snapshot/1`, '198.51.100.3')).toBe(404);
  });

  // docs/api.md "Rate limits": cacheable GETs carry the x-ratelimit-* headers only when refused.
  it('sends x-ratelimit-* on cacheable public GETs only with the 429, and on other public routes always', async () => {
    const ratelimitHeaders = (headers: Record<string, unknown>) =>
      Object.keys(headers).filter((name) => name.startsWith('x-ratelimit-'));
    const address = '198.51.100.9';
    const answers = [];
    for (let i = 0; i < 4; i += 1)
      answers.push(await t.app.inject({ url: `/v1/sites/${t.siteKey}/keys`, remoteAddress: address }));
    expect(answers.map((response) => response.statusCode)).toEqual([200, 200, 200, 429]);
    for (const response of answers.slice(0, 3)) expect(ratelimitHeaders(response.headers)).toEqual([]);
    expect(ratelimitHeaders(answers[3]?.headers ?? {}).sort()).toEqual([
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ]);
    expect(answers[3]?.headers['retry-after']).toBeDefined();
    const visitor = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${t.siteKey}/visitors`,
      remoteAddress: '198.51.100.10',
    });
    expect(ratelimitHeaders(visitor.headers)).toContain('x-ratelimit-remaining');
  });
});

/** The Redis tests share limits through; under `CI=true` a missing one is an error, not a skip. */
function testRedisUrl(): string | undefined {
  const url = process.env['CANDOR_TEST_REDIS_URL'];
  if ((url === undefined || url === '') && process.env['CI'] === 'true') {
    throw new Error('CI=true but CANDOR_TEST_REDIS_URL is unset: the shared rate-limit suite may not skip in CI');
  }
  return url === '' ? undefined : url;
}

const redisUrl = testRedisUrl();
describe.skipIf(redisUrl === undefined)('rate limits shared by two nodes through Redis (REDIS_URL)', () => {
  const nodes: TestApp[] = [];
  beforeAll(async () => {
    // One prefix per run: the machine's Redis is shared with other runs.
    const prefix = `candor-test-${randomBytes(6).toString('hex')}:`;
    const config = loadConfig({
      CANDOR_RATE_LIMIT: '3',
      CANDOR_SCRYPT_LOG_N: '14',
      REDIS_URL: redisUrl ?? '',
      CANDOR_REDIS_PREFIX: prefix,
    });
    // Two nodes, each with its own database: only the limits are shared.
    for (let i = 0; i < 2; i += 1) nodes.push(await createTestApp({ config }));
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
  });

  it('counts one IP across both nodes: three requests pass in all, the fourth is refused on either', async () => {
    const post = (node: TestApp) =>
      node.app.inject({ method: 'POST', url: `/v1/sites/${node.siteKey}/visitors` }).then((r) => r.statusCode);
    const [a, b] = nodes as [TestApp, TestApp];
    expect([await post(a), await post(b), await post(a)]).toEqual([201, 201, 201]);
    expect(await post(b)).toBe(429);
    expect(await post(a)).toBe(429);
  });

  it('counts a site key across both nodes for the per-site report limit', async () => {
    const clients = [new Redis(redisUrl ?? ''), new Redis(redisUrl ?? '')];
    try {
      const prefix = `candor-test-${randomBytes(6).toString('hex')}:`;
      const [first, second] = clients.map((redis) => createSiteRateLimiter(2, 60_000, Date.now, { redis, prefix }));
      await first!.hit('shop');
      await second!.hit('shop');
      await expect(second!.hit('shop')).rejects.toMatchObject({ code: 'rate_limited' });
      // Another site has its own count.
      await expect(first!.hit('other')).resolves.toBeUndefined();
    } finally {
      for (const redis of clients) redis.disconnect();
    }
  });
});

describe('per-site limits when Redis fails', () => {
  it('falls back to counting on this node when Redis is unreachable, instead of refusing traffic', async () => {
    // Nothing listens on port 1: every command fails at once.
    const dead = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    dead.on('error', () => undefined);
    let warned = 0;
    const limiter = createSiteRateLimiter(2, 60_000, Date.now, { redis: dead, onRedisError: () => (warned += 1) });
    await limiter.hit('shop');
    await limiter.hit('shop');
    await expect(limiter.hit('shop')).rejects.toMatchObject({ code: 'rate_limited' });
    expect(warned).toBe(1);
    dead.disconnect();
  });
});
