import type { webcrypto } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { validateSnapshot } from '@candor/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HERO_EXPERIENCE, ROLE_FIELD } from '../../testing/fixtures.js';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('publish and serve', () => {
  let t: TestApp;
  let version: number;
  beforeAll(async () => {
    t = await createTestApp();
    ({ version } = await seedAndPublish(t));
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves a snapshot that core validates, with a signature WebCrypto verifies over the exact bytes', async () => {
    const response = await t.app.inject(`/v1/sites/${t.siteKey}/snapshot`);
    expect(response.statusCode).toBe(200);
    const validation = validateSnapshot(JSON.parse(response.body));
    expect(validation.ok).toBe(true);
    expect(response.headers['candor-snapshot-version']).toBe(String(version));

    const jwks = (await t.app.inject(`/v1/sites/${t.siteKey}/keys`)).json() as {
      keys: (webcrypto.JsonWebKey & { kid: string })[];
    };
    const jwk = jwks.keys[0];
    expect(jwk?.kid).toBe(response.headers['candor-key-id']);
    const key = await globalThis.crypto.subtle.importKey(
      'jwk',
      jwk as webcrypto.JsonWebKey,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    const signature = Buffer.from(String(response.headers['candor-signature']), 'base64url');
    const bytes = response.rawPayload;
    const params = { name: 'ECDSA', hash: 'SHA-256' };
    expect(await globalThis.crypto.subtle.verify(params, key, signature, bytes)).toBe(true);
    // One changed byte and the signature no longer holds.
    const tampered = Buffer.from(bytes);
    tampered[10] = (tampered[10] ?? 0) ^ 1;
    expect(await globalThis.crypto.subtle.verify(params, key, signature, tampered)).toBe(false);
  });

  it('answers If-None-Match with 304 and serves versions as immutable', async () => {
    const first = await t.app.inject(`/v1/sites/${t.siteKey}/snapshot`);
    const etag = String(first.headers['etag']);
    const second = await t.app.inject({ url: `/v1/sites/${t.siteKey}/snapshot`, headers: { 'if-none-match': etag } });
    expect(second.statusCode).toBe(304);
    expect(second.body).toBe('');
    // What guides caches comes again; the body's metadata (signature, key, version) only with a body.
    expect(second.headers['etag']).toBe(etag);
    for (const name of ['cache-control', 'cdn-cache-control', 'surrogate-control', 'surrogate-key', 'cache-tag']) {
      expect(second.headers[name], name).toBe(first.headers[name]);
    }
    expect(second.headers['candor-signature']).toBeUndefined();
    expect(first.headers['candor-signature']).toEqual(expect.any(String));
    expect(Object.keys(second.headers).filter((name) => name.startsWith('x-ratelimit-'))).toEqual([]);
    const pinned = await t.app.inject(`/v1/sites/${t.siteKey}/snapshot/${version}`);
    expect(pinned.statusCode).toBe(200);
    expect(pinned.headers['cache-control']).toContain('immutable');
    expect(pinned.body).toBe(first.body);
    expect((await t.app.inject(`/v1/sites/${t.siteKey}/snapshot/999`)).statusCode).toBe(404);
  });

  it("allows CORS for the site's origins only", async () => {
    const allowed = await t.app.inject({
      url: `/v1/sites/${t.siteKey}/snapshot`,
      headers: { origin: 'https://shop.example' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(String(allowed.headers['access-control-expose-headers'])).toContain('Candor-Signature');
    const other = await t.app.inject({
      url: `/v1/sites/${t.siteKey}/snapshot`,
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `/v1/sites/${t.siteKey}/reports`,
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
  });

  it('serves the snapshot compressed as the browser asks, and the same signed bytes come out', async () => {
    const url = `/v1/sites/${t.siteKey}/snapshot`;
    const plain = await t.app.inject(url);
    const brotli = await t.app.inject({
      url,
      headers: { 'accept-encoding': 'gzip, deflate, br', origin: 'https://shop.example' },
    });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(brotliDecompressSync(brotli.rawPayload).equals(plain.rawPayload)).toBe(true);
    // Caches must key on both: CORS answers per origin, the body per encoding.
    expect(String(brotli.headers['vary']).toLowerCase().split(/,\s*/)).toEqual(['origin', 'accept-encoding']);

    const gzipped = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).equals(plain.rawPayload)).toBe(true);

    const identity = await t.app.inject({ url, headers: { 'accept-encoding': 'identity' } });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.rawPayload.equals(plain.rawPayload)).toBe(true);

    const notModified = await t.app.inject({
      url,
      headers: { 'accept-encoding': 'br', 'if-none-match': String(plain.headers['etag']) },
    });
    expect(notModified.statusCode).toBe(304);
    expect(String(notModified.headers['vary'])).toMatch(/accept-encoding/i);
  });

  it('refuses a draft with lint errors with 422 and the findings', async () => {
    const health = {
      ...ROLE_FIELD,
      key: 'diagnosis',
      label: { en: 'Your health condition', 'zh-Hant': '您的健康狀況' },
      category: 'S.health',
    };
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/fields/diagnosis`,
      headers: t.as.editor.headers,
      payload: health,
    });
    expect(put.statusCode).toBe(200);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      headers: t.as.editor.headers,
      payload: {},
    });
    expect(refused.statusCode).toBe(422);
    const problem = refused.json() as { code: string; findings: { severity: string; code: string }[] };
    expect(problem.code).toBe('lint_errors');
    expect(problem.findings.some((finding) => finding.code === 'field_sensitive_category')).toBe(true);
    await t.app.inject({
      method: 'DELETE',
      url: `/v1/admin/sites/${t.siteKey}/drafts/fields/diagnosis`,
      headers: t.as.editor.headers,
    });
  });

  it('needs every warning acknowledged by fingerprint', async () => {
    const noHoldout = { ...HERO_EXPERIENCE, holdout: 0 };
    await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/experiences/hero-dev`,
      headers: t.as.editor.headers,
      payload: noHoldout,
    });
    const pending = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      headers: t.as.editor.headers,
      payload: {},
    });
    expect(pending.statusCode).toBe(422);
    const problem = pending.json() as { code: string; findings: { fingerprint: string }[] };
    expect(problem.code).toBe('lint_warnings_unacknowledged');
    const ok = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/publish`,
      headers: t.as.editor.headers,
      payload: { acknowledge: problem.findings.map((finding) => finding.fingerprint) },
    });
    expect(ok.statusCode).toBe(201);
    expect((ok.json() as { version: number }).version).toBe(version + 1);
  });

  it('rolls back by serving an earlier content as a new, higher version', async () => {
    const rolled = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/rollback`,
      headers: t.as.editor.headers,
      payload: { version },
    });
    expect(rolled.statusCode).toBe(201);
    const live = JSON.parse((await t.app.inject(`/v1/sites/${t.siteKey}/snapshot`)).body) as {
      version: number;
      experiences: { holdout: number }[];
    };
    expect(live.version).toBe(version + 2);
    expect(live.experiences[0]?.holdout).toBe(0.1);
  });

  it('audits every change with who, before and after', async () => {
    const entries = (
      await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/audit`, headers: t.as.viewer.headers })
    ).json() as {
      action: string;
      actor: string;
      before: unknown;
      after: unknown;
    }[];
    const actions = entries.map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining(['snapshot.rollback', 'snapshot.publish', 'draft.update', 'draft.create', 'draft.delete']),
    );
    const update = entries.find((entry) => entry.action === 'draft.update');
    expect(update?.actor).toMatch(/^user:usr_/);
    expect(update?.before).toMatchObject({ holdout: 0.1 });
    expect(update?.after).toMatchObject({ holdout: 0 });
  });

  it('validates drafts per kind with a message naming the field, and the URL id must match', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/metrics/m2`,
      headers: t.as.editor.headers,
      payload: { id: 'm2', name: 'M', kind: 'median' },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { detail: string }).detail).toContain('body.kind');
    const mismatch = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/metrics/m2`,
      headers: t.as.editor.headers,
      payload: { id: 'm3', name: 'M', kind: 'mean' },
    });
    expect(mismatch.statusCode).toBe(400);
  });
});
