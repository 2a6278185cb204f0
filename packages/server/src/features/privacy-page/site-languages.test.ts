import type { Snapshot } from '@candor/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HERO_EXPERIENCE, ROLE_FIELD, SIGNUP_METRIC } from '../../testing/fixtures.js';
import { createTestApp, TEST_SITE, type TestApp } from '../../testing/test-app.js';

// Issue 10, defect 5: Traditional Chinese was mandatory for every field even on an English-only site.
const { siteKey: _siteKey, ...SETTINGS } = TEST_SITE;

/** The role field as an English-only site writes it: no Traditional Chinese anywhere. */
const ENGLISH_ROLE = {
  ...ROLE_FIELD,
  label: { en: 'Your role' },
  question: { en: 'What is your role?' },
  whyWeAsk: { en: 'To show examples for your job.' },
  whatYouGet: { en: 'Relevant examples.' },
  options: [{ value: 'developer', label: { en: 'Developer' } }],
};

describe('a site chooses its languages', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const put = (url: string, payload: object) =>
    t.app.inject({ method: 'PUT', url, payload, headers: t.as.owner.headers });
  const draft = (kind: string, id: string, payload: object) =>
    put(`/v1/admin/sites/${t.siteKey}/drafts/${kind}/${id}`, payload);

  it('an English-only site saves and publishes English-only texts; the snapshot reads English in every language', async () => {
    expect((await put(`/v1/admin/sites/${t.siteKey}`, { ...SETTINGS, languages: ['en'] })).statusCode).toBe(200);
    expect((await draft('fields', 'role', ENGLISH_ROLE)).statusCode).toBe(200);
    await draft('audiences', 'developers', { id: 'developers', name: 'Developers', condition: { role: 'developer' } });
    await draft('metrics', 'signup', SIGNUP_METRIC);
    await draft('experiences', 'hero-dev', {
      ...HERO_EXPERIENCE,
      goals: ['signup'],
      variants: [{ ...HERO_EXPERIENCE.variants[0], content: { hero: { type: 'text', text: { en: 'Build faster' } } } }],
    });
    const published = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      payload: { acknowledge: [] },
      headers: t.as.owner.headers,
    });
    expect(published.statusCode, published.body).toBe(201);

    const snapshot = (await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot` })).json() as Snapshot;
    expect(snapshot.site.languages).toEqual(['en']);
    const role = snapshot.fields.find((field) => field.key === 'role')!;
    expect(role.label).toEqual({ en: 'Your role', 'zh-Hant': 'Your role' });
    expect(role.options?.[0]?.label).toEqual({ en: 'Developer', 'zh-Hant': 'Developer' });
    const hero = snapshot.experiences[0]!.variants[0]!.content['hero'];
    expect(hero).toEqual({ type: 'text', text: { en: 'Build faster', 'zh-Hant': 'Build faster' } });

    // A zh-TW browser reads the trust page in the site's language, with no link to an unwritten one.
    const page = await t.app.inject({ url: `/privacy/${t.siteKey}`, headers: { 'accept-language': 'zh-TW,zh' } });
    expect(page.headers['content-language']).toBe('en');
    expect(page.body).not.toContain('hreflang="zh-Hant"');
    const asked = await t.app.inject({ url: `/v1/sites/${t.siteKey}/privacy?lang=zh-Hant` });
    expect((asked.json() as { language: string }).language).toBe('en');
  });

  it('a bilingual site still needs the Traditional Chinese label, and says how to proceed', async () => {
    const response = await draft('fields', 'role', ENGLISH_ROLE);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      "write the Traditional Chinese label, or remove Traditional Chinese from the site's languages",
    );
    const page = await t.app.inject({ url: `/privacy/${t.siteKey}` });
    expect(page.statusCode).toBe(404);
  });
});
