// Issue 11, items 5, 11 and 16: credentials never outlive or outrank the person they belong to.
// An API key acts with at most its owner's current rights and dies with the owner; a password change
// ends every other session of that user; logout is a state change and needs the CSRF token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestPostgres, testPostgresUrl, type TestPostgres } from '../../storage/postgres/test-database.js';
import { createTestApp, TEST_PASSWORD, type Credentials, type TestApp } from '../../testing/test-app.js';

const storages = [
  { name: 'SQLite', open: async () => undefined },
  {
    name: testPostgresUrl() === undefined ? 'PostgreSQL (PGlite: CANDOR_TEST_PG_URL unset)' : 'PostgreSQL (server)',
    open: async () => createTestPostgres(),
  },
] as const;

describe.each(storages)('credential lifecycle on $name', { timeout: 60_000 }, ({ open }) => {
  let t: TestApp;
  let database: TestPostgres | undefined;
  // A fresh database per test (they remove users and change roles); PGlite starts slowly.
  beforeEach(async () => {
    database = await open();
    t = await createTestApp(database === undefined ? {} : { handle: database.handle });
  }, 60_000);
  afterEach(async () => {
    await t?.close();
    await database?.drop();
  }, 60_000);

  const idOf = async (email: string) =>
    (await t.app.inject({ url: '/v1/admin/users', headers: t.as.owner.headers }))
      .json<{ id: string; email: string }[]>()
      .find((user) => user.email === email)!.id;
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const createKey = async (headers: Record<string, string>, scopes: string[], name = 'ci') => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/api-keys',
      headers,
      payload: { name, scopes },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; key: string }>().key;
  };
  const createUser = (headers: Record<string, string>, email: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/admin/users',
      headers,
      payload: { email, role: 'owner', password: 'a brand new long password' },
    });
  const signIn = async (email: string, password = TEST_PASSWORD): Promise<Credentials> => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password } });
    expect(response.statusCode, response.body).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'candor_session')!;
    return {
      headers: {
        cookie: `candor_session=${cookie.value}`,
        'x-csrf-token': response.json<{ csrfToken: string }>().csrfToken,
      },
    };
  };
  const writeDraft = (headers: Record<string, string>) =>
    t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/purposes/newsletter`,
      headers,
      payload: {
        id: 'newsletter',
        class: 'measurement',
        name: { en: 'Newsletter', 'zh-Hant': '電子報' },
        description: { en: 'Sends you the newsletter.', 'zh-Hant': '寄送電子報給您。' },
        legalBasis: 'consent',
      },
    });

  it("a key's scopes shrink with its owner's role: a demoted owner's key can no longer manage users", async () => {
    const owner2 = await idOf('editor@example.com');
    // Make the editor an owner, let them mint a full key, then demote them to viewer.
    await t.app.inject({
      method: 'PATCH',
      url: `/v1/admin/users/${owner2}`,
      headers: t.as.owner.headers,
      payload: { role: 'owner' },
    });
    const key = await createKey(t.as.editor.headers, ['read', 'drafts:write', 'publish', 'admin:manage']);
    expect((await t.app.inject({ url: '/v1/admin/users', headers: bearer(key) })).statusCode).toBe(200);

    const demoted = await t.app.inject({
      method: 'PATCH',
      url: `/v1/admin/users/${owner2}`,
      headers: t.as.owner.headers,
      payload: { role: 'viewer' },
    });
    expect(demoted.statusCode, demoted.body).toBe(200);

    expect((await t.app.inject({ url: '/v1/admin/users', headers: bearer(key) })).statusCode).toBe(403);
    expect((await createUser(bearer(key), 'mallory@example.com')).statusCode).toBe(403);
    expect((await writeDraft(bearer(key))).statusCode).toBe(403);
    // What remains is what a viewer may do, and /me says so.
    const me = await t.app.inject({ url: '/v1/admin/me', headers: bearer(key) });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ permissions: string[] }>().permissions).toEqual(['read']);
  });

  it("deleting a user revokes their keys (and keys those keys made); the deleted owner's key never creates a user", async () => {
    const editor = await idOf('editor@example.com');
    await t.app.inject({
      method: 'PATCH',
      url: `/v1/admin/users/${editor}`,
      headers: t.as.owner.headers,
      payload: { role: 'owner' },
    });
    const key = await createKey(t.as.editor.headers, ['read', 'admin:manage']);
    const child = await createKey(bearer(key), ['read', 'admin:manage'], 'minted by a key');

    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/v1/admin/users/${editor}`,
      headers: t.as.owner.headers,
    });
    expect(removed.statusCode, removed.body).toBe(204);

    for (const credential of [key, child]) {
      expect((await createUser(bearer(credential), 'mallory@example.com')).statusCode).toBe(401);
      expect((await t.app.inject({ url: '/v1/admin/me', headers: bearer(credential) })).statusCode).toBe(401);
    }
    const keys = (await t.app.inject({ url: '/v1/admin/api-keys', headers: t.as.owner.headers })).json<
      { name: string; revokedAt: number | null }[]
    >();
    expect(keys.map((k) => [k.name, k.revokedAt !== null])).toEqual([
      ['ci', true],
      ['minted by a key', true],
    ]);
    const users = (await t.app.inject({ url: '/v1/admin/users', headers: t.as.owner.headers })).json<
      { email: string }[]
    >();
    expect(users.map((user) => user.email)).not.toContain('mallory@example.com');
  });

  it('revoking a key also ends the keys it minted', async () => {
    const key = await createKey(t.as.owner.headers, ['read', 'admin:manage']);
    const child = await createKey(bearer(key), ['read']);
    const keyId = key.slice('cnd_'.length, key.indexOf('.'));
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/v1/admin/api-keys/${keyId}`, headers: t.as.owner.headers }))
        .statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/v1/admin/me', headers: bearer(child) })).statusCode).toBe(401);
  });

  it("a password change ends the user's other sessions, which can no longer write; the changing session stays", async () => {
    const laptop = await signIn('editor@example.com');
    const stolen = await signIn('editor@example.com');
    expect((await writeDraft(stolen.headers)).statusCode).toBe(200);

    const changed = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/me/password',
      headers: laptop.headers,
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'an entirely different passphrase' },
    });
    expect(changed.statusCode, changed.body).toBe(204);

    expect((await writeDraft(stolen.headers)).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/admin/me', headers: stolen.headers })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/admin/me', headers: t.as.editor.headers })).statusCode).toBe(401);
    expect((await writeDraft(laptop.headers)).statusCode).toBe(200);
    // Other users' sessions are untouched.
    expect((await writeDraft(t.as.owner.headers)).statusCode).toBe(200);
  });

  it('logout needs the CSRF token like every other state change, and then ends the session', async () => {
    const session = await signIn('viewer@example.com');
    const forged = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/logout',
      headers: { cookie: session.headers.cookie },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ code: 'csrf_failed' });
    expect((await t.app.inject({ url: '/v1/admin/me', headers: session.headers })).statusCode).toBe(200);

    const logout = await t.app.inject({ method: 'POST', url: '/v1/admin/logout', headers: session.headers });
    expect(logout.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/v1/admin/me', headers: session.headers })).statusCode).toBe(401);
    // Without a live session there is nothing to protect: logout just clears the cookie.
    const again = await t.app.inject({ method: 'POST', url: '/v1/admin/logout', headers: session.headers });
    expect(again.statusCode).toBe(204);
  });
});
