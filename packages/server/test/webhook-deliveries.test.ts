// Webhook deliveries are queued in the database: a failure is logged with its reason, a restart (or
// another node) picks up what was pending, two nodes never send one delivery twice, and an admin can
// read the log and retry a failed delivery.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createWebhookDispatcher, type WebhookDispatcher } from '../src/features/webhooks/dispatcher.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';

// hooks.example does not resolve on a closed test network; the opt-in skips the public-address check.
const ALLOW_PRIVATE_WEBHOOKS = loadConfig({ CANDOR_SCRYPT_LOG_N: '14', CANDOR_WEBHOOK_ALLOW_PRIVATE: '1' });

/** A receiver that answers `status()` and records every body it gets. */
function receiver(status: () => number) {
  const bodies: string[] = [];
  const fetch = (async (_url: string, init: { body: string }) => {
    bodies.push(init.body);
    return new Response('', { status: status() });
  }) as unknown as typeof globalThis.fetch;
  return { bodies, fetch };
}

describe('webhook deliveries', () => {
  let t: TestApp;
  let status = 503;
  const hook = receiver(() => status);
  let hookId = '';
  let siteId = '';
  const dispatchers: WebhookDispatcher[] = [];
  const dispatcher = (fetch: typeof globalThis.fetch, backoffMs: readonly number[] = [0]) => {
    const created = createWebhookDispatcher({
      storage: t.storage,
      keyring: t.context.keyring,
      clock: Date.now,
      log: t.app.log,
      allowPrivate: true,
      backoffMs,
      fetch,
    });
    dispatchers.push(created);
    return created;
  };
  const log = async () =>
    (
      await t.app.inject({
        url: `/v1/admin/sites/${t.siteKey}/webhooks/${hookId}/deliveries`,
        headers: t.as.owner.headers,
      })
    ).json<
      { id: string; status: string; attempts: number; lastError: string | null; nextAttemptAt: number | null }[]
    >();

  beforeEach(async () => {
    status = 503;
    hook.bodies.length = 0;
    t = await createTestApp({ fetch: hook.fetch, webhookBackoffMs: [0], config: ALLOW_PRIVATE_WEBHOOKS });
    const created = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/webhooks`,
      headers: t.as.owner.headers,
      payload: { url: 'https://hooks.example/candor', events: ['snapshot.published'] },
    });
    hookId = created.json<{ id: string }>().id;
    siteId = (await t.storage.getSiteByKey(t.siteKey))!.id;
  });
  afterEach(async () => {
    for (const extra of dispatchers.splice(0)) await extra.stop();
    await t.close();
  });

  it('logs a delivery that gave up with its reason, and an admin retry delivers it', async () => {
    t.context.webhooks.emit(siteId, 'snapshot.published', { siteKey: t.siteKey, version: 1 });
    await t.context.webhooks.drain();
    expect(hook.bodies).toHaveLength(2);
    const [failed] = await log();
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, lastError: 'HTTP 503', nextAttemptAt: null });

    status = 200;
    const retry = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/webhooks/${hookId}/deliveries/${failed!.id}/retry`,
      headers: t.as.owner.headers,
    });
    expect(retry.statusCode, retry.body).toBe(202);
    await t.context.webhooks.drain();
    expect(hook.bodies).toHaveLength(3);
    expect((await log())[0]).toMatchObject({ id: failed!.id, status: 'delivered', attempts: 1 });
    // A delivered one is not sent again.
    const again = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/webhooks/${hookId}/deliveries/${failed!.id}/retry`,
      headers: t.as.owner.headers,
    });
    expect(again.statusCode).toBe(409);
    const audit = await t.storage.listAudit({ siteId, limit: 5 });
    expect(audit.map((entry) => entry.action)).toContain('webhook.retry');
  });

  it('keeps a pending retry in the database, so a restarted node delivers it', async () => {
    // Only the nodes this test creates may touch the queue: the app's own poller stays out.
    await t.context.webhooks.stop();
    // The first node fails once and schedules the retry an hour out, then stops (a restart).
    const first = dispatcher(receiver(() => 503).fetch, [3_600_000]);
    first.emit(siteId, 'snapshot.published', { siteKey: t.siteKey, version: 7 });
    await expect.poll(async () => (await log())[0]?.attempts).toBe(1);
    await first.stop();
    expect((await log())[0]).toMatchObject({ status: 'pending', lastError: 'HTTP 503' });
    expect((await log())[0]!.nextAttemptAt).toBeGreaterThan(Date.now() + 3_000_000);

    // Time passes (the retry comes due); a fresh node finds it and delivers it.
    const [pending] = await t.storage.listDeliveries(hookId, 1);
    await t.storage.updateDelivery(pending!.id, { ...pending!, nextAttemptAt: Date.now() });
    const after = receiver(() => 200);
    await dispatcher(after.fetch).drain();
    expect(after.bodies.map((body) => JSON.parse(body) as { data: { version: number } })).toEqual([
      expect.objectContaining({ event: 'snapshot.published', data: { siteKey: t.siteKey, version: 7 } }),
    ]);
    expect((await log())[0]).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
  });

  it('lets two nodes share the queue without sending any delivery twice', async () => {
    await t.context.webhooks.stop();
    const slow = receiver(() => 200);
    const a = dispatcher(slow.fetch);
    const b = dispatcher(slow.fetch);
    for (let version = 1; version <= 12; version += 1)
      (version % 2 === 0 ? a : b).emit(siteId, 'snapshot.published', { siteKey: t.siteKey, version });
    await Promise.all([a.drain(), b.drain(), a.kick(), b.kick()]);
    const versions = slow.bodies.map((body) => (JSON.parse(body) as { data: { version: number } }).data.version);
    expect(versions.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect((await log()).every((delivery) => delivery.status === 'delivered')).toBe(true);
  });

  it("refuses another site's webhook, an unknown delivery, and callers without admin:manage", async () => {
    const other = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/webhooks/whk_nope/deliveries`,
      headers: t.as.owner.headers,
    });
    expect(other.statusCode).toBe(404);
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/webhooks/${hookId}/deliveries/whd_nope/retry`,
      headers: t.as.owner.headers,
    });
    expect(unknown.statusCode).toBe(404);
    const editor = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/webhooks/${hookId}/deliveries`,
      headers: t.as.editor.headers,
    });
    expect(editor.statusCode).toBe(403);
  });
});
