import { planSampleSize } from '@candor/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import type { PlanResult } from './plan.js';

describe('planning route', () => {
  let t: TestApp;
  const plan = (query: string) =>
    t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/experiences/hero-dev/plan?${query}`,
      headers: t.as.viewer.headers,
    });
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it("plans the page's own test: alpha split over every alarm on the page, sized by the smallest arm", async () => {
    const response = await plan('effect=0.1&baselineRate=0.1');
    expect(response.statusCode).toBe(200);
    const body = response.json<PlanResult>();
    // Two goals + three trust guardrails against the holdout; SRM keeps 0.001 of alpha 0.05.
    expect(body).toMatchObject({
      family: 5,
      correction: 'holm',
      engine: 'frequentist',
      reason: 'NO_TRAFFIC',
      days: null,
    });
    expect(body.testAlpha).toBeCloseTo(0.049 / 5, 12);
    const expected = planSampleSize({
      baseline: { kind: 'proportion', rate: 0.1 },
      effect: 0.1,
      difference: 'relative',
      alternative: 'two-sided',
      alpha: 0.049 / 5,
      power: 0.8,
      engine: 'frequentist',
    });
    expect(body.perVariant).toBe(expected.perVariant);
    expect(body.plannedPower!).toBeGreaterThanOrEqual(0.8);
    // The holdout gets 10% of traffic, so it sets the total.
    expect(body.totalVisitors).toBe(Math.ceil(expected.perVariant! / 0.1));
  });

  it('says what to pass when there is no data to plan from, and when an effect is too small', async () => {
    const missing = await plan('effect=0.1');
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ detail: string }>().detail).toContain('baselineRate=');
    const tiny = await plan('effect=0.0000001&baselineRate=0.1');
    expect(tiny.json<PlanResult>()).toMatchObject({ perVariant: null, reason: 'EFFECT_TOO_SMALL' });
  });
});
