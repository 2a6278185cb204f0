import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

// Issue 11, item 8: every published version stayed public forever. An owner can now take a
// version's public copy down (say it held a customer's email); the live one only after replacing it.
describe("withdrawing a published version's public copy", () => {
  let t: TestApp;
  let first: number;
  beforeAll(async () => {
    t = await createTestApp();
    ({ version: first } = await seedAndPublish(t));
    const again = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      headers: t.as.owner.headers,
      payload: {},
    });
    expect(again.statusCode).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  const withdraw = (version: number, as: 'owner' | 'editor' = 'owner') =>
    t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/snapshots/${version}/withdraw`,
      headers: t.as[as].headers,
    });

  it('refuses anyone but an owner', async () => {
    expect((await withdraw(first, 'editor')).statusCode).toBe(403);
    expect((await t.app.inject(`/v1/sites/${t.siteKey}/snapshot/${first}`)).statusCode).toBe(200);
  });

  it('refuses the live version and says what to do instead', async () => {
    const response = await withdraw(first + 1);
    expect(response.statusCode).toBe(409);
    expect((response.json() as { detail: string }).detail).toContain('publish a corrected version');
    expect((await t.app.inject(`/v1/sites/${t.siteKey}/snapshot`)).statusCode).toBe(200);
  });

  it('answers 410 Gone for a withdrawn version, audits it, and keeps the live version served', async () => {
    const response = await withdraw(first);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ version: first });

    const gone = await t.app.inject(`/v1/sites/${t.siteKey}/snapshot/${first}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).not.toContain('"experiences"');
    expect((await t.app.inject(`/v1/sites/${t.siteKey}/snapshot`)).statusCode).toBe(200);
    expect((await t.app.inject(`/v1/sites/${t.siteKey}/snapshot/${first + 1}`)).statusCode).toBe(200);

    const audit = (
      await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/audit`, headers: t.as.owner.headers })
    ).json() as { action: string; target: string }[];
    expect(audit.filter((entry) => entry.action === 'snapshot.withdraw')).toMatchObject([
      { target: `snapshots/${first}` },
    ]);
    const versions = (
      await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/snapshots`, headers: t.as.owner.headers })
    ).json() as { version: number; withdrawnAt?: number }[];
    expect(versions.find((entry) => entry.version === first)?.withdrawnAt).toEqual(expect.any(Number));
    expect(versions.find((entry) => entry.version === first + 1)?.withdrawnAt).toBeUndefined();
  });

  it('is idempotent, and a withdrawn version cannot be rolled back to', async () => {
    expect((await withdraw(first)).statusCode).toBe(200);
    const rollback = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/rollback`,
      headers: t.as.owner.headers,
      payload: { version: first },
    });
    expect(rollback.statusCode).toBe(410);
    expect((await withdraw(99)).statusCode).toBe(404);
  });
});
