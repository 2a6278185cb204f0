import { describe, expect, it } from 'vitest';
import { expectedDaysToTarget, minimumDetectableEffect, powerForEffect, requiredSampleSize } from './planning.js';

const control = { kind: 'proportion', n: 5000, sum: 500 } as const;
const treatment = { kind: 'proportion', n: 5000, sum: 520 } as const;

describe('planning', () => {
  it('has 80% power exactly at the minimum detectable effect', () => {
    const { mde } = minimumDetectableEffect(control, treatment, { alpha: 0.05, power: 0.8, difference: 'absolute' });
    const se = Math.sqrt(0.09 / 5000 + (0.104 * 0.896) / 5000);
    expect(powerForEffect(mde, se, { alpha: 0.05 })).toBeCloseTo(0.8, 3);
  });

  it('needs fewer units for a larger effect', () => {
    const small = requiredSampleSize(control, 0.05, { alpha: 0.05, power: 0.8, difference: 'relative' }).perVariant;
    const large = requiredSampleSize(control, 0.1, { alpha: 0.05, power: 0.8, difference: 'relative' }).perVariant;
    expect(large).toBeLessThan(small);
    expect(
      requiredSampleSize({ kind: 'proportion', n: 100, sum: 0 }, 0.1, {
        alpha: 0.05,
        power: 0.8,
        difference: 'relative',
      }).error,
    ).toBe('ZERO_NEGATIVE_VARIANCE');
  });

  it('extrapolates days from current traffic', () => {
    expect(expectedDaysToTarget(10_000, 2_000, 4)).toEqual({ days: 16, reason: 'ON_TRACK' });
    expect(expectedDaysToTarget(1_000, 2_000, 4)).toEqual({ days: 0, reason: 'TARGET_REACHED' });
    expect(expectedDaysToTarget(1_000, 0, 4)).toEqual({ days: 0, reason: 'NO_TRAFFIC' });
    expect(expectedDaysToTarget(NaN, 0, 4).reason).toBe('INVALID_INPUT');
  });
});
