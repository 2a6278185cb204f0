import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../src/testing/seed.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';
import { registerTestVisitor, type TestVisitor } from '../src/testing/visitor-flow.js';

// Strings an attacker would try in every field: SQL, HTML, path tricks, prototype keys, control chars.
const HOSTILE = [
  "'; DROP TABLE sites; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  '\u0000\u202e',
  '%00',
  'x'.repeat(5000),
];

const hostileValue = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom(...HOSTILE), { maxLength: 3 }),
);
const hostileBody = fc.oneof(
  fc.dictionary(
    fc.oneof(
      fc.constantFrom('id', 'key', 'name', 'kind', 'batchId', 'deltas', 'purposes', 'value', 'email'),
      fc.string(),
    ),
    hostileValue,
  ),
  fc.array(hostileValue, { maxLength: 3 }),
  hostileValue,
);

describe('bad input is a 4xx, never a 500', () => {
  let t: TestApp;
  let visitor: TestVisitor;
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
    visitor = await registerTestVisitor(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('holds for every route with hostile bodies and path segments, as an owner and as a visitor', async () => {
    const routes = t.routes.filter((route) => route.method !== 'OPTIONS' && !route.url.startsWith('/docs'));
    expect(routes.length).toBeGreaterThan(40);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        hostileBody,
        fc.constantFrom(...HOSTILE, 'shop', 'role'),
        async (route, body, segment) => {
          const url = route.url
            .replace(':site', 'shop')
            .replace(':siteKey', segment === 'role' ? 'shop' : encodeURIComponent(segment))
            .replace(/:(\w+)/g, encodeURIComponent(segment))
            .replace('*', 'x');
          const headers = url.startsWith('/v1/admin') ? t.as.owner.headers : visitor.auth;
          const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method);
          const response = await t.app.inject({
            method: route.method as 'GET',
            url,
            headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
            ...(hasBody ? { payload: JSON.stringify(body) } : {}),
          });
          if (response.statusCode >= 500)
            throw new Error(`${route.method} ${url} → ${response.statusCode} ${response.body}`);
        },
      ),
      { numRuns: 400, seed: 20261129 },
    );
    // The database is intact after all of it.
    expect((await t.app.inject(`/v1/sites/shop/snapshot`)).statusCode).toBe(200);
  }, 120_000);

  it('holds for publish whatever JSON an audience condition holds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 4 }),
        async (condition) => {
          const put = await t.app.inject({
            method: 'PUT',
            url: '/v1/admin/sites/shop/drafts/audiences/fuzz',
            headers: t.as.owner.headers,
            payload: { id: 'fuzz', name: 'Fuzz', condition },
          });
          if (put.statusCode >= 500) throw new Error(`PUT → ${put.statusCode} ${put.body}`);
          const published = await t.app.inject({
            method: 'POST',
            url: '/v1/admin/sites/shop/publish',
            headers: t.as.owner.headers,
            payload: { acknowledge: [] },
          });
          if (published.statusCode >= 500)
            throw new Error(`publish ${JSON.stringify(condition)} → ${published.statusCode} ${published.body}`);
        },
      ),
      { numRuns: 150, seed: 20261129 },
    );
  }, 120_000);
});
