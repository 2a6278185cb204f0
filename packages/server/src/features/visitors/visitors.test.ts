import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { consent, NOTICE_HASH, registerTestVisitor } from '../../testing/visitor-flow.js';

describe('visitors: the golden rule on the server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers a visitor and stores only a hash of the token', async () => {
    const visitor = await registerTestVisitor(t);
    expect(visitor.token.startsWith(`${visitor.visitorId}.`)).toBe(true);
    const stored = await t.storage.getVisitor(visitor.visitorId);
    const secret = visitor.token.slice(visitor.visitorId.length + 1);
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('requires the token on every visitor route, and a token never reaches another visitor', async () => {
    const alice = await registerTestVisitor(t);
    const bob = await registerTestVisitor(t);
    for (const [method, url] of [
      ['GET', '/v1/visitor/data'],
      ['GET', '/v1/visitor/export'],
      ['DELETE', '/v1/visitor/data'],
      ['DELETE', '/v1/visitor/data/role'],
    ] as const) {
      expect((await t.app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
      const forged = { authorization: `Bearer ${bob.visitorId}.${alice.token.split('.')[1] ?? ''}` };
      expect((await t.app.inject({ method, url, headers: forged })).statusCode, `${method} ${url} forged`).toBe(401);
    }
    const data = (await t.app.inject({ url: '/v1/visitor/data', headers: alice.auth })).json() as { visitorId: string };
    expect(data.visitorId).toBe(alice.visitorId);
  });

  it('records every §6 field, with Sec-GPC and DNT headers as signals, in a hash chain', async () => {
    const visitor = await registerTestVisitor(t);
    const first = await consent(
      t,
      visitor,
      { personalization: 'granted', measurement: 'denied' },
      { 'sec-gpc': '1', dnt: '1' },
    );
    expect(first.statusCode).toBe(201);
    expect(first.body).toMatchObject({
      consentId: expect.stringMatching(/^cns_/),
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
      action: 'custom',
      purposes: { personalization: 'granted', measurement: 'denied' },
      source: 'prompt',
      uiVersion: 'sdk-0.1',
      noticeVersion: 'n1',
      noticeTextHash: NOTICE_HASH,
      language: 'en',
      policyVersion: '2026-01',
      signals: { gpc: true, dnt: true },
      expiresAt: expect.any(Number),
      previousHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const second = await consent(t, visitor, { personalization: 'denied' }, { 'sec-gpc': '0' });
    expect(second.body['signals']).toEqual({ gpc: false, dnt: false });
    const verify = (
      await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/ledger/verify`, headers: t.as.viewer.headers })
    ).json();
    expect(verify).toMatchObject({ intact: true });
    expect(JSON.stringify(first.body)).not.toMatch(/127\.0\.0\.1|remoteAddress/);
  });

  it('refuses unknown purposes', async () => {
    const visitor = await registerTestVisitor(t);
    const response = await consent(t, visitor, { advertising: 'granted' });
    expect(response.statusCode).toBe(422);
  });

  it('stores a value only with its purpose and sync granted, and withdrawing deletes it at once', async () => {
    const visitor = await registerTestVisitor(t);
    const put = () =>
      t.app.inject({
        method: 'PUT',
        url: '/v1/visitor/data/role',
        headers: visitor.auth,
        payload: { value: 'developer' },
      });
    expect((await put()).statusCode).toBe(403);
    await consent(t, visitor, { personalization: 'granted' });
    expect((await put()).statusCode).toBe(403);
    await consent(t, visitor, { personalization: 'granted', sync: 'granted' });
    expect((await put()).statusCode).toBe(204);
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/v1/visitor/data/role',
      headers: visitor.auth,
      payload: { value: 'astronaut' },
    });
    expect(bad.statusCode).toBe(400);
    const unknown = await t.app.inject({
      method: 'PUT',
      url: '/v1/visitor/data/salary',
      headers: visitor.auth,
      payload: { value: 'x' },
    });
    expect(unknown.statusCode).toBe(422);

    const data = (await t.app.inject({ url: '/v1/visitor/data', headers: visitor.auth })).json() as {
      values: {
        key: string;
        value: unknown;
        source: string;
        purpose: string;
        expiresAt: number;
        collectedAt: number;
      }[];
      consent: unknown[];
      receipt: { latestHash: string };
    };
    expect(data.values).toEqual([
      expect.objectContaining({ key: 'role', value: 'developer', source: 'declared', purpose: 'personalization' }),
    ]);
    expect(data.values[0]!.expiresAt - data.values[0]!.collectedAt).toBe(180 * 86_400_000);
    expect(data.consent).toHaveLength(2);
    expect(data.receipt.latestHash).toMatch(/^[0-9a-f]{64}$/);

    await consent(t, visitor, { personalization: 'denied', sync: 'granted' });
    expect(await t.storage.listValues(visitor.visitorId)).toEqual([]);
  });

  it('deletes one value, and exports as a JSON download', async () => {
    const visitor = await registerTestVisitor(t);
    await consent(t, visitor, { personalization: 'granted', sync: 'granted' });
    await t.app.inject({
      method: 'PUT',
      url: '/v1/visitor/data/role',
      headers: visitor.auth,
      payload: { value: 'marketer' },
    });
    const exported = await t.app.inject({ url: '/v1/visitor/export', headers: visitor.auth });
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(exported.json()).toMatchObject({
      format: 'candor-visitor-export',
      values: [{ key: 'role', value: 'marketer' }],
    });
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/v1/visitor/data/role', headers: visitor.auth })).statusCode,
    ).toBe(204);
    expect(await t.storage.listValues(visitor.visitorId)).toEqual([]);
  });

  it('erases every visitor-keyed row and keeps only a salted hash and the chain', async () => {
    const visitor = await registerTestVisitor(t);
    await consent(t, visitor, { personalization: 'granted', sync: 'granted' });
    await t.app.inject({
      method: 'PUT',
      url: '/v1/visitor/data/role',
      headers: visitor.auth,
      payload: { value: 'developer' },
    });
    // A measurement contribution row (migration 0005) is keyed by the visitor too.
    const site = await t.storage.getSiteByKey(t.siteKey);
    await t.rawQuery(
      `insert into visitor_contributions (site_id, visitor_id, experience_id, variant_id, segment, metric_values,
       trust_events, active, created_at, updated_at)
       values ('${site?.id ?? ''}', '${visitor.visitorId}', 'hero-dev', 'dev', '', '{}', '[]', 1, 1, 1)`,
    );
    expect(JSON.stringify(await rawRows(t, 'visitor_contributions'))).toContain(visitor.visitorId);
    const erased = await t.app.inject({ method: 'DELETE', url: '/v1/visitor/data', headers: visitor.auth });
    expect(erased.statusCode).toBe(200);
    expect(erased.json()).toMatchObject({ erased: true, subjectHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // Completeness: no table holds the visitor id any more.
    for (const table of [
      'visitors',
      'visitor_values',
      'consent_ledger',
      'audit_log',
      'aggregates',
      'erasures',
      'visitor_contributions',
    ] as const) {
      const rows = await rawRows(t, table);
      expect(JSON.stringify(rows), table).not.toContain(visitor.visitorId);
    }
    expect((await t.app.inject({ url: '/v1/visitor/data', headers: visitor.auth })).statusCode).toBe(401);
    const verify = (
      await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/ledger/verify`, headers: t.as.viewer.headers })
    ).json();
    expect(verify).toMatchObject({ intact: true });
  });

  it('lets an owner export and erase a visitor by id; editors may not', async () => {
    const visitor = await registerTestVisitor(t);
    const url = `/v1/admin/sites/${t.siteKey}/visitors/${visitor.visitorId}`;
    expect((await t.app.inject({ url, headers: t.as.editor.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url, headers: t.as.owner.headers })).json()).toMatchObject({
      visitorId: visitor.visitorId,
    });
    expect((await t.app.inject({ method: 'DELETE', url, headers: t.as.owner.headers })).statusCode).toBe(200);
    expect(await t.storage.getVisitor(visitor.visitorId)).toBeUndefined();
    const receipts = (
      await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/erasures`, headers: t.as.owner.headers })
    ).json() as unknown[];
    expect(receipts.length).toBeGreaterThanOrEqual(1);
  });
});

async function rawRows(t: TestApp, table: string): Promise<unknown[]> {
  return t.rawQuery(`select * from ${table}`);
}
