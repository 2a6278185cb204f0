// Issue 7, "Hostile input", on the server's trust boundaries. bad-input.test.ts proves no 5xx for
// any body on any route; this suite adds what a refusal must also guarantee: the database is
// byte-for-byte what it was (a refused report, consent event, value or draft writes nothing, not
// even half of itself), prototype keys never reach an object, and oversized, deeply nested,
// mistyped and header-smuggling requests are refused cleanly.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { seedAndPublish } from '../../src/testing/seed.js';
import { createTestApp, type TestApp } from '../../src/testing/test-app.js';
import { consent, NOTICE_HASH, registerTestVisitor, type TestVisitor } from '../../src/testing/visitor-flow.js';

const TABLES = [
  'sites',
  'drafts',
  'snapshots',
  'users',
  'sessions',
  'api_keys',
  'audit_log',
  'visitors',
  'visitor_values',
  'consent_ledger',
  'aggregates',
  'report_batches',
  'visitor_contributions',
  'unattributed_reports',
  'webhooks',
  'erasures',
];

const HOSTILE_STRINGS = [
  '__proto__',
  'constructor',
  'prototype',
  "'; DROP TABLE aggregates; --",
  '<svg onload=alert(1)>',
  'javascript:alert(1)',
  '\u0000',
  '\r\nSet-Cookie: a=b',
  '$holdout',
  '$trust.opt_out',
  'x'.repeat(300),
];

const hostileScalar = fc.oneof(
  fc.constantFrom<unknown>(...HOSTILE_STRINGS, -1, 0, 1e308, -1e308, 2 ** 53, 0.5, true, null, [], {}),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
);

/** A valid object with some of its keys replaced, dropped, or joined by a prototype key. */
function mutated<T extends Record<string, unknown>>(valid: T): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  return fc
    .record({
      replace: fc.dictionary(fc.constantFrom(...keys), hostileScalar, { maxKeys: 3 }),
      drop: fc.subarray(keys, { maxLength: 2 }),
      extra: fc.option(fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted'), { nil: undefined }),
    })
    .map(({ replace, drop, extra }) => {
      const out: Record<string, unknown> = { ...valid, ...replace };
      for (const key of drop) delete out[key];
      if (extra !== undefined) Object.defineProperty(out, extra, { value: { polluted: true }, enumerable: true });
      return out;
    });
}

const EXPOSURE = { experience: 'hero-dev', variant: 'dev' };
const CONVERSION = { metric: 'revenue', value: 5 };
const TRUST = { experience: 'hero-dev', event: 'opt_out' };
const CONSENT = {
  action: 'custom',
  purposes: { personalization: 'granted', sync: 'granted' },
  source: 'prompt',
  uiVersion: 'sdk-0.1',
  noticeVersion: 'n1',
  noticeTextHash: NOTICE_HASH,
  language: 'en',
  policyVersion: '2026-01',
};

describe('hostile input leaves stored data untouched', () => {
  let t: TestApp;
  let visitor: TestVisitor;
  let batchSeq = 0;
  const dump = async (): Promise<string> => {
    const parts: unknown[] = [];
    for (const table of TABLES) parts.push(await t.rawQuery(`select * from ${table} order by 1`));
    return JSON.stringify(parts);
  };
  /** Sends a request; a refusal must be a 4xx that changed nothing, an acceptance a 2xx. */
  const expectAtomic = async (
    request: InjectOptions & { method: 'POST' | 'PUT'; url: string; payload: string },
  ): Promise<number> => {
    const before = await dump();
    const response = await t.app.inject(request);
    const label = `${request.method} ${request.url} ${request.payload.slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
    if (response.statusCode >= 500) throw new Error(label);
    if (response.statusCode >= 400 && (await dump()) !== before) throw new Error(`refused but changed: ${label}`);
    return response.statusCode;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
    visitor = await registerTestVisitor(t);
    await consent(t, visitor, { personalization: 'granted', sync: 'granted', measurement: 'granted' });
    await t.app.inject({
      method: 'PUT',
      url: '/v1/visitor/data/role',
      headers: visitor.auth,
      payload: { value: 'developer' },
    });
  });
  afterAll(async () => {
    await t.close();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('visitor reports: any mutation is applied whole or not at all', async () => {
    const statuses = new Set<number>();
    const some = (valid: Record<string, unknown>) =>
      fc.option(fc.array(fc.oneof(fc.constant(valid), mutated(valid)), { maxLength: 3 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(some(EXPOSURE), some(CONVERSION), some(TRUST), async (exposures, conversions, trust) => {
        batchSeq += 1;
        const payload = JSON.stringify({
          batchId: `fuzz-${batchSeq}`,
          ...(exposures ? { exposures } : {}),
          ...(conversions ? { conversions } : {}),
          ...(trust ? { trust } : {}),
        });
        statuses.add(
          await expectAtomic({
            method: 'POST',
            url: `/v1/sites/${t.siteKey}/reports`,
            headers: { ...visitor.auth, 'content-type': 'application/json' },
            payload,
          }),
        );
      }),
      { numRuns: 150, seed: 7 },
    );
    // Both outcomes happened, so the property was exercised on each side.
    expect(statuses.has(200) && [...statuses].some((status) => status >= 400)).toBe(true);
  }, 60_000);

  it('consent events: a refused event appends nothing to the ledger and deletes no value', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(CONSENT), async (event) => {
        const status = await expectAtomic({
          method: 'POST',
          url: '/v1/visitor/consent',
          headers: { ...visitor.auth, 'content-type': 'application/json' },
          payload: JSON.stringify(event),
        });
        expect(status === 201 || (status >= 400 && status < 500)).toBe(true);
      }),
      { numRuns: 120, seed: 7 },
    );
    const verify = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/ledger/verify`,
      headers: t.as.viewer.headers,
    });
    expect(verify.json()).toMatchObject({ intact: true });
  }, 60_000);

  it('visitor values: a refused value stores nothing', async () => {
    await consent(t, visitor, { personalization: 'granted', sync: 'granted', measurement: 'granted' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('role', '__proto__', 'constructor', 'utmCampaign', '%2e%2e', 'x'.repeat(129)),
        mutated({ value: 'developer', source: 'declared' }),
        async (field, body) => {
          await expectAtomic({
            method: 'PUT',
            url: `/v1/visitor/data/${field}`,
            headers: { ...visitor.auth, 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
        },
      ),
      { numRuns: 120, seed: 7 },
    );
  }, 60_000);

  it('admin drafts: a refused draft changes no draft, and publish never serves a broken snapshot', async () => {
    const kinds = ['purposes', 'fields', 'audiences', 'experiences', 'metrics'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...kinds),
        fc.oneof(fc.jsonValue({ maxDepth: 4 }), mutated({ id: 'fz', name: 'Fuzz', kind: 'proportion', condition: {} })),
        async (kind, body) => {
          await expectAtomic({
            method: 'PUT',
            url: `/v1/admin/sites/${t.siteKey}/drafts/${kind}/fz`,
            headers: { ...t.as.editor.headers, 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
          await expectAtomic({
            method: 'POST',
            url: `/v1/admin/sites/${t.siteKey}/publish`,
            headers: { ...t.as.editor.headers, 'content-type': 'application/json' },
            payload: '{"acknowledge":[]}',
          });
        },
      ),
      { numRuns: 80, seed: 7 },
    );
    expect((await t.app.inject(`/v1/sites/${t.siteKey}/snapshot`)).statusCode).toBe(200);
  }, 60_000);
});

describe('prototype keys, size, nesting, content types and headers', () => {
  let t: TestApp;
  let visitor: TestVisitor;
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
    visitor = await registerTestVisitor(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const send = (url: string, payload: string, headers: Record<string, string> = {}, method: 'POST' | 'PUT' = 'POST') =>
    t.app.inject({ method, url, payload, headers: { 'content-type': 'application/json', ...headers } });

  it('refuses __proto__ and constructor.prototype in any JSON body with 400, and pollutes nothing', async () => {
    const bodies = [
      '{"__proto__":{"polluted":true},"batchId":"proto-1","exposures":[]}',
      '{"constructor":{"prototype":{"polluted":true}},"batchId":"proto-2","exposures":[]}',
      '{"batchId":"proto-3","conversions":[{"__proto__":{"value":5},"metric":"signup"}]}',
    ];
    for (const body of bodies) {
      const response = await send(`/v1/sites/${t.siteKey}/reports`, body, visitor.auth);
      expect(response.statusCode, body).toBe(400);
    }
    const condition = await send(
      `/v1/admin/sites/${t.siteKey}/drafts/audiences/proto`,
      '{"id":"proto","name":"P","condition":{"__proto__":{"$exists":true}}}',
      t.as.editor.headers,
      'PUT',
    );
    expect(condition.statusCode).toBe(400);
    const consentBody = await send(
      '/v1/visitor/consent',
      JSON.stringify(CONSENT).replace('"purposes":{', '"purposes":{"__proto__":"granted",'),
      visitor.auth,
    );
    expect(consentBody.statusCode).toBe(400);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['n']).toBeUndefined();
  });

  it('refuses bodies over the limit with 413 before parsing them', async () => {
    const big = JSON.stringify({ id: 'big', name: 'x'.repeat(1024 * 1024 + 10), kind: 'proportion' });
    const admin = await send(`/v1/admin/sites/${t.siteKey}/drafts/metrics/big`, big, t.as.editor.headers, 'PUT');
    expect(admin.statusCode).toBe(413);
    const consentBody = await send('/v1/visitor/consent', big, visitor.auth);
    expect(consentBody.statusCode).toBe(413);
  });

  it('refuses deeply nested JSON with a 400, not a stack overflow; a condition past the limit never publishes', async () => {
    for (const depth of [1_000, 100_000]) {
      // Reports stop at 64 KiB, so their nesting stays under that size.
      const arrays = Math.min(depth, 20_000);
      const nested = `${'['.repeat(arrays)}${']'.repeat(arrays)}`;
      const report = await send(
        `/v1/sites/${t.siteKey}/reports`,
        `{"batchId":"deep-${depth}","exposures":${nested}}`,
        visitor.auth,
      );
      expect(report.statusCode, `report depth ${depth}`).toBe(400);
      const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const audience = await send(
        `/v1/admin/sites/${t.siteKey}/drafts/audiences/deep`,
        `{"id":"deep","name":"Deep","condition":${objects}}`,
        t.as.editor.headers,
        'PUT',
      );
      expect(audience.statusCode, `audience depth ${depth}`).toBe(400);
      expect(audience.json()).toMatchObject({ code: 'bad_request' });
    }
    // Under the body bound but over the condition bound (32): stored as a draft, refused at publish.
    const condition = `${'{"$not":'.repeat(40)}{"role":"developer"}${'}'.repeat(40)}`;
    const stored = await send(
      `/v1/admin/sites/${t.siteKey}/drafts/audiences/deep`,
      `{"id":"deep","name":"Deep","condition":${condition}}`,
      t.as.editor.headers,
      'PUT',
    );
    expect(stored.statusCode).toBe(200);
    const published = await send(`/v1/admin/sites/${t.siteKey}/publish`, '{"acknowledge":[]}', t.as.editor.headers);
    expect(published.statusCode).toBe(422);
  });

  it('refuses wrong content types with 4xx', async () => {
    const body = JSON.stringify({ batchId: 'ctype-01', exposures: [EXPOSURE] });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      '',
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/v1/sites/${t.siteKey}/reports`,
        payload: body,
        headers: type === '' ? visitor.auth : { ...visitor.auth, 'content-type': type },
      });
      expect(response.statusCode, type).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, type).toBeLessThan(500);
    }
    const cells = (
      await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/aggregates`, headers: t.as.viewer.headers })
    ).json() as unknown[];
    expect(cells).toEqual([]);
  });

  it('lets no request smuggle a header into a response (raw CRLF and encoded CRLF)', async () => {
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(base);
    const raw = (request: string) =>
      new Promise<string>((done, fail) => {
        const socket = connect(Number(port), '127.0.0.1');
        let answer = '';
        socket.setTimeout(3000, () => socket.destroy(new Error('timeout')));
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
        socket.on('end', () => done(answer));
        socket.on('close', () => done(answer));
        socket.on('error', fail);
        socket.end(request);
      });
    const encoded = await raw(
      `GET /v1/sites/${t.siteKey}%0d%0aSet-Cookie:%20evil=1/snapshot?x=%0d%0aSet-Cookie:%20evil=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
    const head = encoded.split('\r\n\r\n')[0] ?? '';
    expect(head).toMatch(/^HTTP\/1\.1 [34]\d\d/);
    expect(head.toLowerCase()).not.toContain('evil');
    const origin = await raw(
      `GET /v1/sites/${t.siteKey}/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://shop.example\rSet-Cookie: evil=3\r\nConnection: close\r\n\r\n`,
    );
    expect(origin.toLowerCase()).not.toContain('set-cookie: evil');
    const foreign = await raw(
      `GET /v1/sites/${t.siteKey}/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\nConnection: close\r\n\r\n`,
    );
    expect(foreign.toLowerCase()).not.toContain('access-control-allow-origin: https://evil.example');
    expect(foreign.toLowerCase()).not.toContain('access-control-allow-origin: *');
  });
});
