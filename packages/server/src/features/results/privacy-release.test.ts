import type { Metric } from '@candor/core';
import { mulberry32 } from '@candor/stats';
import { describe, expect, it } from 'vitest';
import { noisyCells } from './privacy-release.js';

const revenue: Metric = { id: 'revenue', name: 'Revenue', kind: 'mean', cap: 100 };

describe('noisyCells', () => {
  it('never releases a negative or inconsistent sum for a metric whose values are clipped to [0, C]', () => {
    const random = mulberry32(11);
    const exact = {
      experienceId: 'e',
      variantId: 'a',
      metricId: 'revenue',
      n: 400,
      sum: 150,
      sumSquares: 9000,
      covariateSum: 0,
      covariateSumSquares: 0,
      crossProduct: 0,
    };
    for (let release = 0; release < 500; release++) {
      const [cell] = noisyCells([exact], [revenue], 1 / 30, random);
      expect(cell!.sum).toBeGreaterThanOrEqual(0);
      expect(cell!.sumSquares).toBeLessThanOrEqual(100 * cell!.sum + 1e-6);
      expect(Number.isFinite(cell!.n) && Number.isFinite(cell!.sumSquares)).toBe(true);
    }
  });
});
