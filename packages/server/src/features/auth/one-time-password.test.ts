import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createAdmin } from './service.js';

const NEW_PASSWORD = 'a much longer chosen passphrase';

describe('a session opened with a generated one-time password', () => {
  let t: TestApp;
  let oneTime: string;
  let headers: { cookie: string; 'x-csrf-token': string };
  beforeAll(async () => {
    t = await createTestApp();
    oneTime = (await createAdmin(t.context, 'new-owner@example.com', 'owner')).password;
    const login = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/login',
      payload: { email: 'new-owner@example.com', password: oneTime },
    });
    expect(login.json()).toMatchObject({ mustChangePassword: true });
    const cookie = login.cookies.find((c) => c.name === 'candor_session')?.value ?? '';
    headers = { cookie: `candor_session=${cookie}`, 'x-csrf-token': (login.json() as { csrfToken: string }).csrfToken };
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 403 on every admin route but "who am I" and "change my password", saying to change it first', async () => {
    const open = new Set(['GET /v1/admin/me', 'POST /v1/admin/me/password']);
    const guarded = t.routes.filter(
      (route) => route.permission !== undefined && !open.has(`${route.method} ${route.url}`),
    );
    expect(guarded.length).toBeGreaterThanOrEqual(25);
    for (const route of guarded) {
      const url = route.url.replace(':site', t.siteKey).replace(/:(\w+)/g, 'x');
      const response = await t.app.inject({ method: route.method as 'GET', url, headers, payload: {} });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(response.json<{ detail: string }>().detail).toMatch(/change your one-time password first/i);
    }
    const me = await t.app.inject({ url: '/v1/admin/me', headers });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: 'new-owner@example.com', mustChangePassword: true });
  });

  it('refuses the same password as the new one, then opens the role once it is changed', async () => {
    const same = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/me/password',
      headers,
      payload: { currentPassword: oneTime, newPassword: oneTime },
    });
    expect(same.statusCode).toBe(400);
    const changed = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/me/password',
      headers,
      payload: { currentPassword: oneTime, newPassword: NEW_PASSWORD },
    });
    expect(changed.statusCode).toBe(204);
    // The same session, without signing in again.
    const users = await t.app.inject({ url: '/v1/admin/users', headers });
    expect(users.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/admin/me', headers })).json()).toMatchObject({ mustChangePassword: false });
  });

  it('leaves users with a chosen password and API keys unaffected', async () => {
    const response = await t.app.inject({ url: '/v1/admin/users', headers: t.as.owner.headers });
    expect(response.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/v1/admin/me', headers: t.as.viewer.headers })).json()).toMatchObject({
      mustChangePassword: false,
    });
  });
});
