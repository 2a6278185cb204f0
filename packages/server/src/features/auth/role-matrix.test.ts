import type { Permission, Role } from '@candor/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { ROLE_PERMISSIONS } from './permissions.js';

const ROLES = ['owner', 'editor', 'viewer'] as const;

describe('role × route matrix', () => {
  let t: TestApp;
  let routes: { method: string; url: string; permission: Permission }[];
  beforeAll(async () => {
    t = await createTestApp();
    // Every route that declares a permission, as registered: a new admin route joins the matrix by itself.
    routes = t.routes.flatMap((route) =>
      route.permission === undefined ? [] : [{ ...route, permission: route.permission }],
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('covers every admin route', () => {
    expect(routes.length).toBeGreaterThanOrEqual(25);
    expect(routes.every((route) => route.url.startsWith('/v1/admin/'))).toBe(true);
  });

  it.each(ROLES)('%s gets exactly its permissions on every admin route', async (role: Role) => {
    for (const route of routes) {
      const url = route.url
        .replace(':site', t.siteKey)
        .replace(':kind', 'metrics')
        .replace(/:(\w+)/g, 'x');
      const response = await t.app.inject({
        method: route.method as 'GET',
        url,
        headers: t.as[role].headers,
        payload: {},
      });
      const allowed = ROLE_PERMISSIONS[role].includes(route.permission);
      const label = `${role} ${route.method} ${route.url} (${route.permission})`;
      if (allowed) expect([401, 403].includes(response.statusCode), label).toBe(false);
      else expect(response.statusCode, label).toBe(403);
    }
  });

  it('refuses anonymous callers with 401 on every admin route', async () => {
    for (const route of routes) {
      const url = route.url.replace(/:(\w+)/g, 'x');
      const response = await t.app.inject({ method: route.method as 'GET', url, payload: {} });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('refuses a cookie request that changes state without the CSRF header', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/metrics/m1`,
      headers: { cookie: t.as.owner.headers.cookie },
      payload: { id: 'm1', name: 'M', kind: 'proportion' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'csrf_failed' });
  });

  it("gives a cookie session its CSRF token back from /me, so a new tab needn't sign in again", async () => {
    const me = await t.app.inject({ url: '/v1/admin/me', headers: { cookie: t.as.owner.headers.cookie } });
    const csrfToken = (me.json() as { csrfToken?: string }).csrfToken;
    expect(csrfToken).toBe(t.as.owner.headers['x-csrf-token']);
    expect(me.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets a Bearer API key do what its scopes allow and nothing else', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/api-keys',
      headers: t.as.owner.headers,
      payload: { name: 'ci', scopes: ['read'] },
    });
    expect(created.statusCode).toBe(201);
    const key = (created.json() as { key: string }).key;
    const auth = { authorization: `Bearer ${key}` };
    expect((await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/drafts`, headers: auth })).statusCode).toBe(200);
    const write = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/metrics/m1`,
      headers: auth,
      payload: { id: 'm1', name: 'M', kind: 'proportion' },
    });
    expect(write.statusCode).toBe(403);
    const wrong = { authorization: `Bearer ${key.slice(0, -2)}xx` };
    expect((await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/drafts`, headers: wrong })).statusCode).toBe(401);
  });

  it('does not let an editor mint a key with owner scopes', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/api-keys',
      headers: t.as.editor.headers,
      payload: { name: 'x', scopes: ['admin:manage'] },
    });
    expect(created.statusCode).toBe(403);
  });
});
