import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../testing/test-app.js';

describe('managing admin users: role changes and removal', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const users = async (headers = t.as.owner.headers) =>
    (await t.app.inject({ url: '/v1/admin/users', headers })).json<{ id: string; email: string; role: string }[]>();
  const idOf = async (email: string) => (await users()).find((user) => user.email === email)!.id;
  const setRole = (id: string, role: string, headers = t.as.owner.headers) =>
    t.app.inject({ method: 'PATCH', url: `/v1/admin/users/${id}`, headers, payload: { role } });
  const remove = (id: string, headers = t.as.owner.headers) =>
    t.app.inject({ method: 'DELETE', url: `/v1/admin/users/${id}`, headers });

  it('changes a role for the very next request of a signed-in user, and audits who did it', async () => {
    const viewer = await idOf('viewer@example.com');
    const before = await t.app.inject({ url: '/v1/admin/users', headers: t.as.viewer.headers });
    expect(before.statusCode).toBe(403);

    const changed = await setRole(viewer, 'owner');
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ id: viewer, email: 'viewer@example.com', role: 'owner' });
    // Same session cookie: the role is read per request, not frozen into the session.
    const after = await t.app.inject({ url: '/v1/admin/users', headers: t.as.viewer.headers });
    expect(after.statusCode).toBe(200);

    const audit = await t.app.inject({ url: '/v1/admin/audit?limit=5', headers: t.as.owner.headers });
    const entries = audit.json<{ action: string; target: string; before: unknown; after: unknown; actor: string }[]>();
    expect(entries.find((e) => e.action === 'user.role')).toMatchObject({
      target: `users/${viewer}`,
      before: { role: 'viewer' },
      after: { role: 'owner' },
    });
  });

  it('never leaves the installation without an owner', async () => {
    const owner = await idOf('owner@example.com');
    const demote = await setRole(owner, 'editor');
    expect(demote.statusCode).toBe(409);
    expect(demote.json<{ detail: string }>().detail).toMatch(/last owner.*make another user an owner first/i);

    const editor = await idOf('editor@example.com');
    expect((await setRole(editor, 'owner')).statusCode).toBe(200);
    // Now there are two owners: one may step down, and then the other is the last again.
    expect((await setRole(owner, 'viewer')).statusCode).toBe(200);
    expect((await setRole(editor, 'viewer', t.as.editor.headers)).statusCode).toBe(409);
    expect((await remove(editor, t.as.editor.headers)).statusCode).toBe(409);
    expect((await users(t.as.editor.headers)).filter((user) => user.role === 'owner').map((user) => user.id)).toEqual([
      editor,
    ]);
  });

  it('removes a user and ends their sessions at once; they cannot sign in again', async () => {
    const editor = await idOf('editor@example.com');
    const removed = await remove(editor);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await users()).map((user) => user.email)).not.toContain('editor@example.com');

    const stale = await t.app.inject({ url: '/v1/admin/me', headers: t.as.editor.headers });
    expect(stale.statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/login',
      payload: { email: 'editor@example.com', password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(401);
    expect((await t.rawQuery(`SELECT count(*) AS n FROM sessions WHERE user_id = '${editor}'`))[0]).toMatchObject({
      n: 0,
    });
  });

  it('refuses removing yourself, unknown users, bad roles, and callers without admin:manage', async () => {
    const owner = await idOf('owner@example.com');
    const self = await remove(owner);
    expect(self.statusCode).toBe(409);
    expect(self.json<{ detail: string }>().detail).toMatch(/cannot remove yourself/);

    expect((await remove('u_nobody')).statusCode).toBe(404);
    expect((await setRole('u_nobody', 'viewer')).statusCode).toBe(404);
    const bad = await setRole(owner, 'superuser');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role');

    const viewer = await idOf('viewer@example.com');
    expect((await setRole(viewer, 'owner', t.as.editor.headers)).statusCode).toBe(403);
    expect((await remove(viewer, t.as.editor.headers)).statusCode).toBe(403);
    expect((await users()).find((user) => user.id === viewer)?.role).toBe('viewer');
  });
});
