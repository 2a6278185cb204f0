import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestApp, seedAndPublish, type TestApp } from '../../testing/index.js';
import { loadConfig } from '../../config.js';
import { randomDataKey } from '../../crypto/keyring.js';
import { editorTokenKey, mintEditorToken, verifyEditorToken } from './editor-token.js';
import { isUnsafeUrl } from './safe-changes.js';

const ORIGIN = 'https://shop.example';
const TEXT_CHANGE = { op: 'text', selector: '#hero h1', text: { en: 'Ship today', 'zh-Hant': '今天出貨' } };
const HIDE_CHANGE = { op: 'hide', selector: '[data-promo]' };

describe('editor tokens (pure)', () => {
  const key = editorTokenKey(randomDataKey());
  const claims = { site: 'shop', user: 'usr_1', origin: ORIGIN, exp: 1_000_000 };

  it('verifies what it minted, until it expires', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), (now) => {
        const result = verifyEditorToken(key, mintEditorToken(key, claims), now);
        expect(result.ok).toBe(now < claims.exp);
        if (!result.ok) expect(result.problem).toBe('expired');
      }),
    );
  });
  it('refuses any altered character as forged or malformed, never as valid', () => {
    const token = mintEditorToken(key, claims);
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom('A', 'b', '0', '_', '-', '.'), (at, char) => {
        fc.pre(token[at] !== char);
        const altered = `${token.slice(0, at)}${char}${token.slice(at + 1)}`;
        expect(verifyEditorToken(key, altered, 0).ok).toBe(false);
      }),
    );
  });
  it('refuses a token signed by another key, or for another site or origin', () => {
    const other = editorTokenKey(randomDataKey());
    expect(verifyEditorToken(key, mintEditorToken(other, claims), 0)).toEqual({ ok: false, problem: 'forged' });
    expect(verifyEditorToken(key, mintEditorToken(key, claims), 0, { site: 'blog' })).toEqual({
      ok: false,
      problem: 'other_site',
    });
    expect(verifyEditorToken(key, mintEditorToken(key, claims), 0, { origin: 'https://evil.example' })).toEqual({
      ok: false,
      problem: 'other_origin',
    });
  });
  it('treats script URLs as unsafe however they are spelled, and web URLs and paths as safe', () => {
    for (const url of ['javascript:alert(1)', ' JaVa\tScRiPt:alert(1)', 'vbscript:x', 'data:text/html,<b>'])
      expect(isUnsafeUrl(url), url).toBe(true);
    for (const url of ['https://shop.example/a', '/pricing', '#top', 'data:image/png;base64,AAAA'])
      expect(isUnsafeUrl(url), url).toBe(false);
  });
});

describe('editor API', { timeout: 60_000 }, () => {
  let t: TestApp;
  let now = 1_800_000_000_000;
  beforeEach(async () => {
    now = 1_800_000_000_000;
    t = await createTestApp({ clock: () => now });
    await seedAndPublish(t);
  });
  afterEach(async () => t.close());

  const mint = async (role: 'owner' | 'editor' | 'viewer' = 'editor', origin = ORIGIN) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/editor-tokens`,
      headers: t.as[role].headers,
      payload: { origin },
    });
  const tokenFor = async (): Promise<string> => (await mint()).json<{ token: string }>().token;
  const call = (
    method: 'GET' | 'PUT' | 'POST',
    url: string,
    token: string,
    payload?: object,
    origin: string | undefined = ORIGIN,
  ) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(origin === undefined ? {} : { origin }) },
      ...(payload === undefined ? {} : { payload }),
    });

  it('mints a ce1 token for owners and editors on an allowed origin only, with the session’s CSRF', async () => {
    const minted = await mint('editor');
    expect(minted.statusCode).toBe(200);
    expect(minted.json<{ token: string; expiresAt: number }>()).toMatchObject({ expiresAt: now + 15 * 60_000 });
    expect(minted.json<{ token: string }>().token).toMatch(/^ce1\.[\w-]+\.[\w-]+$/);
    expect((await mint('owner')).statusCode).toBe(200);
    expect((await mint('viewer')).statusCode).toBe(403);
    expect((await mint('editor', 'https://evil.example')).statusCode).toBe(400);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/editor-tokens`,
      headers: { cookie: t.as.editor.headers.cookie },
      payload: { origin: ORIGIN },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('opens a session listing the experiences and variants, with CORS for the token’s origin only', async () => {
    const token = await tokenFor();
    const session = await call('GET', '/v1/editor/session', token);
    expect(session.statusCode).toBe(200);
    expect(session.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(session.json()).toMatchObject({
      siteKey: 'shop',
      experiences: [{ id: 'hero-dev', variants: [{ id: 'dev', changes: [] }] }],
    });
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/editor/session',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const elsewhere = await call('GET', '/v1/editor/session', token, undefined, 'https://evil.example');
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('starts on the variant the dashboard named, and ends when the user may no longer edit', async () => {
    const minted = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/editor-tokens`,
      headers: t.as.editor.headers,
      payload: { origin: ORIGIN, experience: 'hero-dev', variant: 'dev' },
    });
    const token = minted.json<{ token: string }>().token;
    const session = await call('GET', '/v1/editor/session', token);
    expect(session.json()).toMatchObject({ focus: { experience: 'hero-dev', variant: 'dev' } });
    const editor = await t.storage.getUserByEmail('editor@example.com');
    const demoted = await t.app.inject({
      method: 'PATCH',
      url: `/v1/admin/users/${editor?.id ?? ''}`,
      headers: t.as.owner.headers,
      payload: { role: 'viewer' },
    });
    expect(demoted.statusCode).toBe(200);
    expect((await call('GET', '/v1/editor/session', token)).statusCode).toBe(403);
  });

  it('refuses missing, forged, expired and other-key tokens with a sentence that says what to do', async () => {
    const token = await tokenFor();
    expect((await call('GET', '/v1/editor/session', '')).statusCode).toBe(401);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await call('GET', '/v1/editor/session', forged)).statusCode).toBe(401);
    const foreign = mintEditorToken(editorTokenKey(randomDataKey()), {
      site: 'shop',
      user: 'usr_x',
      origin: ORIGIN,
      exp: now + 60_000,
    });
    expect((await call('GET', '/v1/editor/session', foreign)).statusCode).toBe(401);
    now += 15 * 60_000;
    const expired = await call('GET', '/v1/editor/session', token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json<{ detail: string }>().detail).toMatch(/expired/);
  });

  it('saves changes into the draft variant’s page slot, validated by the draft schema', async () => {
    const token = await tokenFor();
    const saved = await call('PUT', '/v1/editor/variants/dev', token, {
      experience: 'hero-dev',
      changes: [TEXT_CHANGE, HIDE_CHANGE],
    });
    expect(saved.statusCode).toBe(200);
    const draft = await t.app.inject({
      method: 'GET',
      url: `/v1/admin/sites/${t.siteKey}/drafts/experiences/hero-dev`,
      headers: t.as.viewer.headers,
    });
    const variant = draft.json<{ variants: { content: Record<string, unknown> }[] }>().variants[0];
    expect(variant?.content['page:hero-dev']).toEqual({ type: 'changes', changes: [TEXT_CHANGE, HIDE_CHANGE] });
    expect(variant?.content['hero']).toBeDefined();
    const bad = await call('PUT', '/v1/editor/variants/dev', token, {
      experience: 'hero-dev',
      changes: [{ op: 'explode', selector: 'body' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (await call('PUT', '/v1/editor/variants/nope', token, { experience: 'hero-dev', changes: [HIDE_CHANGE] }))
        .statusCode,
    ).toBe(404);
  });

  it('refuses event handlers, script URLs and HTML the sanitiser would strip', async () => {
    const token = await tokenFor();
    const refused = [
      { op: 'attribute', selector: 'a', name: 'onclick', value: 'alert(1)' },
      { op: 'attribute', selector: 'a', name: 'href', value: ' javascript:alert(1)' },
      { op: 'image', selector: 'img', src: 'javascript:alert(1)' },
      { op: 'html', selector: 'p', html: { en: '<img src=x onerror=alert(1)>', 'zh-Hant': 'x' } },
      { op: 'insert', selector: 'p', position: 'after', html: { en: '<script>alert(1)</script>', 'zh-Hant': 'x' } },
    ];
    for (const change of refused) {
      const response = await call('PUT', '/v1/editor/variants/dev', token, {
        experience: 'hero-dev',
        changes: [change],
      });
      expect(response.statusCode, JSON.stringify(change)).toBe(400);
    }
  });

  it('lints the draft with the changes substituted, finding sensitive text, without saving', async () => {
    const token = await tokenFor();
    const sensitive = {
      op: 'text',
      selector: '#hero h1',
      text: { en: 'Struggling with depression? Talk to us', 'zh-Hant': '憂鬱症？和我們談談' },
    };
    const linted = await call('POST', '/v1/editor/variants/dev/lint', token, {
      experience: 'hero-dev',
      changes: [sensitive],
    });
    expect(linted.statusCode).toBe(200);
    const { findings } = linted.json<{ findings: { code: string; location: { path?: string } }[] }>();
    expect(findings.map((finding) => finding.code)).toContain('variant_sensitive_content');
    const draft = await t.app.inject({
      method: 'GET',
      url: `/v1/admin/sites/${t.siteKey}/drafts/experiences/hero-dev`,
      headers: t.as.viewer.headers,
    });
    expect(JSON.stringify(draft.json())).not.toContain('depression');
  });

  it('previews a sample visitor with the exact explanation text', async () => {
    const token = await tokenFor();
    const preview = await call('POST', '/v1/editor/preview', token, {
      experience: 'hero-dev',
      variant: 'dev',
      changes: [TEXT_CHANGE],
      visitor: {
        values: { role: 'developer' },
        granted: { personalization: true },
        gpc: false,
        language: 'en',
        visitorId: 'v1',
      },
    });
    expect(preview.statusCode).toBe(200);
    const rows = preview.json<{ slot: string; why: { text?: unknown } }[]>();
    expect(rows.map((row) => row.slot)).toContain('page:hero-dev');
    expect(rows.every((row) => row.why !== undefined)).toBe(true);
  });

  it('rate-limits the editor API like the other public routes', async () => {
    await t.close();
    t = await createTestApp({
      clock: () => now,
      config: { ...loadConfig({ CANDOR_RATE_LIMIT: '3' }), scryptLogN: 14 },
    });
    await seedAndPublish(t);
    const token = await tokenFor();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await call('GET', '/v1/editor/session', token)).statusCode);
    expect(statuses).toContain(429);
  });
});
