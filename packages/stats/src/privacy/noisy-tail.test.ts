import { describe, expect, it } from 'vitest';
import { normalSf } from '../distributions/normal.js';
import { mulberry32, standardNormal } from '../prng.js';
import { sampleLaplace } from './mechanisms.js';
import { noisyNormalTail } from './noisy-tail.js';

describe('noisyNormalTail', () => {
  it('bounds the normal tail from above without noise', () => {
    for (const t of [0.5, 1, 2, 3, 5]) expect(noisyNormalTail(t, 1, [])).toBeGreaterThanOrEqual(normalSf(t));
  });

  it('bounds the simulated tail of normal plus Laplace noise where a same-variance normal does not', () => {
    const random = mulberry32(7);
    const draws = 200_000;
    const sigma = 1;
    const scales = [3, 3];
    const variance = sigma ** 2 + scales.reduce((sum, c) => sum + 2 * c ** 2, 0);
    const t = 4 * Math.sqrt(variance);
    let above = 0;
    for (let i = 0; i < draws; i++) {
      const x = sigma * standardNormal(random) + sampleLaplace(3, random) - sampleLaplace(3, random);
      if (x >= t) above++;
    }
    const empirical = above / draws;
    // The normal approximation claims far fewer exceedances than happen: heavy Laplace tails.
    expect(normalSf(4)).toBeLessThan(empirical / 5);
    expect(noisyNormalTail(t, sigma, scales)).toBeGreaterThanOrEqual(empirical);
  });

  it('returns 1 for non-positive or invalid thresholds', () => {
    expect(noisyNormalTail(0, 1, [1])).toBe(1);
    expect(noisyNormalTail(Number.NaN, 1, [1])).toBe(1);
    expect(noisyNormalTail(1, 1, [Infinity])).toBe(1);
  });
});
