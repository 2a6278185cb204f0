import { describe, expect, it } from 'vitest';
import { summarizeCells } from './cell-summary.js';

const cell = (variantId: string, metricId: string, n: number, sum: number) => ({
  experienceId: 'hero',
  variantId,
  metricId,
  n,
  sum,
  sumSquares: sum,
  covariateSum: 0,
  covariateSumSquares: 0,
  crossProduct: 0,
  updatedAt: 0,
});

describe('summarizeCells', () => {
  it('gives n, mean and trust counts per variant, holdout included', () => {
    const rows = summarizeCells(
      [
        cell('dev', 'signup', 200, 30),
        cell('$holdout', 'signup', 20, 2),
        cell('dev', '$trust.opt_out', 3, 3),
        { ...cell('x', 'signup', 5, 1), experienceId: 'other' },
      ],
      'hero',
      'signup',
    );
    expect(rows).toEqual([
      { variantId: '$holdout', n: 20, mean: 0.1, trust: { opt_out: 0, not_relevant: 0, preference_center: 0 } },
      { variantId: 'dev', n: 200, mean: 0.15, trust: { opt_out: 3, not_relevant: 0, preference_center: 0 } },
    ]);
  });

  it('has no mean where nobody was counted', () => {
    expect(summarizeCells([cell('dev', '$trust.opt_out', 1, 1)], 'hero', 'signup')[0]?.mean).toBeNull();
  });
});
