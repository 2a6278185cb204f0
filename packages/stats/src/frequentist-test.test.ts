import { describe, expect, it } from 'vitest';
import { frequentistTest } from './frequentist-test.js';

const control = { kind: 'mean', n: 500, sum: 5000, sumSquares: 500 * 100 + 499 * 4 } as const;
const treatment = { kind: 'mean', n: 500, sum: 5100, sumSquares: 500 * 10.2 ** 2 + 499 * 4 } as const;

describe('frequentistTest', () => {
  it('gives one-sided intervals an infinite side', () => {
    const greater = frequentistTest(control, treatment, {
      difference: 'absolute',
      alternative: 'greater',
      alpha: 0.05,
    });
    const less = frequentistTest(control, treatment, { difference: 'absolute', alternative: 'less', alpha: 0.05 });
    expect(greater.ciUpper).toBe(Infinity);
    expect(less.ciLower).toBe(-Infinity);
    expect(greater.pValue + less.pValue).toBeCloseTo(1, 12);
  });

  it('rejects invalid options with INVALID_INPUT instead of throwing', () => {
    expect(
      frequentistTest(control, treatment, { difference: 'absolute', alternative: 'two-sided', alpha: 1.2 }).error,
    ).toBe('INVALID_INPUT');
    const sequentialOneSided = {
      difference: 'absolute',
      alternative: 'less',
      alpha: 0.6,
      sequential: { tuningN: 1000 },
    } as const;
    expect(frequentistTest(control, treatment, sequentialOneSided).error).toBe('INVALID_INPUT');
    const badTuning = {
      difference: 'absolute',
      alternative: 'two-sided',
      alpha: 0.05,
      sequential: { tuningN: 0 },
    } as const;
    expect(frequentistTest(control, treatment, badTuning).error).toBe('INVALID_INPUT');
  });

  it('reports relative lift undefined for a zero control mean', () => {
    const zero = { kind: 'proportion', n: 200, sum: 0 } as const;
    const r = frequentistTest(
      zero,
      { kind: 'proportion', n: 200, sum: 5 },
      { difference: 'relative', alternative: 'two-sided', alpha: 0.05 },
    );
    expect(r).toMatchObject({ estimate: 0, pValue: 1 });
    expect(r.error).toBeDefined();
  });
});
