import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, seedAndPublish, type TestApp } from '../../testing/index.js';

const ORIGIN = 'https://shop.example';

describe('editor API: questions placed on the page', { timeout: 60_000 }, () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ clock: () => 1_800_000_000_000 });
    await seedAndPublish(t);
  });
  afterEach(async () => t.close());

  const tokenFor = async (): Promise<string> =>
    (
      await t.app.inject({
        method: 'POST',
        url: `/v1/admin/sites/${t.siteKey}/editor-tokens`,
        headers: t.as.editor.headers,
        payload: { origin: ORIGIN },
      })
    ).json<{ token: string }>().token;
  const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, token: string | undefined, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { origin: ORIGIN, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      ...(payload === undefined ? {} : { payload }),
    });
  const PLACEMENT = {
    field: 'role',
    selector: '#hero h1',
    position: 'after',
    pages: [{ type: 'path', pattern: '/pricing' }],
  } as const;

  it('refuses every placement call without a valid editor token', async () => {
    for (const token of [undefined, 'ce1.forged.token']) {
      expect((await call('PUT', '/v1/editor/placements/ask-role', token, PLACEMENT)).statusCode).toBe(401);
      expect((await call('DELETE', '/v1/editor/placements/ask-role', token)).statusCode).toBe(401);
    }
    const drafts = await t.app.inject({
      method: 'GET',
      url: `/v1/admin/sites/${t.siteKey}/drafts/placements`,
      headers: t.as.editor.headers,
    });
    expect(drafts.json()).toEqual([]);
  });

  it('saves exactly what was sent as the placement draft, lists it in the session, and removes it', async () => {
    const token = await tokenFor();
    const session = await call('GET', '/v1/editor/session', token);
    expect(session.json()).toMatchObject({ fields: [{ key: 'role', question: true }], placements: [] });
    const saved = await call('PUT', '/v1/editor/placements/ask-role', token, PLACEMENT);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ placement: { id: 'ask-role', ...PLACEMENT }, findings: [] });
    const draft = await t.app.inject({
      method: 'GET',
      url: `/v1/admin/sites/${t.siteKey}/drafts/placements/ask-role`,
      headers: t.as.editor.headers,
    });
    expect(draft.json()).toEqual({ id: 'ask-role', ...PLACEMENT });
    expect((await call('GET', '/v1/editor/session', token)).json()).toMatchObject({
      placements: [{ id: 'ask-role', ...PLACEMENT }],
    });
    expect((await call('DELETE', '/v1/editor/placements/ask-role', token)).statusCode).toBe(204);
    expect((await call('DELETE', '/v1/editor/placements/ask-role', token)).statusCode).toBe(404);
    expect((await call('GET', '/v1/editor/session', token)).json()).toMatchObject({ placements: [] });
  });

  it('refuses with 400 an undeclared field, a bad position or id, and stores nothing', async () => {
    const token = await tokenFor();
    const refused = [
      { id: 'ask-role', body: { ...PLACEMENT, field: 'shoe_size' } },
      { id: 'ask-role', body: { ...PLACEMENT, position: 'around' } },
      { id: 'ask-role', body: { ...PLACEMENT, selector: '' } },
      { id: 'ask-role', body: { ...PLACEMENT, pages: [{ type: 'path', pattern: 'no-slash' }] } },
      ...['has space', 'ÅÄÖ', '-dash-first', 'x'.repeat(65)].map((id) => ({ id, body: PLACEMENT })),
    ];
    for (const { id, body } of refused) {
      const response = await call('PUT', `/v1/editor/placements/${encodeURIComponent(id)}`, token, body);
      expect(response.statusCode, JSON.stringify({ id, body })).toBe(400);
    }
    expect((await call('GET', '/v1/editor/session', token)).json()).toMatchObject({ placements: [] });
  });

  it('saves a placement for a field without a question and returns the lint finding saying so', async () => {
    const field = await t.app.inject({
      method: 'GET',
      url: `/v1/admin/sites/${t.siteKey}/drafts/fields/role`,
      headers: t.as.editor.headers,
    });
    const { question: _question, ...silent } = field.json<Record<string, unknown>>();
    await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/fields/role`,
      headers: t.as.editor.headers,
      payload: silent,
    });
    const token = await tokenFor();
    expect((await call('GET', '/v1/editor/session', token)).json()).toMatchObject({
      fields: [{ key: 'role', question: false }],
    });
    const saved = await call('PUT', '/v1/editor/placements/ask-role', token, PLACEMENT);
    expect(saved.statusCode).toBe(200);
    expect(saved.json<{ findings: { code: string }[] }>().findings.map((finding) => finding.code)).toContain(
      'placement_field_without_question',
    );
  });
});
