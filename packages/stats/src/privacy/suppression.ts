import type { Statistic } from '../types.js';

/** Cells with fewer units are never shown (the Protected Audience k-anonymity precedent, docs/privacy.md §8). */
export const DEFAULT_SUPPRESSION_K = 50;

/** A cell that may be shown, or the reason it is hidden. */
export type SuppressedCell<S extends Statistic> =
  { readonly suppressed: false; readonly statistic: S } | { readonly suppressed: true; readonly reason: 'BELOW_K' };

/** Hide a cell with fewer than k units (default 50). */
export function suppressSmallCell<S extends Statistic>(
  statistic: S,
  k: number = DEFAULT_SUPPRESSION_K,
): SuppressedCell<S> {
  return statistic.n >= k ? { suppressed: false, statistic } : { suppressed: true, reason: 'BELOW_K' };
}
