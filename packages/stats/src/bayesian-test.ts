import { normalCdf, normalPdf, normalQuantile } from './distributions/normal.js';
import { effectMoments } from './effect-moments.js';
import { liftOfLogRatio, logRatioMoments, type RelativeMethod } from './relative-scale.js';
import type { DifferenceType, Statistic, StatsErrorCode } from './types.js';

/** Options of a Bayesian comparison. */
export interface BayesianOptions {
  readonly difference: DifferenceType;
  /** The credible interval covers 1 − alpha of the posterior. */
  readonly alpha: number;
  /** Normal prior on the effect, on the same scale as `difference`; omitted means flat (improper). */
  readonly prior?: { readonly mean: number; readonly variance: number };
  /** Lower is better for this metric: chance to win is P(effect < 0) and the risks swap. */
  readonly inverse?: boolean;
  /** Relative lift only: `delta` (default, gbstats-equal) or `log-ratio` (posterior on log(1 + lift)). */
  readonly relativeMethod?: RelativeMethod;
}

/** Posterior summary of the effect under a Gaussian approximation. */
export interface BayesianResult {
  readonly estimate: number;
  readonly ciLower: number;
  readonly ciUpper: number;
  readonly se: number;
  readonly chanceToWin: number;
  /** Expected loss of shipping control: E[max(effect, 0)] (signs flipped for inverse metrics). */
  readonly riskControl: number;
  /** Expected loss of shipping treatment: E[max(−effect, 0)] (signs flipped for inverse metrics). */
  readonly riskTreatment: number;
  readonly error?: StatsErrorCode;
}

function failure(error: StatsErrorCode): BayesianResult {
  return { estimate: 0, ciLower: 0, ciUpper: 0, se: 0, chanceToWin: 0.5, riskControl: 0, riskTreatment: 0, error };
}

/**
 * E[max(X, 0)] and E[max(−X, 0)] for X ~ N(mu, sigma²) in closed form; the same numbers as gbstats'
 * truncated-normal `get_risk`, without its 0/0 when one tail underflows.
 */
export function normalRisks(mu: number, sigma: number): { readonly positive: number; readonly negative: number } {
  const z = mu / sigma;
  const density = sigma * normalPdf(z);
  return {
    positive: Math.max(0, mu * normalCdf(z) + density),
    negative: Math.max(0, -mu * normalCdf(-z) + density),
  };
}

/**
 * Bayesian comparison as gbstats' EffectBayesianABTest: the effect's sampling distribution
 * N(estimate, se²) combined with a flat or normal prior into a normal posterior.
 * @example bayesianTest(control, treatment, { difference: 'relative', alpha: 0.05 }).chanceToWin
 */
export function bayesianTest(
  control: Statistic | undefined,
  treatment: Statistic | undefined,
  options: BayesianOptions,
): BayesianResult {
  const { alpha, prior } = options;
  if (!(alpha > 0 && alpha < 1)) return failure('INVALID_INPUT');
  if (prior !== undefined && !(prior.variance > 0 && Number.isFinite(prior.variance) && Number.isFinite(prior.mean))) {
    return failure('INVALID_INPUT');
  }
  const moments = effectMoments(control, treatment, options.difference);
  if (!moments.ok) return failure(moments.error);
  const logRatio = options.difference === 'relative' && options.relativeMethod === 'log-ratio';
  if (!logRatio) return posteriorOf(moments.estimate, moments.variance, prior, alpha, options.inverse === true);
  const log = logRatioMoments(moments);
  if (!log.ok) return failure(log.error);
  // The prior is stated on relative lift; on the log scale its mean is log(1 + m) and its spread scales by 1/(1 + m).
  const logPrior =
    prior === undefined || !(prior.mean > -1)
      ? undefined
      : { mean: Math.log1p(prior.mean), variance: prior.variance / (1 + prior.mean) ** 2 };
  const onLog = posteriorOf(log.estimate, log.variance, logPrior, alpha, options.inverse === true);
  // Chance to win is unchanged by the monotone map back; risks stay on the log(1 + lift) scale.
  return {
    ...onLog,
    estimate: liftOfLogRatio(onLog.estimate),
    ciLower: liftOfLogRatio(onLog.ciLower),
    ciUpper: liftOfLogRatio(onLog.ciUpper),
  };
}

function posteriorOf(
  estimate: number,
  variance: number,
  prior: BayesianOptions['prior'],
  alpha: number,
  inverse: boolean,
): BayesianResult {
  const precision = 1 / variance + (prior === undefined ? 0 : 1 / prior.variance);
  const mean = prior === undefined ? estimate : (estimate / variance + prior.mean / prior.variance) / precision;
  const sd = Math.sqrt(1 / precision);
  const z = normalQuantile(1 - alpha / 2);
  const risks = normalRisks(mean, sd);
  const probabilityPositive = normalCdf(mean / sd);
  return {
    estimate: mean,
    ciLower: mean - z * sd,
    ciUpper: mean + z * sd,
    se: sd,
    chanceToWin: inverse ? 1 - probabilityPositive : probabilityPositive,
    riskControl: inverse ? risks.negative : risks.positive,
    riskTreatment: inverse ? risks.positive : risks.negative,
  };
}
