import { normalCdf, normalSf } from './distributions/normal.js';
import type { Alternative, ProportionStatistic, StatsErrorCode } from './types.js';

/** Outcome of a pooled two-proportion z-test on treatment − control. */
export interface PooledProportionResult {
  /** Difference of rates, treatment − control. */
  readonly estimate: number;
  /** Standard error under the null (pooled rate). */
  readonly se: number;
  readonly z: number;
  readonly pValue: number;
  readonly error?: StatsErrorCode;
}

/**
 * Pooled two-proportion z-test (Pearson's chi-square on the 2×2 table without continuity correction:
 * z² = X²). Unlike Welch it stays defined when one arm has no events at all, which is the usual state of
 * a harm guardrail such as opt-outs in the control.
 * @example pooledProportionTest({ kind: 'proportion', n: 200, sum: 0 }, { kind: 'proportion', n: 1800, sum: 300 }, 'greater').pValue
 */
export function pooledProportionTest(
  control: ProportionStatistic,
  treatment: ProportionStatistic,
  alternative: Alternative,
): PooledProportionResult {
  const fail = (error: StatsErrorCode): PooledProportionResult => ({ estimate: 0, se: 0, z: 0, pValue: 1, error });
  const valid = (s: ProportionStatistic): boolean =>
    Number.isFinite(s.n) && Number.isFinite(s.sum) && s.sum >= 0 && s.sum <= s.n;
  if (!valid(control) || !valid(treatment)) return fail('INVALID_INPUT');
  if (!(control.n > 0) || !(treatment.n > 0)) return fail('NO_UNITS_IN_VARIANT');
  const pooled = (control.sum + treatment.sum) / (control.n + treatment.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  const estimate = treatment.sum / treatment.n - control.sum / control.n;
  if (!(se > 0)) return fail('ZERO_NEGATIVE_VARIANCE');
  const z = estimate / se;
  const pValue =
    alternative === 'greater'
      ? normalSf(z)
      : alternative === 'less'
        ? normalCdf(z)
        : Math.min(1, 2 * normalSf(Math.abs(z)));
  return { estimate, se, z, pValue };
}
