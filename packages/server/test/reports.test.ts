import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../src/testing/seed.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';
import { consent, registerTestVisitor } from '../src/testing/visitor-flow.js';

describe('aggregate report ingestion', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/v1/sites/${t.siteKey}/reports`, payload: payload as object, headers });
  const cells = async () =>
    (await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/aggregates`, headers: t.as.viewer.headers })).json() as {
      variantId: string;
      metricId: string;
      n: number;
      sum: number;
      sumSquares: number;
    }[];

  it('adds deltas once per batch id, and a retry counts nothing', async () => {
    const batch = {
      batchId: 'batch-0001',
      deltas: [{ experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 3, sum: 1, sumSquares: 1 }],
      trust: [{ experience: 'hero-dev', variant: 'dev', event: 'not_relevant', count: 2 }],
    };
    expect((await post(batch)).json()).toMatchObject({ status: 'applied', deltas: 2 });
    expect((await post(batch)).json()).toMatchObject({ status: 'duplicate' });
    const signup = (await cells()).find((cell) => cell.metricId === 'signup');
    expect(signup).toMatchObject({ n: 3, sum: 1, sumSquares: 1 });
    expect((await cells()).find((cell) => cell.metricId === '$trust.not_relevant')).toMatchObject({ n: 2 });
  });

  it('clips values to the metric cap (Σy ≤ nC, Σy² ≤ nC²; proportions cap at 1)', async () => {
    const response = await post({
      batchId: 'batch-clip-1',
      deltas: [
        { experience: 'hero-dev', variant: '$holdout', metric: 'revenue', n: 2, sum: 1000, sumSquares: 1e9 },
        { experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 1, sum: 5, sumSquares: 5 },
      ],
    });
    expect(response.json()).toMatchObject({ clipped: 2 });
    const revenue = (await cells()).find((cell) => cell.metricId === 'revenue' && cell.variantId === '$holdout');
    expect(revenue).toMatchObject({ n: 2, sum: 200, sumSquares: 20000 });
  });

  it('refuses unknown ids, non-finite numbers and oversized bodies with 4xx', async () => {
    const unknown = await post({
      batchId: 'batch-bad-01',
      deltas: [{ experience: 'nope', variant: 'dev', metric: 'signup', n: 1, sum: 1, sumSquares: 1 }],
    });
    expect(unknown.statusCode).toBe(422);
    const badVariant = await post({
      batchId: 'batch-bad-02',
      deltas: [{ experience: 'hero-dev', variant: 'zzz', metric: 'signup', n: 1, sum: 1, sumSquares: 1 }],
    });
    expect(badVariant.statusCode).toBe(422);
    const notFinite = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${t.siteKey}/reports`,
      headers: { 'content-type': 'application/json' },
      payload:
        '{"batchId":"batch-bad-03","deltas":[{"experience":"hero-dev","variant":"dev","metric":"signup","n":1,"sum":1e999,"sumSquares":1}]}',
    });
    expect(notFinite.statusCode).toBe(400);
    const huge = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${t.siteKey}/reports`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ batchId: 'batch-huge-1', deltas: [], pad: 'x'.repeat(70 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toContain('application/problem+json');
    const noSite = await post({ batchId: 'batch-x-0001', deltas: [] }).then(() =>
      t.app.inject({ method: 'POST', url: '/v1/sites/nosuch/reports', payload: { batchId: 'batch-x-0002' } }),
    );
    expect(noSite.statusCode).toBe(404);
  });

  it('accepts a visitor id only when that visitor granted measurement, and never stores it', async () => {
    const visitor = await registerTestVisitor(t);
    const batch = (id: string) => ({
      batchId: id,
      visitorId: visitor.visitorId,
      deltas: [{ experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 1, sum: 1, sumSquares: 1 }],
    });
    expect((await post(batch('batch-vis-01'))).statusCode).toBe(403);
    await consent(t, visitor, { measurement: 'granted' });
    expect((await post(batch('batch-vis-02'))).statusCode).toBe(200);
    expect(JSON.stringify(await t.rawQuery('select * from aggregates'))).not.toContain(visitor.visitorId);
    expect(JSON.stringify(await t.rawQuery('select * from report_batches'))).not.toContain(visitor.visitorId);
  });

  it('keeps injection attempts inert in every string field', async () => {
    const evil = "x'); DROP TABLE aggregates; --";
    const response = await post({
      batchId: 'batch-inj-01',
      deltas: [{ experience: evil, variant: evil, metric: evil, n: 1, sum: 1, sumSquares: 1 }],
    });
    expect(response.statusCode).toBe(400);
    const draft = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/metrics/inj`,
      headers: t.as.editor.headers,
      payload: { id: 'inj', name: evil, kind: 'mean' },
    });
    expect(draft.statusCode).toBe(200);
    expect(
      (
        await t.app.inject({ url: `/v1/admin/sites/${t.siteKey}/drafts/metrics/inj`, headers: t.as.viewer.headers })
      ).json(),
    ).toMatchObject({
      name: evil,
    });
    expect((await cells()).length).toBeGreaterThan(0);
  });
});
