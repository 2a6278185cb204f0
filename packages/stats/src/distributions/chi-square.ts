import { regularizedGammaP, regularizedGammaQ } from './gamma.js';

/** Chi-square cumulative distribution with `df` degrees of freedom. */
export function chiSquareCdf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  return regularizedGammaP(df / 2, x / 2);
}

/** Chi-square survival function 1 − F(x), accurate for the small p-values SRM checks care about. */
export function chiSquareSf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  return regularizedGammaQ(df / 2, x / 2);
}
