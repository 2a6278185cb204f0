import type { RandomSource } from '../prng.js';
import type { MeanStatistic, ProportionStatistic } from '../types.js';
import { laplaceScale, sampleLaplace } from './mechanisms.js';

/** Options of a Laplace release of one cell. */
export interface NoiseOptions {
  /** Privacy loss of this release, split evenly over the released sums. */
  readonly epsilon: number;
  /** Cap C each unit's value was clipped to (|y| ≤ C); 1 for conversions. */
  readonly cap: number;
  readonly random: RandomSource;
  /**
   * Values were clipped to [0, C] (Candor's rule), so the release is post-processed into what such a
   * cell can be: 0 ≤ Σy ≤ C·n and Σy²/n ≤ Σy² ≤ C·Σy. Without it values are taken as |y| ≤ C.
   */
  readonly nonNegative?: boolean;
}

/** A noisy cell, the Laplace scales used (for `noiseWidening`) and the ε it spent. */
export interface NoisyRelease<S> {
  readonly statistic: S;
  readonly scales: { readonly n: number; readonly sum: number; readonly sumSquares: number };
  readonly epsilonSpent: number;
}

const MAX_SCALE = 1e12;

const clamp = (x: number, low: number, high: number): number => Math.min(high, Math.max(low, x));

/**
 * Central-DP release of a cell (docs/privacy.md §8): Laplace noise on n, Σy and Σy² with sensitivities 1, C
 * and C² under add/remove-one-unit, ε split evenly across them, then clamped to a consistent cell
 * (post-processing, so the guarantee is unchanged). Conversions release only n and Σy.
 */
export function noiseStatistic<S extends ProportionStatistic | MeanStatistic>(
  stat: S,
  options: NoiseOptions,
): NoisyRelease<S> | { readonly error: 'INVALID_INPUT' } {
  const { epsilon, cap, random } = options;
  if (!(epsilon > 0) || !(cap > 0) || !Number.isFinite(epsilon) || !Number.isFinite(cap))
    return { error: 'INVALID_INPUT' };
  const parts = stat.kind === 'proportion' ? 2 : 3;
  const share = epsilon / parts;
  const scales = {
    n: laplaceScale(1, share),
    sum: laplaceScale(cap, share),
    sumSquares: stat.kind === 'proportion' ? 0 : laplaceScale(cap ** 2, share),
  };
  // A scale or a bound that overflows would release Infinity (or square to it downstream); refuse rather
  // than publish it. Draws stay within 37 scales (53-bit uniforms), so 1e12 keeps every square finite.
  const bounds = [scales.n, scales.sum, scales.sumSquares, cap ** 2 * Math.max(1, stat.n)];
  if (!bounds.every(Number.isFinite) || scales.n > MAX_SCALE || scales.sum > MAX_SCALE * cap)
    return { error: 'INVALID_INPUT' };
  const n = Math.max(0, Math.round(stat.n + sampleLaplace(scales.n, random)));
  if (stat.kind === 'proportion') {
    const sum = clamp(Math.round(stat.sum + sampleLaplace(scales.sum, random)), 0, n);
    return { statistic: { kind: 'proportion', n, sum } as S, scales, epsilonSpent: epsilon };
  }
  const nonNegative = options.nonNegative === true;
  const sum = clamp(stat.sum + sampleLaplace(scales.sum, random), nonNegative ? 0 : -cap * n, cap * n);
  const floor = n > 0 ? sum ** 2 / n : 0;
  // For values in [0, C], y² ≤ C·y, so Σy² ≤ C·Σy; and Σy²/n ≥ (Σy/n)² always.
  const ceiling = nonNegative ? cap * sum : cap ** 2 * n;
  const sumSquares = clamp(stat.sumSquares + sampleLaplace(scales.sumSquares, random), floor, Math.max(floor, ceiling));
  return { statistic: { kind: 'mean', n, sum, sumSquares } as S, scales, epsilonSpent: epsilon };
}
