import { describe, expect, it } from 'vitest';
import { variantMean, variantStandardError, variantVariance } from './variant-moments.js';
import { noiseWidening } from './privacy/noise-widening.js';
import { sequentialPValue } from './sequential.js';

describe('variant moments', () => {
  // y = [1, 2, 3, 4]: mean 2.5, np.var(ddof=1) = 1.6667.
  const mean = { kind: 'mean', n: 4, sum: 10, sumSquares: 30 } as const;

  it('matches np.mean and np.var(ddof=1) for a mean metric', () => {
    expect(variantMean(mean)).toBe(2.5);
    expect(variantVariance(mean)).toBeCloseTo(5 / 3, 15);
    expect(variantStandardError(mean)).toBeCloseTo(Math.sqrt(5 / 12), 15);
  });

  it('uses p(1 − p) for conversions, as gbstats', () => {
    expect(variantVariance({ kind: 'proportion', n: 10, sum: 3 })).toBeCloseTo(0.21, 15);
  });

  it('uses the delta method for ratios', () => {
    // Numerator [1, 2, 3], denominator [2, 2, 4]: ratio 6/8, Var by the delta method written out.
    const ratio = {
      kind: 'ratio',
      n: 3,
      numerator: { sum: 6, sumSquares: 14 },
      denominator: { sum: 8, sumSquares: 24 },
      numeratorDenominatorSumProduct: 18,
    } as const;
    const [mx, my, vx, vy, cov] = [2, 8 / 3, 1, 4 / 3, 1];
    expect(variantMean(ratio)).toBe(0.75);
    expect(variantVariance(ratio)).toBeCloseTo(vx / my ** 2 + (vy * mx ** 2) / my ** 4 - (2 * cov * mx) / my ** 3, 14);
  });

  it('is zero rather than NaN for empty or single-unit cells', () => {
    expect(variantMean({ kind: 'mean', n: 0, sum: 0, sumSquares: 0 })).toBe(0);
    expect(variantVariance({ kind: 'mean', n: 1, sum: 3, sumSquares: 9 })).toBe(0);
    expect(variantStandardError({ kind: 'proportion', n: 0, sum: 0 })).toBe(0);
  });
});

describe('non-finite input', () => {
  it('never turns NaN into a mean, variance, sequential p-value or widening', () => {
    const broken = { kind: 'mean', n: 10, sum: Number.NaN, sumSquares: 1 } as const;
    expect(variantMean(broken)).toBe(0);
    expect(variantVariance(broken)).toBe(0);
    expect(sequentialPValue(Number.NaN, 1, 10, 0.1)).toBe(1);
    expect(noiseWidening({ kind: 'proportion', n: 10, sum: Number.NaN }, { n: 1, sum: 1 })).toEqual({
      samplingSe: 0,
      noiseSe: 0,
      totalSe: 0,
      wideningFactor: 1,
    });
  });
});
