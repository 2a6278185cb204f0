import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

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
});
