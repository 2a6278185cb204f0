import { normalCdf, normalQuantile } from './distributions/normal.js';
import { effectMoments } from './effect-moments.js';
import type { Alternative, DifferenceType, Statistic, StatsErrorCode } from './types.js';
import { variantMean, variantVariance } from './variant-moments.js';

/** Significance level, target power and sidedness shared by the planning helpers. */
export interface PowerOptions {
  readonly alpha: number;
  readonly power: number;
  readonly alternative?: Alternative;
}

function criticalZ(alpha: number, alternative: Alternative | undefined): number {
  return normalQuantile(1 - (alternative === undefined || alternative === 'two-sided' ? alpha / 2 : alpha));
}

function validPower(options: PowerOptions): boolean {
  return options.alpha > 0 && options.alpha < 1 && options.power > 0 && options.power < 1;
}

/** Power of a z-test to detect a true effect `effect` when its estimate has standard error `se`. */
export function powerForEffect(effect: number, se: number, options: Omit<PowerOptions, 'power'>): number {
  if (!(se > 0) || !Number.isFinite(effect) || !(options.alpha > 0 && options.alpha < 1)) return 0;
  const z = criticalZ(options.alpha, options.alternative);
  const shift = effect / se;
  if (options.alternative === 'greater') return normalCdf(shift - z);
  if (options.alternative === 'less') return normalCdf(-shift - z);
  return normalCdf(shift - z) + normalCdf(-shift - z);
}

/**
 * Smallest true effect the current sample detects with the target power: (z₁₋α/₂ + z_power)·se, with se
 * the current standard error of the (absolute or relative) effect.
 */
export function minimumDetectableEffect(
  control: Statistic | undefined,
  treatment: Statistic | undefined,
  options: PowerOptions & { readonly difference: DifferenceType },
): { readonly mde: number; readonly error?: StatsErrorCode } {
  if (!validPower(options)) return { mde: 0, error: 'INVALID_INPUT' };
  const moments = effectMoments(control, treatment, options.difference);
  if (!moments.ok) return { mde: 0, error: moments.error };
  const multiplier = criticalZ(options.alpha, options.alternative) + normalQuantile(options.power);
  return { mde: multiplier * Math.sqrt(moments.variance) };
}

/**
 * Units per variant for a two-arm test to detect `effect` with the target power:
 * n = (z₁₋α/₂ + z_power)² · 2σ² / δ², with σ² the baseline's per-unit variance (equal variances assumed).
 */
export function requiredSampleSize(
  baseline: Statistic,
  effect: number,
  options: PowerOptions & { readonly difference: DifferenceType },
): { readonly perVariant: number; readonly error?: StatsErrorCode } {
  if (!validPower(options) || !Number.isFinite(effect) || effect === 0)
    return { perVariant: 0, error: 'INVALID_INPUT' };
  if (baseline.n < 2) return { perVariant: 0, error: 'NOT_ENOUGH_DATA' };
  const variance = variantVariance(baseline);
  if (!(variance > 0)) return { perVariant: 0, error: 'ZERO_NEGATIVE_VARIANCE' };
  const mean = variantMean(baseline);
  if (options.difference === 'relative' && mean === 0) return { perVariant: 0, error: 'BASELINE_ZERO' };
  if (options.difference === 'relative' && mean < 0) return { perVariant: 0, error: 'BASELINE_NEGATIVE' };
  const delta = options.difference === 'relative' ? effect * mean : effect;
  const multiplier = criticalZ(options.alpha, options.alternative) + normalQuantile(options.power);
  const perVariant = Math.ceil((multiplier ** 2 * 2 * variance) / delta ** 2);
  // A tiny effect overflows to Infinity: say the input cannot be planned rather than return it.
  if (!Number.isFinite(perVariant)) return { perVariant: 0, error: 'INVALID_INPUT' };
  return { perVariant };
}

/** Why a days-to-target estimate has the value it has. */
export type DaysToTargetReason = 'ON_TRACK' | 'TARGET_REACHED' | 'NO_TRAFFIC' | 'INVALID_INPUT';

/**
 * Days until the smallest arm reaches `requiredPerVariant`, extrapolating the traffic seen so far
 * (`currentPerVariant` units over `daysElapsed` days). `days` is 0 unless the reason is ON_TRACK.
 */
export function expectedDaysToTarget(
  requiredPerVariant: number,
  currentPerVariant: number,
  daysElapsed: number,
): { readonly days: number; readonly reason: DaysToTargetReason } {
  if (![requiredPerVariant, currentPerVariant, daysElapsed].every((x) => Number.isFinite(x) && x >= 0)) {
    return { days: 0, reason: 'INVALID_INPUT' };
  }
  if (currentPerVariant >= requiredPerVariant) return { days: 0, reason: 'TARGET_REACHED' };
  if (currentPerVariant === 0 || daysElapsed === 0) return { days: 0, reason: 'NO_TRAFFIC' };
  const perDay = currentPerVariant / daysElapsed;
  return { days: Math.ceil((requiredPerVariant - currentPerVariant) / perDay), reason: 'ON_TRACK' };
}
