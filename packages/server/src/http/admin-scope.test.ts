import { Permission } from '@candor/schema';
import fc from 'fast-check';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { registerRouteScopes, refusePermissionsOutsideAdminScope, type RouteScopes } from './admin-scope.js';

// The authorization hook reads the context only when a request arrives; registering needs none.
const noContext = {} as AppContext;

/** A bare app with the guard, whose scopes `register` fills in. */
async function scopedApp(register: (scopes: RouteScopes) => void) {
  const app = Fastify();
  refusePermissionsOutsideAdminScope(app);
  await registerRouteScopes(app, noContext, register);
  return app;
}

describe('admin scope: sessions and permissions live only around admin routes', () => {
  it('refuses to register a permission-checked route outside the admin scope, for every permission', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Permission.options), async (permission) => {
        await expect(
          scopedApp((scopes) => {
            scopes.public.get('/v1/admin/x', { config: { permission } }, async () => 'x');
          }),
        ).rejects.toThrow(/outside the admin scope/);
        // A plugin registered beside the admin scope is outside it too.
        const app = await scopedApp(() => undefined);
        await expect(
          app.register(async (other) => {
            other.post('/v1/admin/y', { config: { permission } }, async () => 'y');
          }),
        ).rejects.toThrow(/outside the admin scope/);
        await app.close();
      }),
      { numRuns: 10 },
    );
  });

  it('accepts permission routes in the admin scope and in plugins nested inside it', async () => {
    const app = await scopedApp((scopes) => {
      scopes.admin.get('/v1/admin/a', { config: { permission: 'read' } }, async () => 'a');
      void scopes.admin.register(async (nested) => {
        nested.get('/v1/admin/b', { config: { permission: 'publish' } }, async () => 'b');
      });
    });
    await app.ready();
    expect(app.hasRoute({ method: 'GET', url: '/v1/admin/a' })).toBe(true);
    expect(app.hasRoute({ method: 'GET', url: '/v1/admin/b' })).toBe(true);
    await app.close();
  });

  it('parses cookies in the admin scope only: public routes never run the cookie hook', async () => {
    const app = await scopedApp((scopes) => {
      scopes.admin.get('/v1/admin/cookies', async (request) => ({ parsed: request.cookies !== undefined }));
      scopes.public.get('/public', async (request) => ({ parsed: request.cookies !== undefined }));
    });
    const cookie = { cookie: 'candor_session=abc' };
    expect((await app.inject({ url: '/v1/admin/cookies', headers: cookie })).json()).toEqual({ parsed: true });
    expect((await app.inject({ url: '/public', headers: cookie })).json()).toEqual({ parsed: false });
    await app.close();
  });
});

describe('the built app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses every admin route without a session, while a public route answers', async () => {
    const admin = t.routes.filter((route) => route.permission !== undefined);
    expect(admin.length).toBeGreaterThan(20);
    for (const route of admin) {
      const url = route.url.replace(/:[A-Za-z]+/g, '1');
      const response = await t.app.inject({ method: route.method as 'GET', url });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
    expect((await t.app.inject({ url: `/v1/sites/${t.siteKey}/keys` })).statusCode).toBe(200);
  });
});
