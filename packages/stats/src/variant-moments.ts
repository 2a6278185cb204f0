import type { Moments, Statistic } from './types.js';

/** Sample covariance of two per-unit values from their sums and cross-product sum (n − 1 denominator). */
export function sampleCovariance(n: number, sumX: number, sumY: number, sumProduct: number): number {
  if (n <= 1) return 0;
  return (sumProduct - (sumX * sumY) / n) / (n - 1);
}

/** Sample variance (n − 1 denominator) of one per-unit value. */
export function sampleVariance(n: number, moments: Moments): number {
  return sampleCovariance(n, moments.sum, moments.sum, moments.sumSquares);
}

function bernoulliVariance(n: number, sum: number): number {
  if (n <= 0) return 0;
  const p = sum / n;
  return p * (1 - p);
}

/**
 * Delta-method variance of a ratio of means mX / mY, given the variances and covariance of the
 * numerator and denominator (the same quantities scaled by 1/n give the variance of the ratio estimate).
 */
export function varianceOfRatio(meanX: number, varX: number, meanY: number, varY: number, cov: number): number {
  return varX / meanY ** 2 + (varY * meanX ** 2) / meanY ** 4 - (2 * cov * meanX) / meanY ** 3;
}

/** Unadjusted per-unit mean of a variant (for CUPED kinds: the post-exposure mean); 0 when empty or not finite. */
export function variantMean(stat: Statistic): number {
  if (!(stat.n > 0)) return 0;
  const mean = rawMean(stat);
  return Number.isFinite(mean) ? mean : 0;
}

function rawMean(stat: Statistic): number {
  switch (stat.kind) {
    case 'proportion':
    case 'mean':
      return stat.sum / stat.n;
    case 'ratio':
      return stat.denominator.sum === 0 ? 0 : stat.numerator.sum / stat.denominator.sum;
    case 'meanCuped':
    case 'proportionCuped':
      return stat.post.sum / stat.n;
  }
}

/**
 * Per-unit variance of a variant's metric: p(1 − p) for conversions (as gbstats' ProportionStatistic),
 * the n − 1 sample variance for means, the delta-method variance for ratios, and the post-exposure
 * variance for CUPED kinds (see `cupedAdjust` for the adjusted one). 0 when n < 2 or not finite.
 */
export function variantVariance(stat: Statistic): number {
  const variance = rawVariance(stat);
  return Number.isFinite(variance) ? variance : 0;
}

function rawVariance(stat: Statistic): number {
  switch (stat.kind) {
    case 'proportion':
      return bernoulliVariance(stat.n, stat.sum);
    case 'mean':
      return sampleVariance(stat.n, stat);
    case 'ratio':
      return ratioVariance(stat.n, stat.numerator, stat.denominator, stat.numeratorDenominatorSumProduct);
    case 'meanCuped':
      return sampleVariance(stat.n, stat.post);
    case 'proportionCuped':
      return bernoulliVariance(stat.n, stat.post.sum);
  }
}

function ratioVariance(n: number, numerator: Moments, denominator: Moments, sumProduct: number): number {
  const meanY = n > 0 ? denominator.sum / n : 0;
  if (n <= 1 || meanY === 0) return 0;
  const meanX = numerator.sum / n;
  const cov = sampleCovariance(n, numerator.sum, denominator.sum, sumProduct);
  return varianceOfRatio(meanX, sampleVariance(n, numerator), meanY, sampleVariance(n, denominator), cov);
}

/** Standard error of a variant's mean: √(variance / n); 0 when empty. */
export function variantStandardError(stat: Statistic): number {
  if (stat.n <= 0) return 0;
  const variance = variantVariance(stat);
  return variance > 0 ? Math.sqrt(variance / stat.n) : 0;
}
