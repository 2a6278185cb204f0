import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustPValues } from '../src/adjust-p-values.js';
import { bayesianTest } from '../src/bayesian-test.js';
import { frequentistTest } from '../src/frequentist-test.js';
import { mulberry32, standardNormal } from '../src/prng.js';
import { thompsonWeights } from '../src/thompson-weights.js';
import type { MeanStatistic, Statistic } from '../src/types.js';

// A mean cell with exactly this per-unit mean and (n − 1) standard deviation.
const cell = (n: number, mean: number, sd: number): MeanStatistic => ({
  kind: 'mean',
  n,
  sum: n * mean,
  sumSquares: (n - 1) * sd ** 2 + n * mean ** 2,
});

const twoSided = { difference: 'absolute', alternative: 'two-sided', alpha: 0.05 } as const;

describe('properties', () => {
  it('intervals shrink as n grows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.integer({ min: 10, max: 100_000 }),
        fc.integer({ min: 2, max: 50 }),
        (mean, sd, n, factor) => {
          const width = (size: number) => {
            const r = frequentistTest(cell(size, mean, sd), cell(size, mean * 1.1, sd), twoSided);
            return r.ciUpper - r.ciLower;
          };
          expect(width(n * factor)).toBeLessThan(width(n));
        },
      ),
    );
  });

  it('p-values are uniform under the null (seeded A/A simulation, Kolmogorov–Smirnov at α = 0.01)', () => {
    const random = mulberry32(20240601);
    const simulations = 2000;
    const draw = (n: number): MeanStatistic => {
      let sum = 0;
      let sumSquares = 0;
      for (let i = 0; i < n; i++) {
        const y = 5 + 2 * standardNormal(random);
        sum += y;
        sumSquares += y * y;
      }
      return { kind: 'mean', n, sum, sumSquares };
    };
    const pValues = Array.from({ length: simulations }, () => frequentistTest(draw(100), draw(120), twoSided).pValue);
    pValues.sort((a, b) => a - b);
    const d = Math.max(...pValues.map((p, i) => Math.max((i + 1) / simulations - p, p - i / simulations)));
    expect(d).toBeLessThan(1.628 / Math.sqrt(simulations));
    const rejections = pValues.filter((p) => p < 0.05).length / simulations;
    expect(Math.abs(rejections - 0.05)).toBeLessThan(0.015);
  });

  it('the sequential interval contains the fixed-horizon one (n ≥ 30 per arm)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 200_000 }),
        fc.integer({ min: 30, max: 200_000 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 10, max: 1e6, noNaN: true }),
        fc.constantFrom('relative', 'absolute'),
        (nA, nB, sdA, sdB, tuningN, difference) => {
          const a = cell(nA, 10, sdA);
          const b = cell(nB, 10.5, sdB);
          const options = { difference, alternative: 'two-sided', alpha: 0.05 } as const;
          const fixed = frequentistTest(a, b, options);
          const seq = frequentistTest(a, b, { ...options, sequential: { tuningN } });
          expect(seq.ciLower).toBeLessThanOrEqual(fixed.ciLower);
          expect(seq.ciUpper).toBeGreaterThanOrEqual(fixed.ciUpper);
          // Duality: what the sequential test calls significant, the fixed-horizon test does too.
          if (fixed.pValue >= 0.05) expect(seq.pValue).toBeGreaterThanOrEqual(0.05);
        },
      ),
    );
  });

  it('Thompson weights sum to 1 and respect the exploration floor', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            n: fc.integer({ min: 100, max: 10_000 }),
            rate: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
          }),
          {
            minLength: 2,
            maxLength: 6,
          },
        ),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.integer(),
        (arms, minimumShare, seed) => {
          const stats: Statistic[] = arms.map(({ n, rate }) => ({ kind: 'proportion', n, sum: Math.round(n * rate) }));
          const { weights } = thompsonWeights(stats, { random: mulberry32(seed), samples: 500, minimumShare });
          expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
          const floor = Math.min(minimumShare, 1 / arms.length);
          for (const w of weights) expect(w).toBeGreaterThanOrEqual(floor - 1e-12);
        },
      ),
    );
  });

  it('adjusted p-values are at least the raw ones and at most 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }),
        fc.constantFrom('holm', 'bh'),
        (ps, method) => {
          const adjusted = adjustPValues(ps, method);
          expect(adjusted).toHaveLength(ps.length);
          adjusted.forEach((q, i) => {
            expect(q).toBeGreaterThanOrEqual(ps[i] ?? 0);
            expect(q).toBeLessThanOrEqual(1);
          });
        },
      ),
    );
  });

  it('never returns NaN or Infinity in estimates, whatever the aggregates', () => {
    const moments = fc.record({
      sum: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      sumSquares: fc.double({ min: 0, max: 1e9, noNaN: true }),
    });
    const statistic: fc.Arbitrary<Statistic> = fc.oneof(
      fc
        .integer({ min: 0, max: 1000 })
        .chain((n) => fc.integer({ min: 0, max: n }).map((sum) => ({ kind: 'proportion' as const, n, sum }))),
      fc.tuple(fc.integer({ min: 0, max: 1000 }), moments).map(([n, m]) => ({ kind: 'mean' as const, n, ...m })),
      fc
        .tuple(fc.integer({ min: 0, max: 1000 }), moments, moments, fc.double({ min: -1e6, max: 1e6, noNaN: true }))
        .map(([n, post, pre, postPreSumProduct]) => ({ kind: 'meanCuped' as const, n, post, pre, postPreSumProduct })),
    );
    fc.assert(
      fc.property(statistic, statistic, fc.constantFrom('relative', 'absolute'), (control, treatment, difference) => {
        const f = frequentistTest(control, treatment, { difference, alternative: 'two-sided', alpha: 0.05 });
        const b = bayesianTest(control, treatment, { difference, alpha: 0.05 });
        for (const x of [
          f.estimate,
          f.ciLower,
          f.ciUpper,
          f.se,
          f.pValue,
          b.estimate,
          b.ciLower,
          b.ciUpper,
          b.chanceToWin,
        ]) {
          expect(Number.isFinite(x)).toBe(true);
        }
        expect(f.pValue).toBeGreaterThanOrEqual(0);
        expect(f.pValue).toBeLessThanOrEqual(1);
      }),
    );
  });
});
