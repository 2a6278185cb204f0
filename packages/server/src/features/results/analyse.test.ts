import type { Experience, Metric } from '@candor/core';
import { ExperienceAnalysis } from '@candor/schema';
import { describe, expect, it } from 'vitest';
import type { CellDelta } from '../reports/store.js';
import { analyseExperience } from './analyse.js';

const experience: Experience = {
  id: 'e',
  name: 'e',
  kind: 'experiment',
  audiences: [],
  variants: [
    { id: 'a', name: 'a', content: {} },
    { id: 'b', name: 'b', content: {} },
  ],
  holdout: 0,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'e',
  goals: ['profit'],
};
const profit: Metric = { id: 'profit', name: 'Profit', kind: 'mean', cap: 100 };

function cell(variantId: string, n: number, mean: number, sd: number): CellDelta {
  const sum = n * mean;
  return {
    experienceId: 'e',
    variantId,
    metricId: 'profit',
    n,
    sum,
    sumSquares: sd ** 2 * (n - 1) + sum ** 2 / n,
    covariateSum: 0,
    covariateSumSquares: 0,
    crossProduct: 0,
  };
}

const analyse = (cells: CellDelta[], overrides: Partial<Experience> = {}) =>
  analyseExperience({
    experience: { ...experience, ...overrides },
    metrics: [profit],
    settings: ExperienceAnalysis.parse({}),
    engine: 'frequentist',
    cells,
    history: [],
  });

describe('analyseExperience edge states', () => {
  it('keeps the absolute effect and says why relative lift is undefined for a negative control mean', () => {
    const b = analyse([cell('a', 500, -2, 3), cell('b', 500, -1, 3)]).metrics[0]!.variants[1]!;
    expect(b.state).toBe('ok');
    expect(b.relative).toBeNull();
    expect(b.relativeReason).toBe('BASELINE_NEGATIVE');
    expect(b.absolute!.estimate).toBeCloseTo(1, 12);
  });

  it('says relative lift is undefined for a zero control mean', () => {
    const b = analyse([cell('a', 500, 0, 3), cell('b', 500, 1, 3)]).metrics[0]!.variants[1]!;
    expect(b.relativeReason).toBe('BASELINE_ZERO');
    expect(b.absolute).not.toBeNull();
  });

  it('gates on the minimum sample and on a variant with no traffic', () => {
    expect(analyse([cell('a', 50, 1, 1), cell('b', 50, 2, 1)]).metrics[0]!.variants[1]!.reason).toBe(
      'BELOW_MINIMUM_SAMPLE',
    );
    expect(analyse([cell('a', 500, 1, 1)]).metrics[0]!.variants[1]).toMatchObject({
      state: 'not_enough_data',
      reason: 'MISSING_VARIANT',
      n: 0,
      mean: null,
    });
  });

  it('does not test the split of a bandit, whose weights move by design', () => {
    const result = analyse([cell('a', 500, 1, 1), cell('b', 900, 1, 1)], { allocation: 'bandit' });
    expect(result.srm).toMatchObject({ state: 'not_applicable', flagged: false });
  });
});

const arms = (ids: string[]): Partial<Experience> => ({
  variants: ids.map((id) => ({ id, name: id, content: {} })),
});
const signup: Metric = { id: 'signup', name: 'Signup', kind: 'proportion' };

function countCell(variantId: string, metricId: string, n: number, sum: number): CellDelta {
  return {
    experienceId: 'e',
    variantId,
    metricId,
    n,
    sum,
    sumSquares: sum,
    covariateSum: 0,
    covariateSumSquares: 0,
    crossProduct: 0,
  };
}

const analyseWith = (
  cells: CellDelta[],
  overrides: Partial<Experience>,
  settings: Record<string, unknown> = {},
  privacy?: Parameters<typeof analyseExperience>[0]['privacy'],
) =>
  analyseExperience({
    experience: { ...experience, goals: ['signup'], ...overrides },
    metrics: [signup, profit],
    settings: ExperienceAnalysis.parse(settings),
    engine: 'frequentist',
    cells,
    history: [],
    ...(privacy === undefined ? {} : { privacy }),
  });

describe('one error budget per results page', () => {
  it('puts trust harm in the same Holm family as the goals, so one p = 0.03 among many is not an alarm', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const cells = ids.flatMap((id) => [
      countCell(id, 'signup', 1000, 100),
      // opt-outs: the control 10, 'b' 21 (one-sided Fisher p ≈ 0.03), the others 10.
      countCell(id, '$trust.opt_out', id === 'b' ? 21 : 10, id === 'b' ? 21 : 10),
    ]);
    const result = analyseWith(cells, arms(ids));
    const b = result.trust.find((row) => row.event === 'opt_out' && row.variantId === 'b')!;
    expect(b.pValue).toBeGreaterThan(0.01);
    expect(b.pValue).toBeLessThan(0.05);
    expect(b.flagged).toBe(false);
    expect(b.pValueAdjusted).toBeGreaterThan(0.05);
    // 4 goal verdicts + 3 trust events × 4 variants.
    expect(result.correction).toMatchObject({ method: 'holm', scope: 'page', family: 16, srmAlpha: 0.001 });
    expect(result.correction.alpha).toBeCloseTo(0.049, 12);
  });

  it('corrects guardrail harm and Bayesian verdicts too', () => {
    const ids = ['a', 'b', 'c'];
    const cells = ids.flatMap((id) => [
      countCell(id, 'signup', 1000, id === 'b' ? 128 : 100),
      cell(id, 1000, id === 'c' ? 9.9 : 10, 1),
    ]);
    const result = analyseExperience({
      experience: { ...experience, goals: ['signup'], guardrails: ['profit'], ...arms(ids) },
      metrics: [signup, profit],
      settings: ExperienceAnalysis.parse({}),
      engine: 'bayesian',
      cells,
      history: [],
    });
    const guardrail = result.metrics.find((m) => m.metricId === 'profit')!;
    expect(guardrail.variants.every((v) => v.pValueAdjusted === null || v.pValueAdjusted >= 0)).toBe(true);
    expect(result.correction.family).toBe(4 + 6);
    // Goal 'b' converts at 12.5% vs 10%: P(better) ≈ 0.96 raw, beyond 1 − α/2 = 0.975 alone but not
    // once the page's ten alarms share the budget.
    const goal = result.metrics.find((m) => m.metricId === 'signup')!.variants.find((v) => v.variantId === 'b')!;
    expect(goal.relative!.chanceToWin!).toBeGreaterThan(0.975);
    expect(goal.pValueAdjusted!).toBeGreaterThan(result.correction.alpha);
    expect(goal.significant).toBe(false);
  });
});

describe('relative lift on the log-ratio scale', () => {
  it('is the default and gives the delta method back on request', () => {
    const cells = [countCell('a', 'signup', 100, 7), countCell('b', 'signup', 100, 1)];
    const settings = { minimumUnits: 50 };
    const log = analyseWith(cells, {}, settings).metrics[0]!.variants[1]!;
    expect(log.relative!.pValue!).toBeGreaterThan(0.05);
    expect(log.relative!.interval[0]).toBeGreaterThan(-1);
    const delta = analyseWith(cells, {}, { ...settings, relativeMethod: 'delta' }).metrics[0]!.variants[1]!;
    expect(delta.relative!.pValue!).toBeLessThan(1e-6);
    expect(delta.relative!.interval[0]).toBeLessThan(-1);
  });
});

describe('the k-threshold', () => {
  it('shows no figure of an arm below k in exposures, SRM or trust rows', () => {
    const noise = new Map([
      ['signup', { n: 1, sum: 1 }],
      ['$trust.opt_out', { n: 1, sum: 1 }],
    ]);
    const cells = [
      countCell('a', 'signup', 30, 3),
      countCell('b', 'signup', 400, 40),
      countCell('a', '$trust.opt_out', 2, 2),
      countCell('b', '$trust.opt_out', 5, 5),
    ];
    const result = analyseWith(cells, {}, {}, { noise, k: 50 });
    expect(result.exposures[0]).toBeNull();
    expect(result.srm.observed[0]).toBeNull();
    expect(result.srm.state).toBe('not_enough_data');
    for (const row of result.trust) {
      expect(row.controlRate).toBeNull();
      expect(row.count).toBeNull();
      expect(row.rate).toBeNull();
      if (row.variantId === 'a') expect(row.exposures).toBeNull();
    }
    expect(JSON.stringify(result)).not.toContain('30');
  });
});

describe('sample-ratio check', () => {
  it('flags traffic measured in an arm configured to get none', () => {
    const cells = [
      countCell('a', 'signup', 500, 50),
      countCell('b', 'signup', 500, 50),
      countCell('z', 'signup', 40, 4),
    ];
    const result = analyseWith(cells, {
      variants: [
        { id: 'a', name: 'a', content: {} },
        { id: 'b', name: 'b', content: {} },
        { id: 'z', name: 'z', content: {}, weight: 0 },
      ],
    });
    expect(result.srm).toMatchObject({ state: 'tested', flagged: true });
  });
});

describe('the daily series a results page asks for', () => {
  const revenue: Metric = { id: 'revenue', name: 'Revenue', kind: 'mean', cap: 100 };
  const both = (variantId: string, n: number): CellDelta[] => [
    cell(variantId, n, 10 + n / 1000, 3),
    { ...cell(variantId, n, 20, 4), metricId: 'revenue' },
  ];
  const history = [1, 2, 3].map((day) => ({
    day: `2026-11-0${day}`,
    at: day * 86_400_000,
    cells: [...both('a', 100 * day), ...both('b', 110 * day)],
  }));
  const run = (seriesMetricId?: string) =>
    analyseExperience({
      experience: { ...experience, goals: ['profit', 'revenue'] },
      metrics: [profit, revenue],
      settings: ExperienceAnalysis.parse({}),
      engine: 'frequentist',
      cells: history.at(-1)!.cells,
      history,
      ...(seriesMetricId === undefined ? {} : { seriesMetricId }),
    });

  it('is computed for the asked metric only, identical to the full computation, and changes no verdict', () => {
    const full = run();
    const one = run('revenue');
    const series = (analysis: ReturnType<typeof run>, id: string) =>
      analysis.metrics.find((metric) => metric.metricId === id)!.series;
    expect(series(full, 'revenue').length).toBe(6);
    expect(series(one, 'revenue')).toEqual(series(full, 'revenue'));
    expect(series(one, 'profit')).toEqual([]);
    const withoutSeries = (analysis: ReturnType<typeof run>) =>
      analysis.metrics.map((metric) => ({ ...metric, series: [] }));
    expect(withoutSeries(one)).toEqual(withoutSeries(full));
    expect({ ...one, metrics: [] }).toEqual({ ...full, metrics: [] });
  });
});
