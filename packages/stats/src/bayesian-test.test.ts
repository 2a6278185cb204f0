import { describe, expect, it } from 'vitest';
import { bayesianTest, normalRisks } from './bayesian-test.js';

const control = { kind: 'proportion', n: 1000, sum: 100 } as const;
const treatment = { kind: 'proportion', n: 1000, sum: 120 } as const;

describe('bayesianTest', () => {
  it('shrinks towards an informative prior', () => {
    const flat = bayesianTest(control, treatment, { difference: 'relative', alpha: 0.05 });
    const shrunk = bayesianTest(control, treatment, {
      difference: 'relative',
      alpha: 0.05,
      prior: { mean: 0, variance: 0.01 },
    });
    expect(shrunk.estimate).toBeLessThan(flat.estimate);
    expect(shrunk.se).toBeLessThan(flat.se);
  });

  it('flips chance to win and risks for inverse metrics', () => {
    const normal = bayesianTest(control, treatment, { difference: 'absolute', alpha: 0.05 });
    const inverse = bayesianTest(control, treatment, { difference: 'absolute', alpha: 0.05, inverse: true });
    expect(inverse.chanceToWin).toBeCloseTo(1 - normal.chanceToWin, 14);
    expect(inverse.riskControl).toBe(normal.riskTreatment);
  });

  it('returns chance to win ½ and an error code when it cannot compare', () => {
    const r = bayesianTest(undefined, treatment, { difference: 'relative', alpha: 0.05 });
    expect(r).toMatchObject({ chanceToWin: 0.5, estimate: 0, error: 'MISSING_CONTROL' });
    expect(
      bayesianTest(control, treatment, { difference: 'relative', alpha: 0.05, prior: { mean: 0, variance: 0 } }).error,
    ).toBe('INVALID_INPUT');
  });

  it('computes risks without 0/0 in far tails', () => {
    const { positive, negative } = normalRisks(-60, 1);
    expect(positive).toBeGreaterThanOrEqual(0);
    expect(negative).toBeCloseTo(60, 10);
  });
});
