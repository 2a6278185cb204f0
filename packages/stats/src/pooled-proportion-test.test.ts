import { describe, expect, it } from 'vitest';
import { pooledProportionTest } from './pooled-proportion-test.js';

const p = (n: number, sum: number) => ({ kind: 'proportion', n, sum }) as const;

describe('pooledProportionTest', () => {
  // SciPy 1.17.1: scipy.stats.chi2_contingency([[xt, nt - xt], [xc, nc - xc]], correction=False) → (X², p).
  it.each([
    { control: p(200, 0), treatment: p(1800, 300), chi2: 39.21568627450981, p: 3.794791883144951e-10 },
    { control: p(1000, 40), treatment: p(1000, 60), chi2: 4.2105263157894735, p: 0.04017387028851206 },
    { control: p(500, 12), treatment: p(520, 9), chi2: 0.5661617661617654, p: 0.45178817216952105 },
  ])('matches SciPy chi2_contingency without continuity correction ($chi2)', ({ control, treatment, chi2, p: pv }) => {
    const result = pooledProportionTest(control, treatment, 'two-sided');
    expect(result.z ** 2).toBeCloseTo(chi2, 9);
    expect(result.pValue / pv).toBeCloseTo(1, 6);
    const oneSided = pooledProportionTest(control, treatment, result.z > 0 ? 'greater' : 'less');
    expect(oneSided.pValue / (pv / 2)).toBeCloseTo(1, 6);
  });

  it('stays defined with no events in the control and says why when nothing can be tested', () => {
    expect(pooledProportionTest(p(200, 0), p(1800, 300), 'greater').pValue).toBeLessThan(1e-9);
    expect(pooledProportionTest(p(200, 0), p(300, 0), 'greater')).toMatchObject({
      pValue: 1,
      error: 'ZERO_NEGATIVE_VARIANCE',
    });
    expect(pooledProportionTest(p(0, 0), p(300, 3), 'greater').error).toBe('NO_UNITS_IN_VARIANT');
    expect(pooledProportionTest(p(10, 11), p(300, 3), 'greater').error).toBe('INVALID_INPUT');
  });
});
