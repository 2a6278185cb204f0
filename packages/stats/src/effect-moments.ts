import { cupedAdjust } from './cuped.js';
import type { DifferenceType, Statistic, StatsErrorCode } from './types.js';
import { variantMean, variantVariance } from './variant-moments.js';

/** Point estimate of the effect, its variance and the Welch–Satterthwaite degrees of freedom. */
export type EffectMoments =
  | {
      readonly ok: true;
      readonly estimate: number;
      readonly variance: number;
      readonly df: number;
      readonly theta: number;
    }
  | { readonly ok: false; readonly error: StatsErrorCode };

interface Arm {
  readonly n: number;
  readonly mean: number;
  readonly unadjustedMean: number;
  readonly variance: number;
}

function isFiniteStatistic(stat: Statistic): boolean {
  const values: number[] = [stat.n];
  switch (stat.kind) {
    case 'proportion':
      values.push(stat.sum);
      if (stat.sum < 0 || stat.sum > stat.n) return false;
      break;
    case 'mean':
      values.push(stat.sum, stat.sumSquares);
      break;
    case 'ratio':
      values.push(stat.numerator.sum, stat.numerator.sumSquares, stat.denominator.sum, stat.denominator.sumSquares);
      values.push(stat.numeratorDenominatorSumProduct);
      break;
    case 'meanCuped':
      values.push(stat.post.sum, stat.post.sumSquares, stat.pre.sum, stat.pre.sumSquares, stat.postPreSumProduct);
      break;
    case 'proportionCuped':
      values.push(stat.post.sum, stat.pre.sum, stat.postPreSumProduct);
      break;
  }
  return stat.n >= 0 && values.every(Number.isFinite);
}

/** The first reason two statistics cannot be compared at all, if any. */
export function validatePair(
  control: Statistic | undefined,
  treatment: Statistic | undefined,
): StatsErrorCode | undefined {
  if (control === undefined) return 'MISSING_CONTROL';
  if (treatment === undefined) return 'MISSING_VARIANT';
  if (control.kind !== treatment.kind) return 'KIND_MISMATCH';
  if (!isFiniteStatistic(control) || !isFiniteStatistic(treatment)) return 'INVALID_INPUT';
  if (control.n === 0 || treatment.n === 0) return 'NO_UNITS_IN_VARIANT';
  if (control.n < 2 || treatment.n < 2) return 'NOT_ENOUGH_DATA';
  return undefined;
}

// Welch–Satterthwaite, written with variance shares so tiny variances cannot underflow to 0/0.
function welchDf(a: Arm, b: Arm): number {
  const u = a.variance / a.n;
  const w = b.variance / b.n;
  const shareA = u / (u + w);
  const shareB = w / (u + w);
  return 1 / (shareA ** 2 / (a.n - 1) + shareB ** 2 / (b.n - 1));
}

function plainArm(stat: Statistic): Arm {
  const mean = variantMean(stat);
  return { n: stat.n, mean, unadjustedMean: mean, variance: variantVariance(stat) };
}

/**
 * Moments of the treatment-vs-control effect, as gbstats' EffectMoments: absolute difference of
 * (CUPED-adjusted) means, or relative lift (t − c)/|c| with delta-method variance.
 */
export function effectMoments(
  control: Statistic | undefined,
  treatment: Statistic | undefined,
  difference: DifferenceType,
): EffectMoments {
  const invalid = validatePair(control, treatment);
  if (invalid !== undefined || control === undefined || treatment === undefined) {
    return { ok: false, error: invalid ?? 'INVALID_INPUT' };
  }
  let a = plainArm(control);
  let b = plainArm(treatment);
  let theta = 0;
  let relativeVariance = (): number =>
    b.variance / (b.n * a.unadjustedMean ** 2) + (a.variance * b.mean ** 2) / (a.n * a.unadjustedMean ** 4);
  if (
    (control.kind === 'meanCuped' || control.kind === 'proportionCuped') &&
    (treatment.kind === 'meanCuped' || treatment.kind === 'proportionCuped')
  ) {
    const cuped = cupedAdjust(control, treatment);
    const { control: ca, treatment: tb } = cuped;
    theta = cuped.theta;
    a = { n: ca.n, mean: ca.adjustedMean, unadjustedMean: ca.postMean, variance: ca.adjustedVariance };
    b = { n: tb.n, mean: tb.adjustedMean, unadjustedMean: tb.postMean, variance: tb.adjustedVariance };
    // gbstats' frequentist_variance_relative_cuped: delta method on (post_t − θ pre_t − post_c + θ pre_c) / post_c.
    relativeVariance = (): number => {
      const m = ca.postMean;
      const treatmentPart = tb.adjustedVariance / (tb.n * m ** 2);
      const controlPart =
        (ca.postVariance * tb.postMean ** 2) / m ** 2 -
        (2 * theta * ca.covariance * tb.postMean) / m +
        theta ** 2 * ca.preVariance;
      return treatmentPart + controlPart / (ca.n * m ** 2);
    };
  }
  if (!(a.variance > 0) || !(b.variance > 0)) return { ok: false, error: 'ZERO_NEGATIVE_VARIANCE' };
  const relative = difference === 'relative';
  if (relative && a.unadjustedMean === 0) return { ok: false, error: 'BASELINE_ZERO' };
  if (relative && a.unadjustedMean < 0) return { ok: false, error: 'BASELINE_NEGATIVE' };
  const estimate = relative ? (b.mean - a.mean) / Math.abs(a.unadjustedMean) : b.mean - a.mean;
  const variance = relative ? relativeVariance() : a.variance / a.n + b.variance / b.n;
  if (!(variance > 0) || !Number.isFinite(variance) || !Number.isFinite(estimate)) {
    return { ok: false, error: 'ZERO_NEGATIVE_VARIANCE' };
  }
  const df = welchDf(a, b);
  if (!(df > 0)) return { ok: false, error: 'ZERO_NEGATIVE_VARIANCE' };
  return { ok: true, estimate, variance, df, theta };
}
