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
