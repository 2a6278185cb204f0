import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { seedAndPublish } from '../src/testing/seed.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';
import { consent, registerTestVisitor, type TestVisitor } from '../src/testing/visitor-flow.js';

interface Cell {
  variantId: string;
  metricId: string;
  n: number;
  sum: number;
  sumSquares: number;
}

function setup() {
  const state: { t?: TestApp } = {};
  beforeAll(async () => {
    state.t = await createTestApp();
    await seedAndPublish(state.t);
  });
  afterAll(async () => {
    await state.t?.close();
  });
  const t = (): TestApp => {
    if (state.t === undefined) throw new Error('test app not started');
    return state.t;
  };
  const report = (payload: unknown, headers: Record<string, string> = {}) =>
    t().app.inject({ method: 'POST', url: `/v1/sites/${t().siteKey}/reports`, payload: payload as object, headers });
  const cells = async (): Promise<Cell[]> =>
    (await t().app.inject({ url: `/v1/admin/sites/${t().siteKey}/aggregates`, headers: t().as.viewer.headers })).json();
  const cell = async (variantId: string, metricId: string): Promise<Cell | undefined> =>
    (await cells()).find((c) => c.variantId === variantId && c.metricId === metricId);
  const measuredVisitor = async (): Promise<TestVisitor> => {
    const visitor = await registerTestVisitor(t());
    await consent(t(), visitor, { measurement: 'granted' });
    return visitor;
  };
  return { t, report, cells, cell, measuredVisitor };
}

let batches = 0;
const batchId = (): string => `batch-${(batches += 1).toString().padStart(6, '0')}`;

describe('visitor reports: attributable', () => {
  const { t, report, cells, cell, measuredVisitor } = setup();

  it('counts a consented visitor: exposure, then a conversion sent in a later batch (not clipped to 0)', async () => {
    const visitor = await measuredVisitor();
    const exposure = await report(
      { batchId: batchId(), exposures: [{ experience: 'hero-dev', variant: 'dev' }] },
      visitor.auth,
    );
    expect(exposure.statusCode, exposure.body).toBe(200);
    const conversion = await report({ batchId: batchId(), conversions: [{ metric: 'signup' }] }, visitor.auth);
    expect(conversion.json()).toMatchObject({ status: 'applied', deltas: 1 });
    expect(await cell('dev', 'signup')).toMatchObject({ n: 1, sum: 1, sumSquares: 1 });
    expect(await cell('dev', 'revenue')).toMatchObject({ n: 1, sum: 0 });
  });

  it('refuses a report without a valid token (401) and counts it only as unattributed', async () => {
    const before = JSON.stringify(await cells());
    const forged = {
      batchId: batchId(),
      exposures: [{ experience: 'hero-dev', variant: 'dev' }],
      conversions: [{ metric: 'signup' }],
    };
    const none = await report(forged);
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'unattributed' });
    const wrong = await report({ ...forged, batchId: batchId() }, { authorization: 'Bearer vis_nobody.secret' });
    expect(wrong.statusCode).toBe(401);
    expect(JSON.stringify(await cells())).toBe(before);
    const counted = await t().rawQuery('select reports, events from unattributed_reports');
    expect(counted).toEqual([{ reports: 2, events: 4 }]);
  });

  it('refuses a visitor who has not granted measurement, or withdrew it (403), and counts nothing', async () => {
    const visitor = await registerTestVisitor(t());
    const before = JSON.stringify(await cells());
    const refused = await report(
      { batchId: batchId(), exposures: [{ experience: 'hero-dev', variant: 'dev' }] },
      visitor.auth,
    );
    expect(refused.statusCode).toBe(403);
    await consent(t(), visitor, { measurement: 'granted' });
    await consent(t(), visitor, { measurement: 'denied' });
    const withdrawn = await report(
      { batchId: batchId(), exposures: [{ experience: 'hero-dev', variant: 'dev' }] },
      visitor.auth,
    );
    expect(withdrawn.statusCode).toBe(403);
    expect(JSON.stringify(await cells())).toBe(before);
  });

  it('never stores the visitor id or token beside the aggregates', async () => {
    const visitor = await measuredVisitor();
    await report({ batchId: batchId(), exposures: [{ experience: 'hero-dev', variant: '$holdout' }] }, visitor.auth);
    for (const table of ['aggregates', 'aggregates_daily', 'report_batches']) {
      const rows = JSON.stringify(await t().rawQuery(`select * from ${table}`));
      expect(rows).not.toContain(visitor.visitorId);
      expect(rows).not.toContain(visitor.token);
    }
  });

  it('stops counting conversions in an experience the visitor left (withdrew the data it used)', async () => {
    const visitor = await measuredVisitor();
    await report({ batchId: batchId(), exposures: [{ experience: 'hero-dev', variant: 'dev' }] }, visitor.auth);
    const before = await cell('dev', 'signup');
    await report({ batchId: batchId(), left: ['hero-dev'] }, visitor.auth);
    await report({ batchId: batchId(), conversions: [{ metric: 'signup' }] }, visitor.auth);
    expect(await cell('dev', 'signup')).toEqual(before);
  });

  it('refuses unknown ids, non-finite numbers and oversized bodies with 4xx, and counts nothing', async () => {
    const visitor = await measuredVisitor();
    const before = JSON.stringify(await cells());
    const unknown = await report(
      { batchId: batchId(), exposures: [{ experience: 'nope', variant: 'dev' }] },
      visitor.auth,
    );
    expect(unknown.statusCode).toBe(422);
    const badVariant = await report(
      { batchId: batchId(), exposures: [{ experience: 'hero-dev', variant: 'zzz' }] },
      visitor.auth,
    );
    expect(badVariant.statusCode).toBe(422);
    const badMetric = await report(
      {
        batchId: batchId(),
        exposures: [{ experience: 'hero-dev', variant: 'dev' }],
        conversions: [{ metric: 'nope' }],
      },
      visitor.auth,
    );
    expect(badMetric.statusCode).toBe(422);
    const notFinite = await t().app.inject({
      method: 'POST',
      url: `/v1/sites/${t().siteKey}/reports`,
      headers: { 'content-type': 'application/json', ...visitor.auth },
      payload: `{"batchId":"${batchId()}","conversions":[{"metric":"revenue","value":1e999}]}`,
    });
    expect(notFinite.statusCode).toBe(400);
    const tooMany = await report(
      {
        batchId: batchId(),
        conversions: Array.from({ length: 101 }, () => ({ metric: 'signup' })),
      },
      visitor.auth,
    );
    expect(tooMany.statusCode).toBe(400);
    const huge = await t().app.inject({
      method: 'POST',
      url: `/v1/sites/${t().siteKey}/reports`,
      headers: { 'content-type': 'application/json', ...visitor.auth },
      payload: JSON.stringify({ batchId: batchId(), pad: 'x'.repeat(70 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toContain('application/problem+json');
    const noSite = await t().app.inject({
      method: 'POST',
      url: '/v1/sites/nosuch/reports',
      payload: { batchId: batchId() },
      headers: visitor.auth,
    });
    expect(noSite.statusCode).toBe(404);
    expect(JSON.stringify(await cells())).toBe(before);
  });

  it("does not let another site's consented visitor report here", async () => {
    const other = await t().app.inject({
      method: 'POST',
      url: '/v1/admin/sites',
      headers: t().as.owner.headers,
      payload: {
        siteKey: 'other-shop',
        name: 'Other',
        defaultLanguage: 'en',
        policyVersion: '2026-01',
        explainDefaults: true,
        allowedOrigins: [],
        ledgerRetentionDays: 365,
      },
    });
    expect(other.statusCode, other.body).toBeLessThan(300);
    const response = await t().app.inject({ method: 'POST', url: '/v1/sites/other-shop/visitors' });
    const { token } = response.json() as { token: string };
    const refused = await report(
      { batchId: batchId(), exposures: [{ experience: 'hero-dev', variant: 'dev' }] },
      { authorization: `Bearer ${token}` },
    );
    expect(refused.statusCode).toBe(403);
  });
});

describe('visitor reports: bounded per visitor, whatever a device sends', () => {
  const { report, cells, measuredVisitor } = setup();

  const event = fc.oneof(
    fc.record({
      exposures: fc.array(
        fc.record({ experience: fc.constant('hero-dev'), variant: fc.constantFrom('dev', '$holdout') }),
        { maxLength: 3 },
      ),
    }),
    fc.record({
      conversions: fc.array(
        fc.record({
          metric: fc.constantFrom('signup', 'revenue'),
          value: fc.double({ min: 0, max: 1e6, noNaN: true }),
        }),
        { maxLength: 5 },
      ),
    }),
    fc.record({
      trust: fc.array(
        fc.record({
          experience: fc.constant('hero-dev'),
          event: fc.constantFrom('opt_out', 'not_relevant', 'preference_center', 'explanation_open'),
        }),
        { maxLength: 4 },
      ),
    }),
  );

  it('adds at most one exposure, Σy ≤ C and each trust event once per visitor (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 6 }), fc.boolean(), async (sequence, replay) => {
        const visitor = await measuredVisitor();
        const before = await cells();
        for (const payload of sequence) {
          const body = { batchId: batchId(), ...payload };
          await report(body, visitor.auth);
          // A retried batch (same id) must count nothing more.
          if (replay) await report(body, visitor.auth);
        }
        const after = await cells();
        const grew = (metric: string, field: 'n' | 'sum' | 'sumSquares') => {
          const total = (list: Cell[]) =>
            list.filter((c) => c.metricId === metric).reduce((sum, c) => sum + c[field], 0);
          return total(after) - total(before);
        };
        expect(grew('signup', 'n')).toBeLessThanOrEqual(1);
        expect(grew('signup', 'sum')).toBeLessThanOrEqual(1);
        expect(grew('revenue', 'n')).toBeLessThanOrEqual(1);
        // REVENUE_METRIC's cap C is 100: Σy ≤ C and Σy² ≤ C² for one visitor.
        expect(grew('revenue', 'sum')).toBeLessThanOrEqual(100 + 1e-9);
        expect(grew('revenue', 'sumSquares')).toBeLessThanOrEqual(10_000 + 1e-6);
        for (const trust of ['opt_out', 'not_relevant', 'preference_center', 'explanation_open'])
          expect(grew(`$trust.${trust}`, 'n')).toBeLessThanOrEqual(1);
        // Nothing is counted outside an exposure: conversions and trust need the visitor to be in a cell.
        if (grew('signup', 'n') === 0) expect(grew('signup', 'sum')).toBe(0);
      }),
      { numRuns: 25 },
    );
  });
});

describe('trusted aggregate batches (publish permission)', () => {
  const { t, cells } = setup();
  const post = (payload: unknown, headers: Record<string, string> = t().as.editor.headers) =>
    t().app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t().siteKey}/aggregates`,
      payload: payload as object,
      headers,
    });

  it('needs the publish permission: anonymous and viewers are refused', async () => {
    const batch = {
      batchId: batchId(),
      deltas: [{ experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 100, sum: 100, sumSquares: 100 }],
    };
    expect(
      (await t().app.inject({ method: 'POST', url: `/v1/admin/sites/${t().siteKey}/aggregates`, payload: batch }))
        .statusCode,
    ).toBe(401);
    expect((await post(batch, t().as.viewer.headers)).statusCode).toBe(403);
  });

  it('adds deltas once per batch id, and a retry counts nothing', async () => {
    const batch = {
      batchId: batchId(),
      deltas: [{ experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 3, sum: 1, sumSquares: 1 }],
      trust: [{ experience: 'hero-dev', variant: 'dev', event: 'not_relevant', count: 2 }],
    };
    expect((await post(batch)).json()).toMatchObject({ status: 'applied', deltas: 2 });
    expect((await post(batch)).json()).toMatchObject({ status: 'duplicate' });
    expect((await cells()).find((c) => c.metricId === 'signup')).toMatchObject({ n: 3, sum: 1, sumSquares: 1 });
    expect((await cells()).find((c) => c.metricId === '$trust.not_relevant')).toMatchObject({ n: 2 });
  });

  it('clips values to the metric cap (Σy ≤ nC, Σy² ≤ nC²; proportions cap at 1)', async () => {
    const response = await post({
      batchId: batchId(),
      deltas: [
        { experience: 'hero-dev', variant: '$holdout', metric: 'revenue', n: 2, sum: 1000, sumSquares: 1e9 },
        { experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 1, sum: 5, sumSquares: 5 },
      ],
    });
    expect(response.json()).toMatchObject({ clipped: 2 });
    const revenue = (await cells()).find((c) => c.metricId === 'revenue' && c.variantId === '$holdout');
    expect(revenue).toMatchObject({ n: 2, sum: 200, sumSquares: 20000 });
  });

  it('refuses sums that would overflow a cell (covariates included) with 400', async () => {
    const response = await post({
      batchId: batchId(),
      deltas: [
        {
          experience: 'hero-dev',
          variant: 'dev',
          metric: 'signup',
          n: 1,
          sum: 1,
          sumSquares: 1,
          covariateSum: 1e300,
          covariateSumSquares: 1e300,
        },
      ],
    });
    expect(response.statusCode).toBe(400);
  });

  it('keeps injection attempts inert in every string field', async () => {
    const evil = "x'); DROP TABLE aggregates; --";
    const response = await post({
      batchId: batchId(),
      deltas: [{ experience: evil, variant: evil, metric: evil, n: 1, sum: 1, sumSquares: 1 }],
    });
    expect(response.statusCode).toBe(400);
    expect((await cells()).length).toBeGreaterThan(0);
  });
});

describe('visitor reports: one source cannot grow cells implausibly, nor starve others', () => {
  const state: { t?: TestApp } = {};
  beforeAll(async () => {
    state.t = await createTestApp({
      config: { ...loadConfig({ CANDOR_SCRYPT_LOG_N: '14', CANDOR_REPORT_GROWTH_LIMIT: '3' }) },
    });
    await seedAndPublish(state.t);
  });
  afterAll(async () => {
    await state.t?.close();
  });

  it('refuses first exposures past the hourly limit from one address (429), alerts, and still serves other addresses', async () => {
    const t = state.t!;
    const expose = async (remoteAddress: string) => {
      const visitor = await registerTestVisitor(t);
      await consent(t, visitor, { measurement: 'granted' });
      return t.app.inject({
        method: 'POST',
        url: `/v1/sites/${t.siteKey}/reports`,
        headers: visitor.auth,
        remoteAddress,
        payload: { batchId: batchId(), exposures: [{ experience: 'hero-dev', variant: 'dev' }] },
      });
    };
    for (let i = 0; i < 3; i += 1) expect((await expose('203.0.113.7')).statusCode).toBe(200);
    const refused = await expose('203.0.113.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'implausible_growth' });
    expect(t.logs.join('')).toContain('implausible_growth');
    // The log names the site and the reason, never the address.
    expect(t.logs.join('')).not.toContain('203.0.113.7');
    expect((await expose('198.51.100.20')).statusCode).toBe(200);
  });
});
