import type { Purpose } from '@candor/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { consent, registerTestVisitor, type TestVisitor } from '../../testing/visitor-flow.js';
import { requireSite } from '../sites/service.js';
import { exportLedger } from './ledger-export.js';
import { purposeTextVersion } from './purpose-version.js';
import { verifyLedgerExport } from './verify-ledger-export.js';

const DAY = 86_400_000;

describe('purpose text versions (docs/consent-records.md)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const livePurposes = async (): Promise<Purpose[]> =>
    ((await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot` })).json() as { purposes: Purpose[] }).purposes;

  const choose = (visitor: TestVisitor, purposeVersions: Record<string, string>) =>
    consent(t, visitor, { personalization: 'granted', measurement: 'denied' }, {}, { purposeVersions });

  it('gives each text its own version: any language of the name or description changes it', () => {
    const base = { id: 'p', name: { en: 'A', 'zh-Hant': '甲' }, description: { en: 'B', 'zh-Hant': '乙' } };
    const version = purposeTextVersion(base);
    expect(version).toMatch(/^[0-9a-f]{64}$/);
    expect(purposeTextVersion({ ...base, name: { 'zh-Hant': '甲', en: 'A' } })).toBe(version);
    expect(purposeTextVersion({ ...base, description: { en: 'B', 'zh-Hant': '乙！' } })).not.toBe(version);
    expect(purposeTextVersion({ ...base, id: 'q' })).not.toBe(version);
  });

  it('publishes each purpose with the version of its text', async () => {
    for (const purpose of await livePurposes()) expect(purpose.textVersion).toBe(purposeTextVersion(purpose));
  });

  it('ledgers which text version each choice answered, and refuses a version no longer in force', async () => {
    const before = new Map((await livePurposes()).map((purpose) => [purpose.id, purpose.textVersion ?? '']));
    const answered = {
      personalization: before.get('personalization') ?? '',
      measurement: before.get('measurement') ?? '',
    };
    const visitor = await registerTestVisitor(t);
    const first = await choose(visitor, answered);
    expect(first.statusCode, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ purposeVersions: answered });
    expect((await choose(visitor, { sync: before.get('sync') ?? '' })).statusCode).toBe(400);

    // The site rewrites the personalization text and publishes: the old answer is now outdated.
    const draftUrl = `/v1/admin/sites/${t.siteKey}/drafts/purposes/personalization`;
    const draft = (await t.app.inject({ url: draftUrl, headers: t.as.editor.headers })).json() as Purpose;
    const changed = {
      ...draft,
      description: { ...draft.description, en: `${draft.description.en} Now also on email.` },
    };
    const put = await t.app.inject({ method: 'PUT', url: draftUrl, payload: changed, headers: t.as.editor.headers });
    expect(put.statusCode, put.body).toBe(200);
    await seedAndPublish(t);
    const after = new Map((await livePurposes()).map((purpose) => [purpose.id, purpose.textVersion ?? '']));
    expect(after.get('personalization')).not.toBe(before.get('personalization'));
    expect(after.get('measurement')).toBe(before.get('measurement'));
    const outdated = await choose(visitor, answered);
    expect(outdated.statusCode).toBe(409);
    expect(outdated.body).toMatchObject({ detail: expect.stringContaining('personalization') });
    const renewed = await choose(visitor, { ...answered, personalization: after.get('personalization') ?? '' });
    expect(renewed.statusCode).toBe(201);

    // The proof export holds both texts, and each record's version is among them.
    const site = await requireSite(t.context, t.siteKey);
    const today = Math.floor(Date.now() / DAY) * DAY;
    const file = await exportLedger(t.context, site, today - DAY, today + DAY);
    const versions = file.document.purposeTexts.filter((text) => text.id === 'personalization').map((t) => t.version);
    expect(versions.sort()).toEqual([before.get('personalization'), after.get('personalization')].sort());
    expect(verifyLedgerExport(JSON.stringify(file))).toMatchObject({ valid: true });
  });
});
