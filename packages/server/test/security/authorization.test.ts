// Issue 7, "Authorization" beyond the role × route matrix (features/auth/role-matrix.test.ts): ids
// and keys that belong to another site or another visitor, sessions that expired, were forged or
// closed, CSRF tokens of another session, and API keys beyond their scope or revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { seedAndPublish } from '../../src/testing/seed.js';
import { createTestApp, TEST_PASSWORD, TEST_SITE, type TestApp } from '../../src/testing/test-app.js';
import { consent, registerTestVisitor, type TestVisitor } from '../../src/testing/visitor-flow.js';

const OTHER = 'other';
const HOUR = 3_600_000;

describe('authorization across sites, visitors, sessions and keys', () => {
  let now = Date.UTC(2026, 10, 1);
  let t: TestApp;
  let shopVisitor: TestVisitor;
  let otherVisitor: TestVisitor;
  let otherWebhook: string;

  beforeAll(async () => {
    t = await createTestApp({
      clock: () => now,
      // The webhook below is never delivered (nothing publishes on OTHER); its host need not resolve.
      config: {
        ...loadConfig({ CANDOR_SCRYPT_LOG_N: '14', CANDOR_SESSION_HOURS: '1', CANDOR_WEBHOOK_ALLOW_PRIVATE: '1' }),
      },
    });
    await seedAndPublish(t);
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/sites',
      headers: t.as.owner.headers,
      payload: { ...TEST_SITE, siteKey: OTHER, name: 'Other Shop' },
    });
    expect(created.statusCode).toBe(201);
    await seedAndPublish({ ...t, siteKey: OTHER });
    shopVisitor = await registerTestVisitor(t);
    otherVisitor = await registerTestVisitor({ ...t, siteKey: OTHER });
    await consent({ ...t, siteKey: OTHER }, otherVisitor, { measurement: 'granted' });
    const hook = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${OTHER}/webhooks`,
      headers: t.as.owner.headers,
      payload: { url: 'https://hooks.example/candor', events: ['snapshot.published'] },
    });
    otherWebhook = (hook.json() as { id: string }).id;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('an id that belongs to another site is not found through this site', () => {
    it("reading or erasing another site's visitor answers 404 and leaves the visitor whole", async () => {
      for (const method of ['GET', 'DELETE'] as const) {
        const response = await t.app.inject({
          method,
          url: `/v1/admin/sites/${t.siteKey}/visitors/${otherVisitor.visitorId}`,
          headers: t.as.owner.headers,
        });
        expect(response.statusCode, method).toBe(404);
      }
      expect((await t.app.inject({ url: '/v1/visitor/data', headers: otherVisitor.auth })).statusCode).toBe(200);
    });

    it("deleting another site's webhook through this site answers 404 and keeps it", async () => {
      const response = await t.app.inject({
        method: 'DELETE',
        url: `/v1/admin/sites/${t.siteKey}/webhooks/${otherWebhook}`,
        headers: t.as.owner.headers,
      });
      expect(response.statusCode).toBe(404);
      const hooks = await t.app.inject({ url: `/v1/admin/sites/${OTHER}/webhooks`, headers: t.as.owner.headers });
      expect((hooks.json() as { id: string }[]).map((hook) => hook.id)).toContain(otherWebhook);
    });

    it("a report naming an experience this site does not have is refused on this site's key", async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: `/v1/sites/${OTHER}/reports`,
        headers: otherVisitor.auth,
        payload: { batchId: 'cross-site-1', exposures: [{ experience: 'hero-dev-nope', variant: 'dev' }] },
      });
      expect(response.statusCode).toBe(422);
    });

    it("a report carrying another site's visitor token is refused, even though that visitor granted measurement there", async () => {
      const batch = (batchId: string) => ({
        method: 'POST' as const,
        url: `/v1/sites/${t.siteKey}/reports`,
        headers: otherVisitor.auth,
        payload: { batchId, exposures: [{ experience: 'hero-dev', variant: 'dev' }] },
      });
      // The same visitor on its own site is accepted: the refusal below is about the site, not the shape.
      const own = await t.app.inject({ ...batch('own-site-01'), url: `/v1/sites/${OTHER}/reports` });
      expect(own.statusCode, own.body).toBe(200);
      const foreign = await t.app.inject(batch('foreign-vis-01'));
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json()).toMatchObject({ code: 'consent_required' });
    });
  });

  describe("another visitor's id or token", () => {
    it("refuses a token that pairs another visitor's id with one's own secret", async () => {
      const secret = shopVisitor.token.slice(shopVisitor.token.lastIndexOf('.') + 1);
      for (const authorization of [
        `Bearer ${otherVisitor.visitorId}.${secret}`,
        `Bearer ${otherVisitor.visitorId}`,
        `Bearer ${otherVisitor.visitorId}.`,
        `Bearer .${secret}`,
        `Bearer ${otherVisitor.visitorId}.${secret}.${secret}`,
        `Basic ${Buffer.from(otherVisitor.token).toString('base64')}`,
        `bearer ${otherVisitor.token}`,
      ]) {
        for (const [method, url] of [
          ['GET', '/v1/visitor/data'],
          ['GET', '/v1/visitor/export'],
          ['DELETE', '/v1/visitor/data'],
        ] as const) {
          const response = await t.app.inject({ method, url, headers: { authorization } });
          expect(response.statusCode, `${method} ${url} ${authorization}`).toBe(401);
        }
      }
      expect((await t.app.inject({ url: '/v1/visitor/data', headers: otherVisitor.auth })).statusCode).toBe(200);
    });

    it("a visitor of one site cannot store a value under another site's field", async () => {
      await consent({ ...t, siteKey: OTHER }, otherVisitor, {
        measurement: 'granted',
        personalization: 'granted',
        sync: 'granted',
      });
      // Only the visitor's own site's live snapshot names the fields it may store.
      const response = await t.app.inject({
        method: 'PUT',
        url: '/v1/visitor/data/no-such-field',
        headers: otherVisitor.auth,
        payload: { value: 'x' },
      });
      expect([403, 404, 422]).toContain(response.statusCode);
      const rows = await t.rawQuery('select field_key from visitor_values');
      expect(JSON.stringify(rows)).not.toContain('no-such-field');
    });
  });

  describe('sessions', () => {
    const login = async (email: string) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/v1/admin/login',
        payload: { email, password: TEST_PASSWORD },
      });
      const cookie = response.cookies.find((c) => c.name === 'candor_session');
      return {
        cookie: `candor_session=${cookie?.value ?? ''}`,
        csrf: (response.json() as { csrfToken: string }).csrfToken,
      };
    };
    const me = (cookie: string) => t.app.inject({ url: '/v1/admin/me', headers: { cookie } });

    it('refuses a forged or malformed session cookie', async () => {
      const real = await login('viewer@example.com');
      const value = real.cookie.slice('candor_session='.length);
      for (const cookie of [
        `candor_session=${'A'.repeat(value.length)}`,
        `candor_session=${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`,
        'candor_session=',
        'candor_session=%00',
        `candor_session=${value}; candor_session=forged`.replace(value, 'forged'),
        `candor_session=${encodeURIComponent("' OR 1=1 --")}`,
      ]) {
        expect((await me(cookie)).statusCode, cookie).toBe(401);
      }
      expect((await me(real.cookie)).statusCode).toBe(200);
    });

    it('refuses a session once it expired (clock moved past its lifetime)', async () => {
      const session = await login('viewer@example.com');
      expect((await me(session.cookie)).statusCode).toBe(200);
      now += HOUR + 1;
      try {
        expect((await me(session.cookie)).statusCode).toBe(401);
      } finally {
        now -= HOUR + 1;
      }
    });

    it('refuses a session after logout', async () => {
      const session = await login('viewer@example.com');
      const out = await t.app.inject({
        method: 'POST',
        url: '/v1/admin/logout',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      });
      expect(out.statusCode).toBe(204);
      expect((await me(session.cookie)).statusCode).toBe(401);
    });

    it("refuses a state change that carries another session's CSRF token, or none", async () => {
      const mine = await login('editor@example.com');
      const theirs = await login('owner@example.com');
      const put = (headers: Record<string, string>) =>
        t.app.inject({
          method: 'PUT',
          url: `/v1/admin/sites/${t.siteKey}/drafts/metrics/csrf-probe`,
          headers,
          payload: { id: 'csrf-probe', name: 'Probe', kind: 'proportion' },
        });
      for (const headers of [
        { cookie: mine.cookie },
        { cookie: mine.cookie, 'x-csrf-token': theirs.csrf },
        { cookie: mine.cookie, 'x-csrf-token': '' },
        { cookie: mine.cookie, 'x-csrf-token': `${mine.csrf} ` },
      ]) {
        const response = await put(headers);
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ code: 'csrf_failed' });
      }
      const drafts = await t.app.inject({
        url: `/v1/admin/sites/${t.siteKey}/drafts/metrics/csrf-probe`,
        headers: t.as.viewer.headers,
      });
      expect(drafts.statusCode).toBe(404);
      expect((await put({ cookie: mine.cookie, 'x-csrf-token': mine.csrf })).statusCode).toBe(200);
    });
  });

  describe('API keys', () => {
    const mint = async (scopes: string[]) => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/v1/admin/api-keys',
        headers: t.as.owner.headers,
        payload: { name: `k-${scopes.join('-')}`, scopes },
      });
      expect(created.statusCode).toBe(201);
      return created.json() as { id: string; key: string };
    };

    it('a drafts:write key cannot publish, manage visitors, mint keys or add users', async () => {
      const { key } = await mint(['read', 'drafts:write']);
      const auth = { authorization: `Bearer ${key}` };
      const attempts = [
        ['POST', `/v1/admin/sites/${t.siteKey}/publish`, { acknowledge: [] }],
        ['POST', `/v1/admin/sites/${t.siteKey}/rollback`, { version: 1 }],
        ['DELETE', `/v1/admin/sites/${t.siteKey}/visitors/${shopVisitor.visitorId}`, undefined],
        ['POST', '/v1/admin/api-keys', { name: 'escalate', scopes: ['admin:manage'] }],
        ['POST', '/v1/admin/users', { email: 'mallory@example.com', role: 'owner', password: 'x'.repeat(16) }],
      ] as const;
      for (const [method, url, payload] of attempts) {
        const response = await t.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
        expect(response.statusCode, `${method} ${url}`).toBe(403);
      }
      const put = await t.app.inject({
        method: 'PUT',
        url: `/v1/admin/sites/${t.siteKey}/drafts/metrics/by-key`,
        headers: auth,
        payload: { id: 'by-key', name: 'By key', kind: 'proportion' },
      });
      expect(put.statusCode).toBe(200);
    });

    it('a revoked key, a key with a wrong or swapped secret, and a key id alone are refused', async () => {
      const a = await mint(['read']);
      const b = await mint(['read']);
      const secretOf = (key: string) => key.slice(key.indexOf('.') + 1);
      const get = (authorization: string) =>
        t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/drafts`, headers: { authorization } });
      expect((await get(`Bearer ${a.key}`)).statusCode).toBe(200);
      expect((await get(`Bearer cnd_${a.id}.${secretOf(b.key)}`)).statusCode).toBe(401);
      expect((await get(`Bearer cnd_${a.id}`)).statusCode).toBe(401);
      expect((await get(`Bearer cnd_${a.id}.`)).statusCode).toBe(401);
      expect((await get(`Bearer cnd_.${secretOf(a.key)}`)).statusCode).toBe(401);
      const revoked = await t.app.inject({
        method: 'DELETE',
        url: `/v1/admin/api-keys/${a.id}`,
        headers: t.as.owner.headers,
      });
      expect(revoked.statusCode).toBe(204);
      expect((await get(`Bearer ${a.key}`)).statusCode).toBe(401);
    });

    it('a visitor token is not an admin credential, and an API key is not a visitor token', async () => {
      const { key } = await mint(['read']);
      expect((await t.app.inject({ url: '/v1/admin/me', headers: shopVisitor.auth })).statusCode).toBe(401);
      expect(
        (await t.app.inject({ url: '/v1/visitor/data', headers: { authorization: `Bearer ${key}` } })).statusCode,
      ).toBe(401);
    });
  });
});
