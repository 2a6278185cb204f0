// Always-valid normal-mixture confidence sequences (mixture SPRT) following Waudby-Smith et al. 2023,
// "Time-uniform central limit theory and asymptotic confidence sequences" (arXiv:2103.06476v7),
// parameterised by the tuning sample size N* exactly as gbstats' SequentialTwoSidedTTest.

/** Mixing parameter ρ for tuning sample size N* (eq. 161); one-sided bounds use 2α as gbstats does. */
export function sequentialRho(alpha: number, tuningN: number, twoSided = true): number {
  const a = twoSided ? alpha : 2 * alpha;
  return Math.sqrt((-2 * Math.log(a) + Math.log(-2 * Math.log(a) + 1)) / tuningN);
}

/** Half-width of the two-sided confidence sequence after `n` total units with per-unit variance `s2`. */
export function sequentialHalfwidth(s2: number, n: number, alpha: number, rho: number): number {
  const nr2 = n * rho ** 2;
  return Math.sqrt(s2) * Math.sqrt((2 * (nr2 + 1) * Math.log(Math.sqrt(nr2 + 1) / alpha)) / (n * rho) ** 2);
}

/** Half-width of the one-sided confidence sequence (gbstats' sequential_interval_halfwidth_one_sided). */
export function sequentialHalfwidthOneSided(s2: number, n: number, alpha: number, rho: number): number {
  const nr2 = n * rho ** 2;
  return Math.sqrt(((s2 * 2 * (nr2 + 1)) / (n * rho) ** 2) * Math.log(1 + Math.sqrt(nr2 + 1) / (2 * alpha)));
}

/** Always-valid two-sided p-value: 1 / mixture e-value, capped at 1 (eq. 155). */
export function sequentialPValue(estimate: number, se: number, n: number, rho: number): number {
  const st2 = (estimate ** 2 * n) / se ** 2;
  const nr2p1 = n * rho ** 2 + 1;
  const logEvalue = (rho ** 2 * st2) / (2 * nr2p1) - 0.5 * Math.log(nr2p1);
  const p = Math.min(1, Math.exp(-logEvalue));
  // Non-finite input is no evidence: p = 1 rather than NaN.
  return Number.isNaN(p) ? 1 : p;
}

/**
 * Always-valid one-sided p-value: the α at which the one-sided bound touches 0, solved in closed form
 * (gbstats bisects for the same root) and capped at 0.4999 where the one-sided sequence is undefined.
 */
export function sequentialPValueOneSided(signedEstimate: number, se: number, n: number, rho: number): number {
  const cap = 0.4999;
  if (signedEstimate <= 0) return cap;
  const nr2 = n * rho ** 2;
  const s2 = se ** 2 * n;
  const scale = (s2 * 2 * (nr2 + 1)) / (n * rho) ** 2;
  const alpha = Math.sqrt(nr2 + 1) / (2 * Math.expm1(signedEstimate ** 2 / scale));
  return Math.min(cap, Math.max(0, alpha));
}
