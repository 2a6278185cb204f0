import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulberry32 } from '../prng.js';
import { createBudget, epsilonPerRelease, remainingEpsilon, spendEpsilon } from './budget.js';
import { gaussianSigma, laplaceScale, sampleLaplace } from './mechanisms.js';
import { noiseWidening } from './noise-widening.js';
import { noiseStatistic } from './noisy-statistic.js';
import { suppressSmallCell } from './suppression.js';

describe('mechanisms', () => {
  it('computes Laplace and Gaussian scales', () => {
    expect(laplaceScale(10, 0.5)).toBe(20);
    expect(laplaceScale(1, 0)).toBe(Infinity);
    expect(gaussianSigma(1, 0.5, 1e-5)).toBeCloseTo((Math.sqrt(2 * Math.log(1.25e5)) * 1) / 0.5, 12);
  });

  it('draws Laplace noise with variance 2b²', () => {
    const random = mulberry32(5);
    const xs = Array.from({ length: 40_000 }, () => sampleLaplace(3, random));
    const variance = xs.reduce((s, x) => s + x * x, 0) / xs.length;
    expect(variance / 18).toBeGreaterThan(0.95);
    expect(variance / 18).toBeLessThan(1.05);
  });
});

describe('noiseStatistic', () => {
  it('uses sensitivities 1, C, C² with ε split three ways, and keeps the cell consistent', () => {
    const stat = { kind: 'mean', n: 1000, sum: 20_000, sumSquares: 600_000 } as const;
    const release = noiseStatistic(stat, { epsilon: 3, cap: 50, random: mulberry32(1) });
    if ('error' in release) throw new Error(release.error);
    expect(release.scales).toEqual({ n: 1, sum: 50, sumSquares: 2500 });
    const { n, sum, sumSquares } = release.statistic;
    expect(Number.isInteger(n)).toBe(true);
    expect(sumSquares).toBeGreaterThanOrEqual(sum ** 2 / n);
    expect(Math.abs(sum)).toBeLessThanOrEqual(50 * n);
  });

  it('keeps conversions within [0, n] and refuses ε ≤ 0', () => {
    const release = noiseStatistic(
      { kind: 'proportion', n: 60, sum: 1 },
      { epsilon: 0.1, cap: 1, random: mulberry32(2) },
    );
    if ('error' in release) throw new Error(release.error);
    expect(release.statistic.sum).toBeGreaterThanOrEqual(0);
    expect(release.statistic.sum).toBeLessThanOrEqual(release.statistic.n);
    expect(
      noiseStatistic({ kind: 'proportion', n: 60, sum: 1 }, { epsilon: 0, cap: 1, random: mulberry32(2) }),
    ).toEqual({
      error: 'INVALID_INPUT',
    });
  });
});

describe('budget accountant', () => {
  it('spends, reports what remains and refuses once exhausted', () => {
    const perRelease = epsilonPerRelease(1, 3);
    let budget = createBudget(1);
    for (let i = 0; i < 3; i++) {
      const spend = spendEpsilon(budget, perRelease);
      expect(spend.ok).toBe(true);
      budget = spend.budget;
    }
    expect(remainingEpsilon(budget)).toBeCloseTo(0, 12);
    expect(spendEpsilon(budget, perRelease)).toEqual({ ok: false, budget, reason: 'BUDGET_EXHAUSTED' });
    expect(spendEpsilon(budget, -1)).toEqual({ ok: false, budget, reason: 'INVALID_EPSILON' });
    expect(budget.releases).toBe(3);
  });
});

describe('suppression and widening', () => {
  it('hides cells below k = 50', () => {
    expect(suppressSmallCell({ kind: 'proportion', n: 49, sum: 3 })).toEqual({ suppressed: true, reason: 'BELOW_K' });
    expect(suppressSmallCell({ kind: 'proportion', n: 50, sum: 3 }).suppressed).toBe(false);
  });

  it('reports how much noise widens the interval', () => {
    const stat = { kind: 'proportion', n: 10_000, sum: 1_000 } as const;
    const none = noiseWidening(stat, { n: 0, sum: 0 });
    const noisy = noiseWidening(stat, { n: 2, sum: 2 });
    expect(none.wideningFactor).toBe(1);
    expect(noisy.wideningFactor).toBeGreaterThan(1);
    expect(noisy.totalSe ** 2).toBeCloseTo(noisy.samplingSe ** 2 + noisy.noiseSe ** 2, 15);
  });
});

describe('noiseStatistic feasibility', () => {
  it('releases only what a [0, C] cell can be: Σy ≥ 0, Σy²/n ≤ Σy² ≤ C·Σy', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (n, share, seed) => {
          const cap = 20;
          const sum = share * cap * n;
          const stat = { kind: 'mean', n, sum, sumSquares: Math.min(cap * sum, sum * cap) } as const;
          const released = noiseStatistic(stat, { epsilon: 0.05, cap, random: mulberry32(seed), nonNegative: true });
          if ('error' in released) throw new Error(released.error);
          const r = released.statistic;
          expect(r.sum).toBeGreaterThanOrEqual(0);
          expect(r.sum).toBeLessThanOrEqual(cap * r.n);
          expect(r.sumSquares).toBeLessThanOrEqual(cap * r.sum * (1 + 1e-12) + 1e-9);
          if (r.n > 0) expect(r.sumSquares).toBeGreaterThanOrEqual((r.sum ** 2 / r.n) * (1 - 1e-12));
        },
      ),
    );
  });

  it('refuses settings whose noise or bounds would overflow instead of releasing Infinity', () => {
    const stat = { kind: 'mean', n: 100, sum: 100, sumSquares: 200 } as const;
    expect(noiseStatistic(stat, { epsilon: 1, cap: 1e155, random: mulberry32(1) })).toEqual({ error: 'INVALID_INPUT' });
    expect(noiseStatistic(stat, { epsilon: 1e-306, cap: 10, random: mulberry32(1) })).toEqual({
      error: 'INVALID_INPUT',
    });
  });
});
