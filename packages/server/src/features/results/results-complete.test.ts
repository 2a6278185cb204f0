import type { ExperienceDraft } from '@candor/schema';
import { mulberry32 } from '@candor/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import type { ExperienceResults } from './service.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 1, 9);

type Draft = Omit<ExperienceDraft, 'analysis'> & { analysis?: Record<string, unknown> };

function experiment(id: string, variants: string[], extra: Partial<Draft> = {}): Draft {
  return {
    id,
    name: id,
    kind: 'experiment',
    audiences: [],
    variants: variants.map((variant) => ({
      id: variant,
      name: variant,
      content: { [`slot-${id}`]: { type: 'text', text: { en: variant, 'zh-Hant': variant } } },
    })),
    holdout: 0,
    coverage: 1,
    allocation: 'fixed',
    hashVersion: 2,
    seed: id,
    goals: ['signup', 'revenue'],
    ...extra,
  };
}

/** A conversion cell: n units, `conversions` of them converted. */
const conversions = (experience: string, variant: string, n: number, sum: number) => ({
  experience,
  variant,
  metric: 'signup',
  n,
  sum,
  sumSquares: sum,
});

/** A revenue cell with a pre-exposure covariate x and y ≈ x + lift + noise, as sums. */
function revenue(experience: string, variant: string, n: number, lift: number, seed: number) {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  let sum = 0;
  let sumSquares = 0;
  let covariateSum = 0;
  let covariateSumSquares = 0;
  let crossProduct = 0;
  for (let i = 0; i < n; i++) {
    const x = 20 + 30 * next();
    const y = Math.min(100, Math.max(0, x + lift + 10 * (next() - 0.5)));
    sum += y;
    sumSquares += y * y;
    covariateSum += x;
    covariateSumSquares += x * x;
    crossProduct += x * y;
  }
  return {
    experience,
    variant,
    metric: 'revenue',
    n,
    sum,
    sumSquares,
    covariateSum,
    covariateSumSquares,
    crossProduct,
  };
}

function everyNumberFinite(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => everyNumberFinite(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([key, item]) => everyNumberFinite(item, `${path}.${key}`));
  return [];
}

describe('experience results through the HTTP app', () => {
  let t: TestApp;
  let now = START;
  let batch = 0;
  // The test clock moves by days, past any session's lifetime: report and read with an API key.
  let apiKey = '';
  const report = async (deltas: object[], trust: object[] = []) => {
    batch += 1;
    const response = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/sites/${t.siteKey}/aggregates`,
      headers: { authorization: `Bearer ${apiKey}` },
      payload: { batchId: `batch-${batch.toString().padStart(4, '0')}`, deltas, trust },
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  const results = async (id: string, query = ''): Promise<ExperienceResults> => {
    const response = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/experiences/${id}/results${query}`,
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).not.toMatch(/NaN|Infinity/);
    const body = response.json() as ExperienceResults;
    expect(everyNumberFinite(body)).toEqual([]);
    return body;
  };

  beforeAll(async () => {
    // Seeded noise: the privacy assertions below hold for every run, not for most of them.
    t = await createTestApp({ clock: () => now, noiseRandom: mulberry32(7) });
    const key = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/api-keys',
      // Trusted aggregate batches need the publish permission.
      payload: { name: 'results reader and importer', scopes: ['read', 'publish'] },
      headers: t.as.owner.headers,
    });
    apiKey = (key.json() as { key: string }).key;
    const drafts: Draft[] = [
      experiment('checkout', ['a', 'b', 'c'], { analysis: { correction: 'holm' } }),
      experiment('empty', ['a', 'b']),
      experiment('trusty', ['control', 'personal'], { kind: 'personalization', goals: ['signup'] }),
      experiment('skewed', ['a', 'b'], { goals: ['signup'] }),
      experiment('private', ['a', 'b'], {
        goals: ['signup', 'revenue'],
        analysis: { differentialPrivacy: { epsilon: 1, plannedReleases: 4, releaseEveryHours: 24 } },
      }),
    ];
    // A lower-is-better metric: bounces.
    const bounce = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/metrics/bounce`,
      payload: { id: 'bounce', name: 'Bounce rate', kind: 'proportion', inverse: true },
      headers: t.as.editor.headers,
    });
    expect(bounce.statusCode, bounce.body).toBe(200);
    drafts.push(
      experiment('fewer-bounces', ['a', 'b'], { goals: ['bounce'] }),
      experiment('bouncier', ['a', 'b'], { goals: ['signup'], guardrails: ['bounce'] }),
      experiment('fewer-bounces-bayes', ['a', 'b'], { goals: ['bounce'], analysis: { engine: 'bayesian' } }),
    );
    for (const draft of drafts) {
      const response = await t.app.inject({
        method: 'PUT',
        url: `/v1/admin/sites/${t.siteKey}/drafts/experiences/${draft.id}`,
        payload: draft,
        headers: t.as.editor.headers,
      });
      expect(response.statusCode, response.body).toBe(200);
    }
    await seedAndPublish(t);
    // Three days of a three-arm experiment: b lifts signups and revenue, c does nothing.
    for (let day = 0; day < 3; day++) {
      now = START + day * DAY;
      await report([
        conversions('checkout', 'a', 1000, 100),
        conversions('checkout', 'b', 1000, 130 + day),
        conversions('checkout', 'c', 1000, 101),
        revenue('checkout', 'a', 1000, 0, 11 + day),
        revenue('checkout', 'b', 1000, 1.5, 23 + day),
        revenue('checkout', 'c', 1000, 0, 37 + day),
      ]);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports every goal per variant with absolute and relative lift, interval and Holm-adjusted p-values', async () => {
    const body = await results('checkout');
    expect(body.method).toBe('frequentist');
    expect(body.methodSource).toBe('experience');
    // One budget for the page: 2 goals × 2 variants, plus every trust row that was tested.
    const testedTrust = body.trust.filter((row) => row.pValueAdjusted !== null).length;
    expect(body.correction).toMatchObject({ method: 'holm', scope: 'page', family: 4 + testedTrust, srmAlpha: 0.001 });
    expect(body.correction.alpha).toBeCloseTo(0.049, 12);
    expect(body.metrics.map((metric) => [metric.metricId, metric.role])).toEqual([
      ['signup', 'goal'],
      ['revenue', 'goal'],
    ]);
    const signup = body.metrics[0]!;
    expect(signup.variants.map((variant) => [variant.variantId, variant.state, variant.n])).toEqual([
      ['a', 'control', 3000],
      ['b', 'ok', 3000],
      ['c', 'ok', 3000],
    ]);
    const b = signup.variants[1]!;
    expect(b.mean).toBeCloseTo(393 / 3000, 12);
    expect(b.absolute!.estimate).toBeCloseTo(93 / 3000, 12);
    expect(b.relative!.estimate).toBeCloseTo(0.31, 12);
    expect(b.relative!.interval[0]).toBeGreaterThan(0);
    expect(b.pValueAdjusted!).toBeGreaterThanOrEqual(b.relative!.pValue!);
    expect(b.significant).toBe(true);
    expect(signup.variants[2]!.significant).toBe(false);
    expect(body.verdict.status).toBe('better');
    // The dashboard's shape for the selected metric.
    expect(body.variants.map((variant) => variant.variantId)).toEqual(['a', 'b', 'c']);
    expect(body.variants[1]!.lift).toBeCloseTo(0.31, 12);
    expect(body.srm).toMatchObject({ state: 'tested', flagged: false });
  });

  it('applies CUPED when covariate sums were reported, and says how much variance it removed', async () => {
    const body = await results('checkout', '?metric=revenue');
    expect(body.cuped).toBe(true);
    const b = body.metrics.find((metric) => metric.metricId === 'revenue')!.variants[1]!;
    expect(b.cuped!.varianceReduction).toBeGreaterThan(0.5);
    expect(b.cuped!.theta).toBeGreaterThan(0.5);
    expect(b.absolute!.estimate).toBeGreaterThan(1);
    expect(b.absolute!.interval[0]).toBeGreaterThan(0);
    // Signups carried no covariate: not adjusted.
    expect(body.metrics[0]!.variants[1]!.cuped).toBeNull();
  });

  it('returns a cumulative daily series per variant and metric that ends at the totals', async () => {
    const body = await results('checkout');
    const signup = body.metrics[0]!;
    const days = [...new Set(signup.series.map((point) => point.day))];
    expect(days).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    const b = signup.series.filter((point) => point.variantId === 'b');
    expect(b.map((point) => point.n)).toEqual([1000, 2000, 3000]);
    expect(b[2]!.lift).toBeCloseTo(signup.variants[1]!.relative!.estimate, 12);
    expect(b[0]!.at).toBe(Date.UTC(2026, 2, 2) - 1);
    // Narrower as data accumulates.
    const width = (point: (typeof b)[number]) => point.interval![1] - point.interval![0];
    expect(width(b[2]!)).toBeLessThan(width(b[0]!));
    expect(body.series.filter((point) => point.variantId === 'b')).toHaveLength(3);
  });

  it('switches engine per request: sequential intervals are wider, Bayesian reports chance to win', async () => {
    const fixed = (await results('checkout')).metrics[0]!.variants[1]!;
    const sequential = await results('checkout', '?engine=sequential');
    expect(sequential.method).toBe('sequential');
    expect(sequential.methodSource).toBe('query');
    const s = sequential.metrics[0]!.variants[1]!;
    expect(s.relative!.interval[1] - s.relative!.interval[0]).toBeGreaterThan(
      fixed.relative!.interval[1] - fixed.relative!.interval[0],
    );
    const bayesian = await results('checkout', '?engine=bayesian');
    const v = bayesian.metrics[0]!.variants[1]!;
    expect(v.relative!.pValue).toBeNull();
    expect(v.relative!.chanceToWin).toBeGreaterThan(0.99);
    // The Bayesian engine shares the page's budget too: chances to win are read as p-values.
    expect(bayesian.correction.method).toBe('holm');
    expect(bayesian.variants[1]!.chanceToWin).toBeGreaterThan(0.99);
  });

  it('flags a personalization that wins on conversions but significantly raises opt-outs', async () => {
    await report(
      [conversions('trusty', 'control', 2000, 200), conversions('trusty', 'personal', 2000, 260)],
      [
        { experience: 'trusty', variant: 'control', event: 'opt_out', count: 10 },
        { experience: 'trusty', variant: 'personal', event: 'opt_out', count: 40 },
        { experience: 'trusty', variant: 'personal', event: 'preference_center', count: 12 },
        { experience: 'trusty', variant: 'control', event: 'preference_center', count: 10 },
      ],
    );
    const body = await results('trusty');
    expect(body.verdict.status).toBe('better');
    expect(body.verdict.flags).toContain('trust_harm');
    expect(body.verdict.text).toContain('costs trust');
    const optOut = body.trust.find((guardrail) => guardrail.event === 'opt_out' && guardrail.variantId === 'personal')!;
    expect(optOut).toMatchObject({ state: 'tested', flagged: true, count: 40, exposures: 2000, rate: 0.02 });
    expect(optOut.controlRate).toBeCloseTo(0.005, 12);
    expect(optOut.pValue!).toBeLessThan(0.001);
    const visits = body.trust.find((g) => g.event === 'preference_center' && g.variantId === 'personal')!;
    expect(visits.flagged).toBe(false);
    const dontUse = body.trust.find((g) => g.event === 'not_relevant' && g.variantId === 'personal')!;
    expect(dontUse).toMatchObject({ state: 'tested', flagged: false, rate: 0 });
    expect(body.guardrails.find((g) => g.event === 'opt_out' && g.variantId === 'personal')?.flagged).toBe(true);
  });

  it('reads a drop as the win for a lower-is-better metric, and a rise as a guardrail harm', async () => {
    const bounces = (experience: string, variant: string, n: number, sum: number) => ({
      ...conversions(experience, variant, n, sum),
      metric: 'bounce',
    });
    await report([
      bounces('fewer-bounces', 'a', 2000, 800),
      bounces('fewer-bounces', 'b', 2000, 600),
      bounces('fewer-bounces-bayes', 'a', 2000, 800),
      bounces('fewer-bounces-bayes', 'b', 2000, 600),
      conversions('bouncier', 'a', 2000, 200),
      conversions('bouncier', 'b', 2000, 204),
      bounces('bouncier', 'a', 2000, 600),
      bounces('bouncier', 'b', 2000, 800),
    ]);
    const fewer = await results('fewer-bounces');
    expect(fewer.metrics[0]).toMatchObject({ metricId: 'bounce', inverse: true });
    expect(fewer.lowerIsBetter).toBe(true);
    expect((await results('checkout')).lowerIsBetter).toBe(false);
    expect(fewer.metrics[0]!.variants[1]!.relative!.estimate).toBeCloseTo(-0.25, 10);
    expect(fewer.verdict.status).toBe('better');
    expect(fewer.verdict.text).toContain('improves Bounce rate over the control — lower is better');

    // Bayesian: the chance to win is the chance b is lower.
    const bayes = await results('fewer-bounces-bayes');
    expect(bayes.metrics[0]!.variants[1]!.relative!.chanceToWin!).toBeGreaterThan(0.999);
    expect(bayes.verdict.status).toBe('better');

    // As a guardrail, more bounces is the harm the one-sided test looks for.
    const bouncier = await results('bouncier');
    const guard = bouncier.metrics.find((metric) => metric.metricId === 'bounce')!;
    expect(guard).toMatchObject({ role: 'guardrail', inverse: true });
    expect(guard.variants[1]!.significant).toBe(true);
    expect(bouncier.verdict.flags).toContain('guardrail_harm');
    expect(bouncier.verdict.caveats.join(' ')).toContain('Bounce rate');
  });

  it('flags a sample-ratio mismatch against the configured weights', async () => {
    await report([conversions('skewed', 'a', 1000, 100), conversions('skewed', 'b', 1200, 120)]);
    const body = await results('skewed');
    expect(body.srm.state).toBe('tested');
    expect(body.srm.flagged).toBe(true);
    expect(body.srm.expectedShares).toEqual([0.5, 0.5]);
    expect(body.verdict.flags).toContain('srm');
  });

  it('answers explicit states with reasons for no traffic, zero conversions and a missing control', async () => {
    const none = await results('empty');
    expect(none.verdict.status).toBe('not_enough_data');
    expect(none.metrics[0]!.variants[1]).toMatchObject({ state: 'not_enough_data', reason: 'MISSING_CONTROL' });
    expect(none.srm.state).toBe('not_enough_data');
    expect(none.series).toEqual([]);

    await report([conversions('empty', 'b', 500, 0)]);
    const missingControl = await results('empty');
    expect(missingControl.metrics[0]!.variants[1]).toMatchObject({ reason: 'MISSING_CONTROL', n: 500 });

    await report([conversions('empty', 'a', 500, 0)]);
    const zero = await results('empty');
    expect(zero.metrics[0]!.variants[1]).toMatchObject({
      state: 'not_enough_data',
      reason: 'NO_VARIANCE',
      absolute: null,
      relative: null,
    });
    expect(zero.metrics[0]!.variants[1]!.message).toContain('no conversions');
    expect(zero.variants[1]).toMatchObject({ lift: null, pValue: null, state: 'not_enough_data' });
  });

  it('releases differentially private results on a fixed cadence, spending the persisted budget once per release', async () => {
    now = START + 10 * DAY;
    await report([
      conversions('private', 'a', 4000, 400),
      conversions('private', 'b', 4000, 480),
      revenue('private', 'a', 30, 0, 5),
      revenue('private', 'b', 30, 1, 6),
    ]);
    const first = await results('private');
    // The exact cells never leave the server: the raw aggregates list leaves this experience out.
    const listed = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/aggregates`,
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const experiences = new Set((listed.json() as { experienceId: string }[]).map((cell) => cell.experienceId));
    expect(experiences.has('checkout')).toBe(true);
    expect(experiences.has('private')).toBe(false);
    expect(first.differentialPrivacy).toMatchObject({
      mechanism: 'laplace',
      epsilon: 1,
      epsilonPerRelease: 0.25,
      releases: 1,
      k: 50,
      state: 'released',
      lastReleaseAt: now,
      nextReleaseAt: now + DAY,
    });
    expect(first.differentialPrivacy!.spent).toBeCloseTo(0.25, 12);
    expect(first.differentialPrivacy!.intervalWidening).toBeGreaterThan(1);
    expect(first.cuped).toBe(false);
    const signup = first.metrics[0]!.variants[1]!;
    expect(signup.state).toBe('ok');
    expect(signup.noiseWidening!).toBeGreaterThan(1);
    // Revenue cells hold 30 visitors each: below k = 50, so suppressed.
    expect(first.metrics[1]!.variants[1]).toMatchObject({ state: 'suppressed', reason: 'BELOW_K', n: null });
    // Noisy counts, not the exact ones.
    expect(first.metrics[0]!.variants.map((variant) => variant.n)).not.toEqual([4000, 4000]);

    // Asking again before the cadence shows the same release and spends nothing.
    const again = await results('private');
    expect(again.metrics[0]!.variants[1]!.n).toBe(signup.n);
    expect(again.differentialPrivacy!.releases).toBe(1);
    expect((await t.storage.listPrivacyReleases((await t.storage.getSiteByKey(t.siteKey))!.id, 'private')).length).toBe(
      1,
    );

    for (let release = 2; release <= 4; release++) {
      now += DAY;
      const body = await results('private');
      expect(body.differentialPrivacy!.releases).toBe(release);
      expect(body.series.length).toBeGreaterThanOrEqual(release);
    }
    now += DAY;
    const exhausted = await results('private');
    expect(exhausted.differentialPrivacy).toMatchObject({
      state: 'budget_exhausted',
      releases: 4,
      nextReleaseAt: null,
    });
    expect(exhausted.differentialPrivacy!.spent).toBeCloseTo(1, 12);
    expect(exhausted.verdict.flags).toContain('privacy_budget_exhausted');
  });
});
