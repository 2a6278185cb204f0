import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, TEST_SITE, type TestApp } from '../../testing/test-app.js';

// Issue 16 item 4: questions placed on pages without code, and the site's limits on them, are
// edited as drafts and settings and published into the signed snapshot the SDK reads.
describe('placed questions and question limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const placement = {
    id: 'ask-role-pricing',
    field: 'role',
    selector: '#plans',
    position: 'after',
    pages: [{ type: 'path', pattern: '/pricing' }],
  };
  const put = (body: object, id = 'ask-role-pricing') =>
    t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/placements/${id}`,
      headers: t.as.editor.headers,
      payload: body,
    });

  it('publishes placements and limits into the snapshot', async () => {
    expect((await put(placement)).statusCode).toBe(200);
    const settings = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}`,
      headers: t.as.owner.headers,
      payload: { ...withoutKey(TEST_SITE), questionLimits: { perPage: 1, perVisit: 3 } },
    });
    expect(settings.statusCode).toBe(200);
    const published = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      headers: t.as.editor.headers,
      payload: { acknowledge: [] },
    });
    expect(published.statusCode, published.body).toBe(201);
    const snapshot = (await t.app.inject(`/v1/sites/${t.siteKey}/snapshot`)).json() as {
      placements?: unknown[];
      site: { questionLimits?: unknown };
    };
    expect(snapshot.placements).toEqual([placement]);
    expect(snapshot.site.questionLimits).toEqual({ perPage: 1, perVisit: 3 });
  });

  it('refuses a malformed placement or limits with a clear 400', async () => {
    for (const body of [
      { ...placement, position: 'everywhere' },
      { ...placement, selector: '' },
      { ...placement, pages: [{ type: 'regex', pattern: '(' }] },
      { ...placement, id: 'other' },
    ]) {
      const response = await put(body);
      expect(response.statusCode).toBe(400);
      expect((response.json() as { code: string }).code).toBe('validation_failed');
    }
    const limits = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}`,
      headers: t.as.owner.headers,
      payload: { ...withoutKey(TEST_SITE), questionLimits: { perPage: 50, perVisit: -1 } },
    });
    expect(limits.statusCode).toBe(400);
  });
});

function withoutKey<T extends { siteKey: string }>(site: T): Omit<T, 'siteKey'> {
  const { siteKey: _key, ...rest } = site;
  return rest;
}
