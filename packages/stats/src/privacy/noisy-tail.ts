/**
 * An upper bound on P(G + Σ cᵢ·Lᵢ ≥ t) for G ~ N(0, σ²) and independent standard-scale Laplace noise
 * terms with scales `laplaceScales` (Lᵢ ~ Laplace(0, 1) times cᵢ): the Chernoff bound
 * inf over λ of exp(−λt + λ²σ²/2) · Π 1/(1 − λ²cᵢ²). A p-value built from it is valid however heavy the
 * Laplace tails are, where a normal approximation with the same variance rejects up to ten times too
 * often at small α. Returns 1 for t ≤ 0 or invalid input.
 * @example noisyNormalTail(5, 1, [2]) // ≥ the exact tail of N(0, 1) + Laplace(0, 2) at 5
 */
export function noisyNormalTail(t: number, sigma: number, laplaceScales: readonly number[]): number {
  const scales = laplaceScales.map(Math.abs).filter((c) => c > 0);
  if (!(t > 0) || !(sigma >= 0) || !Number.isFinite(t) || !Number.isFinite(sigma)) return 1;
  if (!scales.every(Number.isFinite)) return 1;
  if (sigma === 0 && scales.length === 0) return 0;
  const ceiling = scales.length === 0 ? Infinity : 1 / Math.max(...scales);
  const logBound = (lambda: number): number =>
    -lambda * t + (lambda ** 2 * sigma ** 2) / 2 - scales.reduce((sum, c) => sum + Math.log1p(-((lambda * c) ** 2)), 0);
  // The exponent is convex in λ on [0, ceiling): golden-section search finds its minimum.
  let low = 0;
  let high = Number.isFinite(ceiling) ? ceiling * (1 - 1e-12) : t / sigma ** 2;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let step = 0; step < 200; step++) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (logBound(a) < logBound(b)) high = b;
    else low = a;
  }
  const best = logBound((low + high) / 2);
  return Math.min(1, Math.exp(best));
}
