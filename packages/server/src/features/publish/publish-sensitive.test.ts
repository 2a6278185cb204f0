import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_FIELD } from '../../testing/fixtures.js';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

// Issue 10, defect 4: these drafts got "No findings" and published; the visitor was then told that
// sensitive information is never used. Each must now be refused at publish, with the finding.
describe('publish refuses what the linter used to be walked around with', () => {
  let t: TestApp;
  let live: number;
  beforeAll(async () => {
    t = await createTestApp();
    ({ version: live } = await seedAndPublish(t));
  });
  afterAll(async () => {
    await t.close();
  });

  const put = (kind: string, id: string, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/${kind}/${id}`,
      headers: t.as.editor.headers,
      payload,
    });
  const remove = (kind: string, id: string) =>
    t.app.inject({
      method: 'DELETE',
      url: `/v1/admin/sites/${t.siteKey}/drafts/${kind}/${id}`,
      headers: t.as.editor.headers,
    });
  const publish = () =>
    t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      headers: t.as.editor.headers,
      payload: {},
    });

  it.each([
    [
      'a life-stage field with pregnancy options and an audience that picks "pregnant"',
      {
        ...ROLE_FIELD,
        key: 'lifestage',
        label: { en: 'Life stage', 'zh-Hant': '人生階段' },
        question: { en: 'Which life stage are you in?', 'zh-Hant': '您目前的人生階段？' },
        options: [
          { value: 'pregnant', label: { en: 'Pregnant', 'zh-Hant': '懷孕中' } },
          { value: 'trying_to_conceive', label: { en: 'Trying to conceive', 'zh-Hant': '備孕中' } },
        ],
      },
      { lifestage: 'pregnant' },
      'field_sensitive_category',
    ],
    [
      'a search field matched against /divorce|lawyer/',
      {
        ...ROLE_FIELD,
        key: 'searchQuery',
        source: 'context',
        purpose: 'personalization',
        label: { en: 'Search query', 'zh-Hant': '搜尋字詞' },
        options: [],
      },
      { searchQuery: { $regex: 'divorce|lawyer' } },
      'audience_sensitive_search',
    ],
    [
      'an email hidden in a regex',
      ROLE_FIELD,
      { role: { $regex: '^alice\\.smith@example\\.com$' } },
      'condition_personal_data',
    ],
    ['a catastrophic regex', ROLE_FIELD, { role: { $regex: '^(?:a|a)+$' } }, 'condition_unsafe_regex'],
  ])('%s', async (_name, field, condition, code) => {
    expect((await put('fields', field.key, field)).statusCode).toBe(200);
    expect((await put('audiences', 'probe', { id: 'probe', name: 'Probe', condition })).statusCode).toBe(200);
    const refused = await publish();
    expect(refused.statusCode).toBe(422);
    const problem = refused.json() as { code: string; findings: { code: string }[] };
    expect(problem.code).toBe('lint_errors');
    expect(problem.findings.map((finding) => finding.code)).toContain(code);
    const served = await t.app.inject(`/v1/sites/${t.siteKey}/snapshot`);
    expect(served.headers['candor-snapshot-version']).toBe(String(live));
    await remove('audiences', 'probe');
    if (field.key !== ROLE_FIELD.key) await remove('fields', field.key);
  });
});
