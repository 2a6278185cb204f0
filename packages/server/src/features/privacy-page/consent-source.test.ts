import type { Snapshot } from '@candor/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_SITE, type TestApp } from '../../testing/test-app.js';

// Issue 15 item 1: the site's declared consent source and its mapping are settings, published in the
// snapshot and shown on the trust page (docs/consent.md).
const { siteKey: _siteKey, ...SETTINGS } = TEST_SITE;

describe('a declared consent source, from site settings to the trust page', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });
  const putSettings = (payload: object) =>
    t.app.inject({ method: 'PUT', url: `/v1/admin/sites/${t.siteKey}`, payload, headers: t.as.owner.headers });

  it('is published in the snapshot and named on the trust page with its map', async () => {
    const consentSource = { name: 'klaro', map: { matomo: ['measurement'] } };
    expect((await putSettings({ ...SETTINGS, consentSource })).statusCode).toBe(200);
    const published = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      payload: { acknowledge: [] },
      headers: t.as.owner.headers,
    });
    expect(published.statusCode, published.body).toBe(201);
    const snapshot = (await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot` })).json() as Snapshot;
    expect(snapshot.site.consentSource).toEqual(consentSource);
    const page = await t.app.inject({ url: `/privacy/${t.siteKey}?lang=en` });
    expect(page.body).toContain('Where your choices are made');
    expect(page.body).toContain('the Klaro consent manager');
    const zh = await t.app.inject({ url: `/privacy/${t.siteKey}?lang=zh-Hant` });
    expect(zh.body).toContain('Klaro 同意管理工具');
  });

  it('publish refuses a map naming a purpose the site does not have, and says how to fix it', async () => {
    const consentSource = { name: 'klaro', map: { matomo: ['measurment'] } };
    expect((await putSettings({ ...SETTINGS, consentSource })).statusCode).toBe(200);
    const published = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      payload: { acknowledge: [] },
      headers: t.as.owner.headers,
    });
    expect(published.statusCode).toBe(422);
    expect(published.body).toContain('measurment');
    expect(published.body).toContain('fix the map in Site settings');
  });

  it.each([
    ['an unknown CMP', { name: 'onetrust', map: {} }],
    ['a category mapped to nothing', { name: 'klaro', map: { matomo: [] } }],
    ['a map that is not an object', { name: 'klaro', map: ['measurement'] }],
  ])('refuses %s with a 400', async (_case, consentSource) => {
    const response = await putSettings({ ...SETTINGS, consentSource });
    expect(response.statusCode).toBe(400);
  });
});
