import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../src/testing/seed.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';

describe('public trust page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('states purposes, fields with source, place, retention, what is never used, GPC and the last lint, in English', async () => {
    const page = await t.app.inject(`/privacy/${t.siteKey}?lang=en`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('Your role');
    expect(page.body).toContain('180 days');
    expect(page.body).toContain('In your browser, and on our server only if you turn on sync');
    // Words for people, never the machine codes the JSON keeps beside them.
    expect(page.body).not.toContain('device and server (only with sync)');
    expect(page.body).toContain('Opt-Out Preference Signal Honored');
    expect(page.body).toMatch(/Version 1, published \d{4}-\d{2}-\d{2}: 0 errors/);
  });

  it('follows Accept-Language to Traditional Chinese', async () => {
    const page = await t.app.inject({ url: `/privacy/${t.siteKey}`, headers: { 'accept-language': 'zh-TW,zh;q=0.9' } });
    expect(page.body).toContain('<html lang="zh-Hant">');
    expect(page.body).toContain('您的職務');
    expect(page.body).toContain('已遵循選擇退出偏好訊號');
  });

  it('serves the same facts as JSON', async () => {
    const facts = (await t.app.inject(`/v1/sites/${t.siteKey}/privacy?lang=en`)).json() as {
      fields: { key: string; source: string; retentionDays: number }[];
      lint: { errors: number };
    };
    expect(facts.fields).toEqual([expect.objectContaining({ key: 'role', source: 'declared', retentionDays: 180 })]);
    expect(facts.lint.errors).toBe(0);
  });

  it('escapes admin-written text', async () => {
    await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}`,
      headers: t.as.owner.headers,
      payload: {
        name: '<script>alert(1)</script>',
        defaultLanguage: 'en',
        policyVersion: '2026-01',
        explainDefaults: true,
        allowedOrigins: ['https://shop.example'],
        ledgerRetentionDays: 365,
      },
    });
    await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      headers: t.as.owner.headers,
      payload: { acknowledge: [] },
    });
    const page = await t.app.inject(`/privacy/${t.siteKey}`);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&#60;script&#62;');
  });
});
