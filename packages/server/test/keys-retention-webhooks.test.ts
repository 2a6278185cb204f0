import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { randomDataKey, seal, sealedKeyId, type Keyring } from '../src/crypto/keyring.js';
import { rotateKeys } from '../src/features/keys/rotate-keys.js';
import { runRetention } from '../src/features/retention/service.js';
import { webhookSignature } from '../src/features/webhooks/dispatcher.js';
import { seedAndPublish } from '../src/testing/seed.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';
import { consent, registerTestVisitor } from '../src/testing/visitor-flow.js';

// hooks.example does not resolve on a closed test network; the opt-in skips the public-address check
// (webhook-targets.test.ts covers the check itself).
const ALLOW_PRIVATE_WEBHOOKS = loadConfig({ CANDOR_SCRYPT_LOG_N: '14', CANDOR_WEBHOOK_ALLOW_PRIVATE: '1' });

describe('key rotation', () => {
  it('re-seals values, signing keys and webhook secrets under the new key, and the old key is no longer needed', async () => {
    const old = randomDataKey();
    const t = await createTestApp({ keyring: { current: old, previous: [] }, config: ALLOW_PRIVATE_WEBHOOKS });
    try {
      await seedAndPublish(t);
      await t.app.inject({
        method: 'POST',
        url: `/v1/admin/sites/${t.siteKey}/webhooks`,
        headers: t.as.owner.headers,
        payload: { url: 'https://hooks.example/x', events: ['snapshot.published'] },
      });
      const visitor = await registerTestVisitor(t);
      await consent(t, visitor, { personalization: 'granted', sync: 'granted' });
      await t.app.inject({
        method: 'PUT',
        url: '/v1/visitor/data/role',
        headers: visitor.auth,
        payload: { value: 'developer' },
      });

      // A value sealed with the data key itself, as before per-visitor keys: rotation moves it onto the
      // visitor's own key, so erasing the visitor shreds it too.
      await t.storage.createVisitor({
        id: 'vis_legacy',
        siteId: (await t.storage.getSiteByKey(t.siteKey))!.id,
        tokenHash: 'h',
        createdAt: 1,
      });
      await t.storage.putValue({
        visitorId: 'vis_legacy',
        fieldKey: 'role',
        purpose: 'personalization',
        source: 'declared',
        sealed: seal({ current: old, previous: [] }, '"marketer"', 'value:vis_legacy:role'),
        collectedAt: 1,
        expiresAt: Number.MAX_SAFE_INTEGER,
      });

      const next: Keyring = { current: randomDataKey(), previous: [old] };
      const report = await rotateKeys(t.context, next);
      expect(report).toEqual({ values: 1, valueKeys: 1, signingKeys: 1, webhookSecrets: 1 });
      expect(await rotateKeys(t.context, next)).toEqual({ values: 0, valueKeys: 0, signingKeys: 0, webhookSecrets: 0 });
      // Values stay sealed with their visitor's own key; only that key is re-wrapped by the data key.
      for (const id of [visitor.visitorId, 'vis_legacy']) {
        expect(sealedKeyId((await t.storage.getValueKey(id)) ?? '')).toBe(next.current.id);
        const [value] = await t.storage.listValues(id);
        expect(dataKeyIds(next)).not.toContain(sealedKeyId(value?.sealed ?? ''));
      }
      // A server holding only the new key still reads the value and still signs.
      Object.assign(t.context, { keyring: { current: next.current, previous: [] } });
      const data = (await t.app.inject({ url: '/v1/visitor/data', headers: visitor.auth })).json() as {
        values: { value: string }[];
      };
      expect(data.values[0]?.value).toBe('developer');
    } finally {
      await t.close();
    }
    // A publish, two visitors and two rotations: seconds on a loaded machine.
  }, 20_000);
});

function dataKeyIds(keyring: Keyring): string[] {
  return [keyring.current, ...keyring.previous].map((key) => key.id);
}

describe('retention', () => {
  let now = Date.UTC(2026, 0, 1);
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it("drops values past their field's retention, ledger entries past the site's, and aggregates of archived experiences", async () => {
    const visitor = await registerTestVisitor(t);
    await consent(t, visitor, { personalization: 'granted', sync: 'granted' });
    await t.app.inject({
      method: 'PUT',
      url: '/v1/visitor/data/role',
      headers: visitor.auth,
      payload: { value: 'developer' },
    });
    await t.storage.applyReportBatch(
      (await t.storage.getSiteByKey(t.siteKey))!.id,
      'old-batch-0001',
      [
        {
          experienceId: 'gone',
          variantId: 'a',
          metricId: 'signup',
          n: 1,
          sum: 1,
          sumSquares: 1,
          covariateSum: 0,
          covariateSumSquares: 0,
          crossProduct: 0,
        },
      ],
      now,
    );
    expect(await runRetention(t.context)).toMatchObject({ values: 0, ledger: 0, aggregates: 1 });
    now += 181 * 86_400_000;
    expect(await runRetention(t.context)).toMatchObject({ values: 1, ledger: 0 });
    now += 200 * 86_400_000;
    expect((await runRetention(t.context)).ledger).toBeGreaterThanOrEqual(1);
    expect(await t.storage.listConsent(visitor.visitorId)).toEqual([]);
  });
});

describe('webhooks', () => {
  it('signs deliveries with HMAC, retries with backoff, and carries no personal data', async () => {
    const deliveries: { body: string; signature: string }[] = [];
    let failures = 2;
    const fakeFetch = (async (_url: string, init: { body: string; headers: Record<string, string> }) => {
      deliveries.push({ body: init.body, signature: init.headers['candor-signature'] ?? '' });
      if (failures > 0) {
        failures -= 1;
        return new Response('busy', { status: 503 });
      }
      return new Response('ok', { status: 200 });
    }) as unknown as typeof fetch;
    const t = await createTestApp({ fetch: fakeFetch, webhookBackoffMs: [0, 0, 0], config: ALLOW_PRIVATE_WEBHOOKS });
    try {
      const created = await t.app.inject({
        method: 'POST',
        url: `/v1/admin/sites/${t.siteKey}/webhooks`,
        headers: t.as.owner.headers,
        payload: { url: 'https://hooks.example/candor', events: ['snapshot.published'] },
      });
      const { secret } = created.json() as { secret: string };
      await seedAndPublish(t);
      await t.context.webhooks.drain();
      expect(deliveries).toHaveLength(3);
      const last = deliveries[2]!;
      const timestamp = Number(/t=(\d+)/.exec(last.signature)?.[1]);
      expect(last.signature).toBe(webhookSignature(secret, timestamp, last.body));
      expect(JSON.parse(last.body)).toEqual({
        event: 'snapshot.published',
        at: expect.any(Number),
        data: {
          siteKey: 'shop',
          version: 1,
          surrogateKeys: 'candor-snapshot-shop',
          paths: '/v1/sites/shop/snapshot',
        },
      });
      const listed = (await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/webhooks`, headers: t.as.owner.headers }))
        .body;
      expect(listed).not.toContain(secret);
    } finally {
      await t.close();
    }
  });
});
