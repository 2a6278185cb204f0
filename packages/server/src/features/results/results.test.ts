import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';

describe('experience results', () => {
  let t: TestApp;
  const results = async (query = '') =>
    t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/experiences/hero-dev/results${query}`,
      headers: t.as.viewer.headers,
    });
  const report = (batchId: string, deltas: object[], trust: object[] = []) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/aggregates`,
      headers: t.as.editor.headers,
      payload: { batchId, deltas, trust },
    });
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('says "not enough data" rather than guess', async () => {
    await report('small-batch-1', [
      { experience: 'hero-dev', variant: '$holdout', metric: 'signup', n: 5, sum: 1, sumSquares: 1 },
      { experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 45, sum: 10, sumSquares: 10 },
    ]);
    const body = (await results()).json() as { verdict: { status: string }; variants: { lift: number | null }[] };
    expect(body.verdict.status).toBe('not_enough_data');
    expect(body.variants.every((variant) => variant.lift === null)).toBe(true);
  });

  it('reports the lift against the holdout with an interval, no SRM at the configured split, and guardrails', async () => {
    await report(
      'large-batch-1',
      [
        { experience: 'hero-dev', variant: '$holdout', metric: 'signup', n: 195, sum: 19, sumSquares: 19 },
        { experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 1755, sum: 350, sumSquares: 350 },
      ],
      [{ experience: 'hero-dev', variant: 'dev', event: 'not_relevant', count: 300 }],
    );
    const response = await results('?metric=signup');
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      population: string;
      srm: { flagged: boolean };
      variants: {
        variantId: string;
        n: number;
        lift: number | null;
        interval: [number, number] | null;
        pValue: number | null;
      }[];
      guardrails: { event: string; variantId: string; flagged: boolean }[];
      verdict: { status: string; caveats: string[] };
    };
    expect(body.population).toBe('measurement_granted');
    expect(body.variants.map((variant) => [variant.variantId, variant.n])).toEqual([
      ['$holdout', 200],
      ['dev', 1800],
    ]);
    const dev = body.variants[1]!;
    // 20/200 = 10 % vs 360/1800 = 20 %: a relative lift of +100 %.
    expect(dev.lift).toBeCloseTo(1, 5);
    expect(dev.interval![0]).toBeLessThan(1);
    expect(dev.interval![1]).toBeGreaterThan(1);
    expect(dev.pValue).toBeLessThan(0.05);
    expect(body.srm.flagged).toBe(false);
    expect(body.verdict.status).toBe('better');
    expect(body.guardrails.find((g) => g.event === 'not_relevant' && g.variantId === 'dev')?.flagged).toBe(true);
    expect(body.verdict.caveats.join(' ')).toContain('guardrail');
  });

  it('answers 404 for an unknown experience or metric', async () => {
    expect((await results('?metric=nope')).statusCode).toBe(404);
    const unknown = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/experiences/nope/results`,
      headers: t.as.viewer.headers,
    });
    expect(unknown.statusCode).toBe(404);
  });
});
