import { describe, expect, it } from 'vitest';
import { bayesianTest } from './bayesian-test.js';
import { regularizedBeta } from './distributions/beta.js';
import { logGamma } from './distributions/gamma.js';
import { frequentistTest } from './frequentist-test.js';

const p = (n: number, sum: number) => ({ kind: 'proportion', n, sum }) as const;

// Fisher's exact two-sided p-value on a 2×2 table (sum of table probabilities ≤ the observed one).
function fisherTwoSided(a: number, n1: number, b: number, n2: number): number {
  const total = a + b;
  const logChoose = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  const prob = (x: number) => Math.exp(logChoose(n1, x) + logChoose(n2, total - x) - logChoose(n1 + n2, total));
  const observed = prob(a);
  let sum = 0;
  for (let x = Math.max(0, total - n2); x <= Math.min(total, n1); x++)
    if (prob(x) <= observed * (1 + 1e-9)) sum += prob(x);
  return sum;
}

describe('log-ratio relative lift', () => {
  it('agrees with Fisher on 7/100 vs 1/100 where the delta method claims p ≈ 1e-7 and a CI below −100%', () => {
    const options = { difference: 'relative', alternative: 'two-sided', alpha: 0.05 } as const;
    const delta = frequentistTest(p(100, 7), p(100, 1), options);
    expect(delta.pValue).toBeLessThan(1e-6);
    expect(delta.ciLower).toBeLessThan(-1);
    const log = frequentistTest(p(100, 7), p(100, 1), { ...options, relativeMethod: 'log-ratio' });
    const fisher = fisherTwoSided(1, 100, 7, 100);
    expect(fisher).toBeCloseTo(0.065, 2);
    expect(Math.abs(log.pValue - fisher)).toBeLessThan(0.02);
    expect(log.ciLower).toBeGreaterThan(-1);
    expect(log.estimate).toBeCloseTo(1 / 7 - 1, 12);
    expect(log.ciLower).toBeLessThan(log.estimate);
    expect(log.ciUpper).toBeGreaterThan(0);
  });

  it('puts Bayesian chance to win within 0.01 of the exact Beta-Binomial answer on 1/20 vs 4/20', () => {
    // Exact P(pt > pc) with uniform priors: Beta(5, 17) vs Beta(2, 19), by numerical integration.
    const steps = 20_000;
    let exact = 0;
    const logB = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);
    for (let i = 0; i < steps; i++) {
      const x = (i + 0.5) / steps;
      const density = Math.exp(4 * Math.log(x) + 16 * Math.log(1 - x) - logB(5, 17));
      exact += (density * regularizedBeta(x, 2, 19)) / steps;
    }
    expect(exact).toBeCloseTo(0.897, 2);
    const log = bayesianTest(p(20, 1), p(20, 4), { difference: 'relative', alpha: 0.05, relativeMethod: 'log-ratio' });
    const delta = bayesianTest(p(20, 1), p(20, 4), { difference: 'relative', alpha: 0.05 });
    expect(Math.abs(delta.chanceToWin - exact)).toBeGreaterThan(0.1);
    expect(Math.abs(log.chanceToWin - exact)).toBeLessThan(0.01);
  });

  it('says why when the treatment mean is zero', () => {
    const r = frequentistTest(
      { kind: 'mean', n: 200, sum: 100, sumSquares: 300 },
      { kind: 'mean', n: 200, sum: 0, sumSquares: 300 },
      { difference: 'relative', alternative: 'two-sided', alpha: 0.05, relativeMethod: 'log-ratio' },
    );
    expect(r.error).toBe('TREATMENT_NONPOSITIVE');
    expect(r.pValue).toBe(1);
  });

  it('keeps sequential intervals finite and above −100%', () => {
    const r = frequentistTest(p(300, 30), p(300, 12), {
      difference: 'relative',
      alternative: 'two-sided',
      alpha: 0.05,
      sequential: { tuningN: 5000 },
      relativeMethod: 'log-ratio',
    });
    expect(r.ciLower).toBeGreaterThan(-1);
    expect(Number.isFinite(r.ciUpper)).toBe(true);
    expect(r.pValue).toBeGreaterThan(0);
  });
});
