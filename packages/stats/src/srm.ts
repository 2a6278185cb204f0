import { chiSquareSf } from './distributions/chi-square.js';

/** Below this SRM p-value the split is almost certainly broken (the industry-standard threshold). */
export const SRM_WARNING_THRESHOLD = 0.001;

/**
 * Sample-ratio-mismatch p-value: Pearson chi-square of observed units against the configured weights,
 * as gbstats' check_srm. Arms with zero weight are left out; fewer than two arms or no units gives 1.
 * @example srmPValue([1000, 1200], [0.5, 0.5]) // 2.0e-5
 */
export function srmPValue(users: readonly number[], weights: readonly number[]): number {
  const arms: { observed: number; weight: number }[] = [];
  for (let i = 0; i < Math.min(users.length, weights.length); i++) {
    const observed = users[i] ?? 0;
    const weight = weights[i] ?? 0;
    if (weight > 0 && Number.isFinite(weight) && observed >= 0 && Number.isFinite(observed))
      arms.push({ observed, weight });
  }
  const total = arms.reduce((sum, arm) => sum + arm.observed, 0);
  const totalWeight = arms.reduce((sum, arm) => sum + arm.weight, 0);
  if (arms.length < 2 || total <= 0) return 1;
  let chiSquare = 0;
  for (const arm of arms) {
    const expected = (total * arm.weight) / totalWeight;
    chiSquare += (arm.observed - expected) ** 2 / expected;
  }
  return chiSquareSf(chiSquare, arms.length - 1);
}

/** Whether an SRM p-value should raise a warning (p < 0.001 unless another threshold is given). */
export function shouldWarnSrm(pValue: number, threshold: number = SRM_WARNING_THRESHOLD): boolean {
  return pValue < threshold;
}
