import { studentTCdf, studentTQuantile, studentTSf } from './distributions/student-t.js';
import { effectMoments } from './effect-moments.js';
import {
  sequentialHalfwidth,
  sequentialHalfwidthOneSided,
  sequentialPValue,
  sequentialPValueOneSided,
  sequentialRho,
} from './sequential.js';
import { liftOfLogRatio, logRatioMoments, type RelativeMethod } from './relative-scale.js';
import type { Alternative, DifferenceType, Statistic, StatsErrorCode } from './types.js';

/** Options of a frequentist comparison. */
export interface FrequentistOptions {
  readonly difference: DifferenceType;
  readonly alternative: Alternative;
  readonly alpha: number;
  /** Always-valid inference for continuous monitoring; `tuningN` is the total sample size where the interval is tightest. */
  readonly sequential?: { readonly tuningN: number };
  /** Relative lift only: `delta` (default, gbstats-equal) or `log-ratio` (calibrated at small counts). */
  readonly relativeMethod?: RelativeMethod;
}

/** Outcome of a frequentist comparison; one-sided intervals have an infinite side. */
export interface FrequentistResult {
  readonly estimate: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  /** Standard error on the scale the test ran on (log(1 + lift) for log-ratio relative lift). */
  readonly se: number;
  readonly pValue: number;
  readonly error?: StatsErrorCode;
}

function failure(error: StatsErrorCode): FrequentistResult {
  return { estimate: 0, ciLower: 0, ciUpper: 0, se: 0, pValue: 1, error };
}

function validOptions(options: FrequentistOptions): boolean {
  const { alpha, sequential, alternative } = options;
  if (!(alpha > 0 && alpha < 1)) return false;
  if (sequential === undefined) return true;
  // The one-sided mixture bound only exists for α < ½ (gbstats reports the same restriction).
  return sequential.tuningN > 0 && Number.isFinite(sequential.tuningN) && (alternative === 'two-sided' || alpha < 0.5);
}

function fixedHorizon(estimate: number, se: number, df: number, options: FrequentistOptions): FrequentistResult {
  const t = estimate / se;
  if (options.alternative === 'two-sided') {
    const halfwidth = studentTQuantile(1 - options.alpha / 2, df) * se;
    const pValue = Math.min(1, 2 * studentTSf(Math.abs(t), df));
    return { estimate, ciLower: estimate - halfwidth, ciUpper: estimate + halfwidth, se, pValue };
  }
  const halfwidth = studentTQuantile(1 - options.alpha, df) * se;
  if (options.alternative === 'greater') {
    return { estimate, ciLower: estimate - halfwidth, ciUpper: Infinity, se, pValue: studentTSf(t, df) };
  }
  return { estimate, ciLower: -Infinity, ciUpper: estimate + halfwidth, se, pValue: studentTCdf(t, df) };
}

function sequential(estimate: number, se: number, n: number, tuningN: number, options: FrequentistOptions) {
  const { alpha, alternative } = options;
  const s2 = se ** 2 * n;
  if (alternative === 'two-sided') {
    const rho = sequentialRho(alpha, tuningN, true);
    const halfwidth = sequentialHalfwidth(s2, n, alpha, rho);
    const pValue = sequentialPValue(estimate, se, n, rho);
    return { estimate, ciLower: estimate - halfwidth, ciUpper: estimate + halfwidth, se, pValue };
  }
  const rho = sequentialRho(alpha, tuningN, false);
  const halfwidth = sequentialHalfwidthOneSided(s2, n, alpha, rho);
  const signed = alternative === 'greater' ? estimate : -estimate;
  const pValue = sequentialPValueOneSided(signed, se, n, rho);
  return alternative === 'greater'
    ? { estimate, ciLower: estimate - halfwidth, ciUpper: Infinity, se, pValue }
    : { estimate, ciLower: -Infinity, ciUpper: estimate + halfwidth, se, pValue };
}

/**
 * Welch t-test of treatment vs control from aggregates (gbstats' TwoSidedTTest and one-sided variants),
 * optionally as an always-valid sequential test. Never throws: problems come back as `error`.
 * @example frequentistTest(control, treatment, { difference: 'relative', alternative: 'two-sided', alpha: 0.05 })
 */
export function frequentistTest(
  control: Statistic | undefined,
  treatment: Statistic | undefined,
  options: FrequentistOptions,
): FrequentistResult {
  if (!validOptions(options)) return failure('INVALID_INPUT');
  const moments = effectMoments(control, treatment, options.difference);
  if (!moments.ok) return failure(moments.error);
  const n = (control?.n ?? 0) + (treatment?.n ?? 0);
  const run = (estimate: number, se: number, df: number): FrequentistResult =>
    options.sequential === undefined
      ? fixedHorizon(estimate, se, df, options)
      : sequential(estimate, se, n, options.sequential.tuningN, options);
  if (options.difference === 'relative' && options.relativeMethod === 'log-ratio') {
    const log = logRatioMoments(moments);
    if (!log.ok) return failure(log.error);
    // Test and bound on the log scale, where the estimate is close to normal even at small counts, then
    // map the bounds back: the interval is asymmetric and never below −100%.
    const onLog = run(log.estimate, Math.sqrt(log.variance), log.df);
    return {
      ...onLog,
      estimate: moments.estimate,
      ciLower: liftOfLogRatio(onLog.ciLower),
      ciUpper: liftOfLogRatio(onLog.ciUpper),
    };
  }
  return run(moments.estimate, Math.sqrt(moments.variance), moments.df);
}
