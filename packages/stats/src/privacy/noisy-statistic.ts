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
}

/** A noisy cell, the Laplace scales used (for `noiseWidening`) and the ε it spent. */
export interface NoisyRelease<S> {
  readonly statistic: S;
  readonly scales: { readonly n: number; readonly sum: number; readonly sumSquares: number };
  readonly epsilonSpent: number;
}

const clamp = (x: number, low: number, high: number): number => Math.min(high, Math.max(low, x));

/**
 * Central-DP release of a cell (PRIVACY.md §8): Laplace noise on n, Σy and Σy² with sensitivities 1, C
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
  const n = Math.max(0, Math.round(stat.n + sampleLaplace(scales.n, random)));
  if (stat.kind === 'proportion') {
    const sum = clamp(Math.round(stat.sum + sampleLaplace(scales.sum, random)), 0, n);
    return { statistic: { kind: 'proportion', n, sum } as S, scales, epsilonSpent: epsilon };
  }
  const sum = clamp(stat.sum + sampleLaplace(scales.sum, random), -cap * n, cap * n);
  const floor = n > 0 ? sum ** 2 / n : 0;
  const sumSquares = clamp(stat.sumSquares + sampleLaplace(scales.sumSquares, random), floor, cap ** 2 * n);
  return { statistic: { kind: 'mean', n, sum, sumSquares } as S, scales, epsilonSpent: epsilon };
}
