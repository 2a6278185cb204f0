// Issue 15 item 4 / docs/privacy.md §1: the server honours `Sec-GPC: 1` on EVERY route that receives
// a visitor's data, not only where the SDK happens to send it. The route list is read from the
// server's own source, so a new public route fails this suite until it is classified below: either
// it receives a visitor's data and has a GPC check here, or the table says why it receives none.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Purpose } from '@candor/core';
import type { ConsentRecord } from '@candor/schema';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../src/testing/seed.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';
import { consent, registerTestVisitor, type TestVisitor } from '../src/testing/visitor-flow.js';

const SOURCE = join(import.meta.dirname, '../src');

/** Every route the server's source registers outside `/v1/admin` (admin routes take no visitor data). */
function publicRoutes(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'testing') walk(path);
        continue;
      }
      if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      const text = readFileSync(path, 'utf8');
      for (const match of text.matchAll(/\b(?:r|app)\.(get|post|put|patch|delete)\(\s*(['`])([^'`]+)\2/g)) {
        const [, method = '', , url = ''] = match;
        if (!url.startsWith('/v1/admin')) found.add(`${method.toUpperCase()} ${url}`);
      }
    }
  };
  walk(SOURCE);
  return [...found].sort();
}

/** Public routes that receive no visitor data, and why; each is a read, an erasure or a static file. */
const RECEIVES_NO_VISITOR_DATA: Readonly<Record<string, string>> = {
  'GET /admin': 'redirect to the dashboard',
  'GET /admin/*': 'dashboard files',
  'GET /demo': 'redirect to the demo',
  'GET /demo/*': 'demo files',
  'GET /healthz': 'liveness',
  'GET /readyz': 'readiness',
  'GET /metrics': 'operator metrics, no visitor input',
  'GET /.well-known/gpc.json': 'the GPC support file itself (tested below)',
  'GET /privacy/:siteKey': 'public trust page',
  'GET /v1/sites/:siteKey/privacy': 'public trust page facts',
  'GET /v1/sites/:siteKey/snapshot': 'public snapshot',
  'GET /v1/sites/:siteKey/snapshot/:version': 'public snapshot',
  'GET /v1/sites/:siteKey/updates': 'public snapshot updates',
  'GET /v1/sites/:siteKey/keys': 'public signing keys',
  'GET /sdk/:file': 'SDK files',
  'GET /sdk/esm/:file': 'SDK files',
  'GET /v1/visitor/data': "the visitor's own access right: returns, stores nothing",
  'GET /v1/visitor/export': "the visitor's own access right: returns, stores nothing",
  'DELETE /v1/visitor/data/:field': 'erasure: removes, stores nothing',
  'DELETE /v1/visitor/data': 'erasure: removes, stores nothing',
  'GET /v1/editor/session': "the marketer's visual editor (editor token): what the draft holds",
  'PUT /v1/editor/variants/:variant': "the marketer's visual editor: page changes into the draft",
  'POST /v1/editor/variants/:variant/lint': "the marketer's visual editor: lint, stores nothing",
  'POST /v1/editor/preview': "the marketer's visual editor: a sample visitor the marketer made up, stores nothing",
  'PUT /v1/editor/placements/:id': "the marketer's visual editor: a placed question into the draft",
  'DELETE /v1/editor/placements/:id': "the marketer's visual editor: removes a placed question from the draft",
};

const text = { en: 'Partners', 'zh-Hant': '合作夥伴' };
const PARTNERS: Purpose = { id: 'partners', class: 'cross_site', name: text, description: text, legalBasis: 'consent' };
const Choice = fc.constantFrom('granted' as const, 'denied' as const);
/** The forms a "GPC on" request takes: the header exactly 1, repeated/joined with 1, or the SDK's JS reading. */
const GpcOn = fc.constantFrom<{ headers: Record<string, string>; gpcJs?: true }>(
  { headers: { 'sec-gpc': '1' } },
  { headers: { 'sec-gpc': '0, 1' } },
  { headers: {}, gpcJs: true },
);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const put = await t.app.inject({
    method: 'PUT',
    url: `/v1/admin/sites/${t.siteKey}/drafts/purposes/partners`,
    payload: PARTNERS,
    headers: t.as.editor.headers,
  });
  expect(put.statusCode, put.body).toBe(200);
  await seedAndPublish(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

let batches = 0;
const report = (visitor: TestVisitor, headers: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/sites/${t.siteKey}/reports`,
    headers: { ...visitor.auth, ...headers },
    payload: {
      batchId: `gpc-${(batches += 1).toString().padStart(6, '0')}`,
      exposures: [{ experience: 'hero-dev', variant: 'dev' }],
    },
  });
const putRole = (visitor: TestVisitor, headers: Record<string, string>) =>
  t.app.inject({
    method: 'PUT',
    url: '/v1/visitor/data/role',
    headers: { ...visitor.auth, ...headers },
    payload: { value: 'developer' },
  });
const ledgerOf = async (visitor: TestVisitor): Promise<ConsentRecord[]> =>
  ((await t.app.inject({ url: '/v1/visitor/data', headers: visitor.auth })).json() as { consent: ConsentRecord[] })
    .consent;

/** What `Sec-GPC: 1` must do on each route that receives a visitor's data (docs/privacy.md §1). */
const RECEIVES_VISITOR_DATA: Readonly<Record<string, () => Promise<void>>> = {
  // Registration carries no body: it mints a pseudonymous id and stores no choice and no value.
  'POST /v1/sites/:siteKey/visitors': async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${t.siteKey}/visitors`,
      headers: { 'sec-gpc': '1' },
    });
    expect(response.statusCode).toBe(201);
    const { visitorId, token } = response.json() as { visitorId: string; token: string };
    expect(await ledgerOf({ visitorId, token, auth: { authorization: `Bearer ${token}` } })).toEqual([]);
    expect(await t.storage.listValues(visitorId)).toEqual([]);
  },
  // A choice under the signal: every cross-site grant is recorded as denied and the signal named;
  // every other answer stands; the signal itself is in the ledger record, and the chain stays intact.
  'POST /v1/visitor/consent': async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ personalization: Choice, sync: Choice, measurement: Choice, partners: Choice }),
        GpcOn,
        async (choices, on) => {
          const visitor = await registerTestVisitor(t);
          const response = await consent(t, visitor, choices, on.headers, on.gpcJs ? { gpcJs: true } : {});
          expect(response.statusCode).toBe(201);
          expect(response.body['purposes']).toEqual({ ...choices, partners: 'denied' });
          expect(response.body['signals']).toEqual({ gpc: true, dnt: false });
          if (choices.partners === 'granted') expect(response.body['signalOverrides']).toEqual({ partners: 'gpc' });
          else expect(response.body).not.toHaveProperty('signalOverrides');
          const stored = (await ledgerOf(visitor)).at(-1);
          expect(stored?.signals.gpc).toBe(true);
          expect(stored?.purposes['partners']).toBe('denied');
        },
      ),
      { numRuns: 12 },
    );
    const verify = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/ledger/verify`,
      headers: t.as.viewer.headers,
    });
    expect(verify.json()).toMatchObject({ intact: true });
  },
  // A server value needs sync and the field's purpose; a grant made before the signal no longer counts.
  'PUT /v1/visitor/data/:field': async () => {
    const before = await registerTestVisitor(t);
    await consent(t, before, { personalization: 'granted', sync: 'granted' });
    const refused = await putRole(before, { 'sec-gpc': '1' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'consent_required' });
    expect(await t.storage.listValues(before.visitorId)).toEqual([]);
    // The same request without the signal is stored: it was the signal that refused it.
    expect((await putRole(before, {})).statusCode).toBe(204);
    // A grant made with the signal on is an explicit choice after it, which §1 lets stand.
    const after = await registerTestVisitor(t);
    await consent(t, after, { personalization: 'granted', sync: 'granted' }, { 'sec-gpc': '1' });
    expect((await putRole(after, { 'sec-gpc': '1' })).statusCode).toBe(204);
  },
  // Reports are aggregate measurement, which the signal does not change (§1): a measurement grant
  // counts with or without it, and the signal never turns a denial into a count.
  'POST /v1/sites/:siteKey/reports': async () => {
    const measured = await registerTestVisitor(t);
    await consent(t, measured, { measurement: 'granted' });
    const counted = await report(measured, { 'sec-gpc': '1' });
    expect(counted.statusCode, counted.body).toBe(200);
    expect(counted.json()).toMatchObject({ status: 'applied' });
    const unmeasured = await registerTestVisitor(t);
    await consent(t, unmeasured, { measurement: 'denied', personalization: 'granted' }, { 'sec-gpc': '1' });
    const refused = await report(unmeasured, { 'sec-gpc': '1' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'consent_required' });
  },
};

describe('Sec-GPC on every public route (issue 15 item 4)', () => {
  it('classifies every public route the server registers: receives visitor data (GPC-checked) or says why not', () => {
    const classified = [...Object.keys(RECEIVES_VISITOR_DATA), ...Object.keys(RECEIVES_NO_VISITOR_DATA)].sort();
    const registered = publicRoutes();
    // Both directions: a new route must be classified; a classified route must still exist.
    expect(registered).toEqual(classified);
    for (const route of registered) {
      const [method = '', url = ''] = route.split(' ');
      expect(t.app.hasRoute({ method: method as 'GET', url }), route).toBe(true);
    }
  });

  for (const [route, check] of Object.entries(RECEIVES_VISITOR_DATA)) {
    it(`${route} honours Sec-GPC: 1`, check, 60_000);
  }

  it('serves /.well-known/gpc.json', async () => {
    const response = await t.app.inject('/.well-known/gpc.json');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ gpc: true, lastUpdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });
});
