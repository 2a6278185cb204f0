import type { Statistic } from './types.js';
import { variantVariance } from './variant-moments.js';

/** Why a comparison is or is not ready for a verdict. */
export type ReadinessReason =
  'READY' | 'MISSING_CONTROL' | 'MISSING_VARIANT' | 'NO_UNITS_IN_VARIANT' | 'BELOW_MINIMUM_SAMPLE' | 'NO_VARIANCE';

/** Whether a verdict may be shown, and why not. */
export interface Readiness {
  readonly ready: boolean;
  readonly reason: ReadinessReason;
}

/** Units each arm needs before any verdict is shown (gbstats' bandits use the same floor). */
export const DEFAULT_MINIMUM_UNITS = 100;

/**
 * Whether both arms have enough units (default 100 each) and non-zero variance for a verdict;
 * below this, show "not enough data" rather than an interval.
 * @example checkMinimumSample(control, treatment).reason // 'BELOW_MINIMUM_SAMPLE'
 */
export function checkMinimumSample(
  control: Statistic | undefined,
  treatment: Statistic | undefined,
  options: { readonly minimumUnits?: number } = {},
): Readiness {
  const minimumUnits = options.minimumUnits ?? DEFAULT_MINIMUM_UNITS;
  if (control === undefined) return { ready: false, reason: 'MISSING_CONTROL' };
  if (treatment === undefined) return { ready: false, reason: 'MISSING_VARIANT' };
  if (!(control.n > 0) || !(treatment.n > 0)) return { ready: false, reason: 'NO_UNITS_IN_VARIANT' };
  if (control.n < minimumUnits || treatment.n < minimumUnits) return { ready: false, reason: 'BELOW_MINIMUM_SAMPLE' };
  if (!(variantVariance(control) > 0) || !(variantVariance(treatment) > 0))
    return { ready: false, reason: 'NO_VARIANCE' };
  return { ready: true, reason: 'READY' };
}
