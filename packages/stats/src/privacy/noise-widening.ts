import type { MeanStatistic, ProportionStatistic } from '../types.js';
import { variantMean, variantVariance } from '../variant-moments.js';

/** How much privacy noise adds to a cell mean's uncertainty. */
export interface NoiseWidening {
  /** Standard error from sampling alone, √(σ²/n). */
  readonly samplingSe: number;
  /** Standard error the noise on n and Σy adds to the mean (delta method). */
  readonly noiseSe: number;
  /** √(sampling² + noise²): the standard error to report. */
  readonly totalSe: number;
  /** totalSe / samplingSe: how much every interval on this mean widens (1 = not at all, or no sampling variance). */
  readonly wideningFactor: number;
}

/**
 * Interval widening caused by Laplace noise of the given scales (variance 2b²) on n and Σy:
 * Var(noise in Σy/n) ≈ (2b_Σ² + ȳ²·2b_n²) / n². Noise on Σy² only perturbs the variance estimate and is ignored.
 */
export function noiseWidening(
  stat: ProportionStatistic | MeanStatistic,
  scales: { readonly n: number; readonly sum: number },
): NoiseWidening {
  const finite = [stat.n, stat.sum, scales.n, scales.sum].every(Number.isFinite);
  if (!(stat.n > 0) || !finite) return { samplingSe: 0, noiseSe: 0, totalSe: 0, wideningFactor: 1 };
  const mean = variantMean(stat);
  const samplingVariance = Math.max(0, variantVariance(stat)) / stat.n;
  const noiseVariance = (2 * scales.sum ** 2 + mean ** 2 * 2 * scales.n ** 2) / stat.n ** 2;
  const samplingSe = Math.sqrt(samplingVariance);
  const totalSe = Math.sqrt(samplingVariance + noiseVariance);
  const wideningFactor = samplingSe > 0 ? totalSe / samplingSe : 1;
  return { samplingSe, noiseSe: Math.sqrt(noiseVariance), totalSe, wideningFactor };
}
