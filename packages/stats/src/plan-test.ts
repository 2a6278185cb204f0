import { normalCdf, normalQuantile } from './distributions/normal.js';
import { sequentialHalfwidth, sequentialHalfwidthOneSided, sequentialRho } from './sequential.js';
import type { Alternative, DifferenceType } from './types.js';

/** The metric as it is today in the control. */
export type PlanBaseline =
  | { readonly kind: 'proportion'; readonly rate: number }
  | { readonly kind: 'mean'; readonly mean: number; readonly sd: number };

/** The test that will be run, as the results page runs it. */
export interface PlanOptions {
  readonly baseline: PlanBaseline;
  /** The effect to detect: a relative lift (0.1 = +10%) or an absolute difference, per `difference`. */
  readonly effect: number;
  readonly difference: DifferenceType;
  readonly alternative: Alternative;
  /** The threshold the test's p-value meets after the page's correction (e.g. 0.049 / family size). */
  readonly alpha: number;
  readonly power: number;
  readonly engine: 'frequentist' | 'sequential' | 'bayesian';
  /** Sequential tuning N* (total units), as in the experience's analysis settings. */
  readonly tuningN?: number;
  /** Relative lift is tested on the log-ratio scale (default) or with the delta method. */
  readonly relativeMethod?: 'log-ratio' | 'delta';
  /** The largest plan worth returning (default 10⁸ per variant). */
  readonly maxPerVariant?: number;
}

/** Why a plan has the value it has. */
export type PlanReason = 'PLANNED' | 'EFFECT_TOO_SMALL' | 'INVALID_INPUT';

/** Units per variant for the planned power (null unless PLANNED), and the power the plan delivers. */
export interface Plan {
  readonly perVariant: number | null;
  readonly power: number | null;
  readonly reason: PlanReason;
}

interface Scale {
  /** The effect on the scale the test runs on. */
  readonly delta: number;
  /** Per-unit variance of that estimate summed over both arms: se² = perUnit / n per variant. */
  readonly perUnit: number;
}

// Variances under the alternative, each arm its own (the results run Welch, not a pooled test). A mean
// metric keeps its sd when the effect moves it.
function scaleOf(options: PlanOptions): Scale | undefined {
  const { baseline, effect, difference } = options;
  const control = baseline.kind === 'proportion' ? baseline.rate : baseline.mean;
  const treatment = difference === 'relative' ? control * (1 + effect) : control + effect;
  const varianceOf = (mean: number): number => (baseline.kind === 'proportion' ? mean * (1 - mean) : baseline.sd ** 2);
  if (baseline.kind === 'proportion' && !(control > 0 && control < 1 && treatment > 0 && treatment < 1))
    return undefined;
  const vc = varianceOf(control);
  const vt = varianceOf(treatment);
  if (!(vc > 0) || !(vt > 0)) return undefined;
  if (difference === 'absolute') return { delta: treatment - control, perUnit: vc + vt };
  if (!(control > 0) || !(treatment > 0)) return undefined;
  if (options.relativeMethod === 'delta')
    return { delta: effect, perUnit: vt / control ** 2 + (vc * treatment ** 2) / control ** 4 };
  return { delta: Math.log(treatment / control), perUnit: vt / treatment ** 2 + vc / control ** 2 };
}

/**
 * Power of the planned test with `perVariant` units in each of two arms: the fixed-horizon z-test, or
 * for the sequential engine the chance the always-valid confidence sequence excludes 0 at that size (a
 * floor: it may stop earlier). The Bayesian verdict (chance to win beyond 1 − α/2, flat prior) is the
 * two-sided z-test.
 */
export function plannedPower(options: PlanOptions, perVariant: number): number {
  const scale = scaleOf(options);
  if (scale === undefined || !(perVariant >= 2) || !(options.alpha > 0 && options.alpha < 1)) return 0;
  const se = Math.sqrt(scale.perUnit / perVariant);
  const { delta } = scale;
  const twoSided = options.alternative === 'two-sided' || options.engine === 'bayesian';
  const toward = options.alternative === 'less' ? -delta : delta;
  if (options.engine === 'sequential') {
    const total = 2 * perVariant;
    const tuningN = options.tuningN ?? total;
    const s2 = se ** 2 * total;
    const halfwidth = twoSided
      ? sequentialHalfwidth(s2, total, options.alpha, sequentialRho(options.alpha, tuningN, true))
      : sequentialHalfwidthOneSided(s2, total, options.alpha, sequentialRho(options.alpha, tuningN, false));
    return twoSided
      ? normalCdf((delta - halfwidth) / se) + normalCdf((-delta - halfwidth) / se)
      : normalCdf((toward - halfwidth) / se);
  }
  if (twoSided) {
    const z = normalQuantile(1 - options.alpha / 2);
    return normalCdf(delta / se - z) + normalCdf(-delta / se - z);
  }
  return normalCdf(toward / se - normalQuantile(1 - options.alpha));
}

/**
 * Units per variant for the test that will actually be run (engine, sidedness, absolute or relative
 * scale, sequential tuning, the alpha left after the page's correction) to reach the target power,
 * found by bisection on `plannedPower`; never Infinity: an effect too small to plan says so.
 * @example planSampleSize({ baseline: { kind: 'proportion', rate: 0.1 }, effect: 0.1, difference: 'relative', alternative: 'two-sided', alpha: 0.05, power: 0.8, engine: 'frequentist' })
 */
export function planSampleSize(options: PlanOptions): Plan {
  const max = options.maxPerVariant ?? 1e8;
  const valid =
    options.alpha > 0 &&
    options.alpha < 0.5 &&
    options.power > 0 &&
    options.power < 1 &&
    Number.isFinite(options.effect) &&
    options.effect !== 0 &&
    max >= 2 &&
    (options.tuningN === undefined || (options.tuningN > 0 && Number.isFinite(options.tuningN))) &&
    scaleOf(options) !== undefined;
  if (!valid) return { perVariant: null, power: null, reason: 'INVALID_INPUT' };
  if (plannedPower(options, max) < options.power) return { perVariant: null, power: null, reason: 'EFFECT_TOO_SMALL' };
  let low = 2;
  let high = max;
  if (plannedPower(options, low) >= options.power)
    return { perVariant: low, power: plannedPower(options, low), reason: 'PLANNED' };
  // Power rises with n over the range that matters; keep the invariant power(low) < target ≤ power(high).
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (plannedPower(options, middle) >= options.power) high = middle;
    else low = middle;
  }
  return { perVariant: high, power: plannedPower(options, high), reason: 'PLANNED' };
}
