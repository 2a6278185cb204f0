import type { Snapshot } from '@candor/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, TEST_SITE, type TestApp } from '../../testing/test-app.js';
import { publishRevision } from './service.js';

// Issue 15: a consent-source map naming a purpose the snapshot lacks grants nothing and shows a bare
// id on the trust page. The check sits where every snapshot is stored, so each path refuses it.
const { siteKey: _siteKey, ...SETTINGS } = TEST_SITE;
const BAD_SOURCE = { name: 'klaro', map: { matomo: ['measurment'] } };

describe('a consent-source map naming a missing purpose is refused on every publish path', () => {
  let t: TestApp;
  let version: number;
  beforeEach(async () => {
    t = await createTestApp();
    ({ version } = await seedAndPublish(t));
  });
  afterEach(async () => {
    await t.close();
  });
  const liveVersion = async (): Promise<number> =>
    ((await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot` })).json() as Snapshot).version;
  /** A snapshot stored before the check existed: the live one, with a map naming a missing purpose. */
  const storeLegacy = async (): Promise<number> => {
    const site = await t.storage.getSiteByKey(t.siteKey);
    const live = await t.storage.latestSnapshot(site!.id);
    const snapshot = JSON.parse(live!.body) as Snapshot;
    const legacy = { ...snapshot, version: live!.version + 1, site: { ...snapshot.site, consentSource: BAD_SOURCE } };
    expect(await t.storage.insertSnapshot({ ...live!, version: legacy.version, body: JSON.stringify(legacy) })).toBe(
      true,
    );
    t.context.snapshots.invalidate(site!.id);
    return legacy.version;
  };

  it('publish: refused with what to fix, and nothing new is served', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}`,
      payload: { ...SETTINGS, consentSource: BAD_SOURCE },
      headers: t.as.owner.headers,
    });
    expect(put.statusCode).toBe(200);
    const published = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      payload: { acknowledge: [] },
      headers: t.as.owner.headers,
    });
    expect(published.statusCode).toBe(422);
    expect(published.body).toContain('measurment');
    expect(published.body).toContain('fix the map in Site settings');
    expect(await liveVersion()).toBe(version);
  });

  it('rollback: the content of a snapshot with such a map is not published again', async () => {
    const legacy = await storeLegacy();
    const rolled = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/rollback`,
      headers: t.as.editor.headers,
      payload: { version: legacy },
    });
    expect(rolled.statusCode).toBe(422);
    expect(rolled.body).toContain('measurment');
    expect(await liveVersion()).toBe(legacy);
    // Rolling back to a sound version still works: the check refuses the map, not rollbacks.
    const sound = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/rollback`,
      headers: t.as.editor.headers,
      payload: { version },
    });
    expect(sound.statusCode).toBe(201);
  });

  it('bandit revision: refused as a recorded refusal, and the live version is unchanged', async () => {
    const legacy = await storeLegacy();
    const site = await t.storage.getSiteByKey(t.siteKey);
    const revised = await publishRevision(t.context, site!, (live) => live, 'bandit', 'test');
    expect(revised).toEqual({ ok: false, refusal: 'snapshot_invalid' });
    expect(await liveVersion()).toBe(legacy);
  });

  it('bandit revision of a sound snapshot still publishes', async () => {
    const site = await t.storage.getSiteByKey(t.siteKey);
    const revised = await publishRevision(t.context, site!, (live) => live, 'bandit', 'test');
    expect(revised.ok).toBe(true);
    expect(await liveVersion()).toBe(version + 1);
  });
});
