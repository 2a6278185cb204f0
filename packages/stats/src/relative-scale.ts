import type { EffectMoments } from './effect-moments.js';
import type { StatsErrorCode } from './types.js';

/**
 * How relative lift is inferred: `log-ratio` tests and bounds log(treatment / control) and maps the
 * interval back (calibrated at small counts and on skewed metrics, never below −100%); `delta` is the
 * delta method on (t − c)/c, equal to gbstats, kept for comparing with GrowthBook.
 */
export type RelativeMethod = 'log-ratio' | 'delta';

/** The effect on the scale a relative test runs on: log(1 + lift) with its delta-method variance. */
export type LogRatioMoments =
  | { readonly ok: true; readonly estimate: number; readonly variance: number; readonly df: number }
  | { readonly ok: false; readonly error: StatsErrorCode };

/**
 * Moves relative-lift moments onto the log-ratio scale: log(1 + r) with variance Var(r)/(1 + r)², which
 * for uncorrected means is exactly Var(ȳt)/(n·ȳt²) + Var(ȳc)/(n·ȳc²). Undefined when the treatment mean
 * is zero or negative (the ratio has no logarithm), reported as TREATMENT_NONPOSITIVE.
 */
export function logRatioMoments(relative: Extract<EffectMoments, { ok: true }>): LogRatioMoments {
  const ratio = 1 + relative.estimate;
  if (!(ratio > 0)) return { ok: false, error: 'TREATMENT_NONPOSITIVE' };
  const estimate = Math.log(ratio);
  const variance = relative.variance / ratio ** 2;
  if (!Number.isFinite(estimate) || !(variance > 0) || !Number.isFinite(variance))
    return { ok: false, error: 'ZERO_NEGATIVE_VARIANCE' };
  return { ok: true, estimate, variance, df: relative.df };
}

/** Maps a log-ratio bound back to relative lift: e^x − 1 (−∞ → −1, +∞ → +∞). */
export function liftOfLogRatio(x: number): number {
  return Math.expm1(x);
}
