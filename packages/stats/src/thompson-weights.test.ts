import { describe, expect, it } from 'vitest';
import { mulberry32 } from './prng.js';
import { thompsonWeights } from './thompson-weights.js';

const arm = (n: number, sum: number) => ({ kind: 'proportion', n, sum }) as const;

describe('thompsonWeights', () => {
  it('returns equal weights and a reason before burn-in or without arms', () => {
    expect(thompsonWeights([arm(50, 5), arm(500, 50)], { random: mulberry32(1) })).toEqual({
      weights: [0.5, 0.5],
      reason: 'BURN_IN',
    });
    expect(thompsonWeights([], { random: mulberry32(1) })).toEqual({ weights: [], reason: 'NO_ARMS' });
    expect(thompsonWeights([arm(500, 50)], { random: mulberry32(1) })).toEqual({ weights: [1], reason: 'SINGLE_ARM' });
  });

  it('keeps learning when an arm has 0% or 100% conversions (uniform Beta prior, no freeze)', () => {
    const zero = thompsonWeights([arm(150, 0), arm(150, 6)], { random: mulberry32(1), minimumShare: 0.05 });
    expect(zero.reason).toBe('UPDATED');
    expect(zero.weights[1]).toBeGreaterThan(0.9);
    const all = thompsonWeights([arm(150, 150), arm(150, 140)], { random: mulberry32(1), minimumShare: 0.05 });
    expect(all.reason).toBe('UPDATED');
    expect(all.weights[0]).toBeGreaterThan(0.9);
  });

  it('refuses a minimum share that leaves nothing to learn with', () => {
    const refused = thompsonWeights([arm(500, 50), arm(500, 80), arm(500, 60)], {
      random: mulberry32(1),
      minimumShare: 0.34,
    });
    expect(refused).toEqual({ weights: [1 / 3, 1 / 3, 1 / 3], reason: 'SHARE_TOO_LARGE' });
  });

  it('keeps Monte Carlo noise in the weights well below the 0.005 republish tolerance', () => {
    const arms = [arm(1000, 100), arm(1000, 104)];
    const draws = Array.from(
      { length: 20 },
      (_, seed) => thompsonWeights(arms, { random: mulberry32(seed) }).weights[1]!,
    );
    const mean = draws.reduce((sum, w) => sum + w, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((sum, w) => sum + (w - mean) ** 2, 0) / (draws.length - 1));
    expect(sd).toBeLessThan(0.005 / 2);
  });

  it('favours the clearly better arm and is deterministic for a seed', () => {
    const arms = [arm(5000, 500), arm(5000, 650), arm(5000, 480)];
    const first = thompsonWeights(arms, { random: mulberry32(7), minimumShare: 0.05 });
    expect(first.reason).toBe('UPDATED');
    expect(first.weights[1]).toBeCloseTo(0.9, 6);
    expect(first.weights[0]).toBeCloseTo(0.05, 6);
    expect(thompsonWeights(arms, { random: mulberry32(7), minimumShare: 0.05 })).toEqual(first);
  });

  it('prefers the smallest arm for inverse metrics', () => {
    const { weights } = thompsonWeights([arm(5000, 500), arm(5000, 650)], {
      random: mulberry32(3),
      inverse: true,
      minimumShare: 0,
    });
    expect(weights[0]).toBeGreaterThan(0.99);
  });
});
