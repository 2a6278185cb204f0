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
    expect(thompsonWeights([arm(500, 0), arm(500, 50)], { random: mulberry32(1) }).reason).toBe('ZERO_VARIANCE');
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
