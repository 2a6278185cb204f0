import { describe, expect, it } from 'vitest';
import { cupedAdjust } from './cuped.js';
import type { MeanCupedStatistic } from './types.js';

function cell(post: number[], pre: number[]): MeanCupedStatistic {
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  return {
    kind: 'meanCuped',
    n: post.length,
    post: { sum: sum(post), sumSquares: sum(post.map((x) => x * x)) },
    pre: { sum: sum(pre), sumSquares: sum(pre.map((x) => x * x)) },
    postPreSumProduct: sum(post.map((x, i) => x * (pre[i] ?? 0))),
  };
}

describe('cupedAdjust', () => {
  it('pools theta across arms: Cov(post, pre) / Var(pre) of the combined sample', () => {
    // Combined pre [1..8], post = 2·pre + noise; np.cov(post, pre)[0, 1] / np.var(pre, ddof=1) = 2.0119...
    const control = cell([2.1, 4.2, 5.7, 8.3], [1, 2, 3, 4]);
    const treatment = cell([10.4, 11.9, 14.2, 16.1], [5, 6, 7, 8]);
    const pre = [1, 2, 3, 4, 5, 6, 7, 8];
    const post = [2.1, 4.2, 5.7, 8.3, 10.4, 11.9, 14.2, 16.1];
    const mp = 4.5;
    const mq = post.reduce((s, x) => s + x, 0) / 8;
    const cov = post.reduce((s, y, i) => s + (y - mq) * ((pre[i] ?? 0) - mp), 0) / 7;
    const varPre = pre.reduce((s, x) => s + (x - mp) ** 2, 0) / 7;
    const result = cupedAdjust(control, treatment);
    expect(result.theta).toBeCloseTo(cov / varPre, 12);
    expect(result.varianceReduction).toBeGreaterThan(0.9);
  });

  it('does nothing when the covariate is constant', () => {
    const result = cupedAdjust(cell([1, 2, 3], [5, 5, 5]), cell([2, 3, 4], [5, 5, 5]));
    expect(result.theta).toBe(0);
    expect(result.varianceReduction).toBe(0);
    expect(result.treatment.adjustedMean).toBe(3);
  });

  it('handles conversions with a pre-period conversion', () => {
    const control = {
      kind: 'proportionCuped',
      n: 1000,
      post: { sum: 100 },
      pre: { sum: 80 },
      postPreSumProduct: 60,
    } as const;
    const treatment = {
      kind: 'proportionCuped',
      n: 1000,
      post: { sum: 120 },
      pre: { sum: 85 },
      postPreSumProduct: 65,
    } as const;
    const result = cupedAdjust(control, treatment);
    expect(result.theta).toBeGreaterThan(0);
    expect(result.varianceReduction).toBeGreaterThan(0);
    expect(result.varianceReduction).toBeLessThan(1);
  });
});
