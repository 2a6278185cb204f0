import { standardNormal, type RandomSource } from './prng.js';
import type { Statistic } from './types.js';
import { variantMean, variantVariance } from './variant-moments.js';

/** Why the weights are what they are. */
export type ThompsonReason =
  | 'UPDATED'
  | 'BURN_IN'
  | 'NO_ARMS'
  | 'SINGLE_ARM'
  | 'ZERO_VARIANCE'
  /** minimumShare × arms ≥ 1 leaves no traffic to move: use a floor below 1 / arms. */
  | 'SHARE_TOO_LARGE'
  | 'INVALID_INPUT';

/** Options of Thompson sampling. */
export interface ThompsonOptions {
  /** Uniform source for the Monte Carlo draws, e.g. `mulberry32(seed)`. */
  readonly random: RandomSource;
  /**
   * Monte Carlo draws (default 100,000): a weight's Monte Carlo sd is at most 0.5/√draws = 0.0016, a third
   * of the 0.005 change a bandit republishes for, so the noise alone does not trigger a new snapshot.
   */
  readonly samples?: number;
  /** Every arm keeps at least this share of traffic (default 0.01). */
  readonly minimumShare?: number;
  /** Units every arm needs before weights move off equal (default 100, as gbstats). */
  readonly burnInUnits?: number;
  /** Normal prior on every arm's mean; omitted means flat. */
  readonly prior?: { readonly mean: number; readonly variance: number };
  /** Lower is better: weight arms by the chance of being the smallest. */
  readonly inverse?: boolean;
}

/** Traffic weights that sum to 1, with the reason they took this value. */
export interface ThompsonWeights {
  readonly weights: number[];
  readonly reason: ThompsonReason;
}

function equal(k: number, reason: ThompsonReason): ThompsonWeights {
  return { weights: new Array<number>(k).fill(k > 0 ? 1 / k : 0), reason };
}

interface Posterior {
  readonly mean: number;
  readonly sd: number;
}

/**
 * An arm's posterior. Conversions use Beta(1 + s, 1 + n − s) (uniform prior), so 0% and 100% arms still
 * have spread and the bandit keeps learning; means with no spread yet borrow the arms' pooled variance.
 */
function posterior(arm: Statistic, prior: ThompsonOptions['prior'], pooledVariance: number): Posterior | undefined {
  if (arm.kind === 'proportion' && prior === undefined) {
    const a = 1 + arm.sum;
    const b = 1 + arm.n - arm.sum;
    return { mean: a / (a + b), sd: Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1))) };
  }
  const own = variantVariance(arm);
  const variance = own > 0 ? own : pooledVariance;
  const dataPrecision = variance > 0 ? arm.n / variance : 0;
  const priorPrecision = prior === undefined ? 0 : 1 / prior.variance;
  const precision = dataPrecision + priorPrecision;
  if (!(precision > 0) || !Number.isFinite(precision)) return undefined;
  const mean = (dataPrecision * variantMean(arm) + priorPrecision * (prior?.mean ?? 0)) / precision;
  return { mean, sd: Math.sqrt(1 / precision) };
}

/**
 * Thompson-sampling weights: each arm's share is the posterior probability (seeded Monte Carlo under a
 * normal approximation, as gbstats' Bandits) that it is best, then mixed with a uniform exploration floor.
 * @example thompsonWeights(arms, { random: mulberry32(1), minimumShare: 0.05 })
 */
export function thompsonWeights(arms: readonly Statistic[], options: ThompsonOptions): ThompsonWeights {
  const k = arms.length;
  const samples = options.samples ?? 100_000;
  const minimumShare = options.minimumShare ?? 0.01;
  const burnIn = options.burnInUnits ?? 100;
  if (k === 0) return equal(0, 'NO_ARMS');
  if (k === 1) return equal(1, 'SINGLE_ARM');
  const badPrior = options.prior !== undefined && !(options.prior.variance > 0);
  if (!(samples >= 1) || !(minimumShare >= 0) || badPrior || arms.some((a) => !(a.n >= 0)))
    return equal(k, 'INVALID_INPUT');
  if (minimumShare * k >= 1) return equal(k, 'SHARE_TOO_LARGE');
  if (arms.some((arm) => arm.n < burnIn)) return equal(k, 'BURN_IN');
  const units = arms.reduce((sum, arm) => sum + arm.n, 0);
  const pooledVariance =
    units > 0 ? arms.reduce((sum, arm) => sum + arm.n * Math.max(0, variantVariance(arm)), 0) / units : 0;
  const posteriors = arms.map((arm) => posterior(arm, options.prior, pooledVariance));
  if (posteriors.some((p) => p === undefined)) return equal(k, 'ZERO_VARIANCE');
  const wins = new Array<number>(k).fill(0);
  const sign = options.inverse === true ? -1 : 1;
  for (let s = 0; s < samples; s++) {
    let best = 0;
    let bestValue = -Infinity;
    posteriors.forEach((p, i) => {
      const draw = sign * ((p?.mean ?? 0) + (p?.sd ?? 0) * standardNormal(options.random));
      if (draw > bestValue) [best, bestValue] = [i, draw];
    });
    wins[best] = (wins[best] ?? 0) + 1;
  }
  const floor = minimumShare;
  const weights = wins.map((w) => floor + (1 - k * floor) * (w / samples));
  return { weights, reason: 'UPDATED' };
}
