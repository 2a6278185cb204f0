import type { AggregateCell } from '@candor/schema';

/** Where trust events are counted beside the metrics (the server's TRUST_METRIC_PREFIX). */
export const TRUST_PREFIX = '$trust.';

/** The trust events every experience reports (docs/privacy.md §9 principle 8). */
export const TRUST_EVENTS = ['opt_out', 'not_relevant', 'preference_center'] as const;

/** One variant's row: visitors counted for the metric and the mean per visitor, from n and Σy. */
export interface VariantSummary {
  readonly variantId: string;
  readonly n: number;
  readonly mean: number | null;
  readonly trust: Readonly<Record<(typeof TRUST_EVENTS)[number], number>>;
}

/** Per-variant figures for one experience and metric, straight from the sufficient statistics. */
export function summarizeCells(
  cells: readonly AggregateCell[],
  experienceId: string,
  metricId: string,
): VariantSummary[] {
  const mine = cells.filter((cell) => cell.experienceId === experienceId);
  const variants = [...new Set(mine.map((cell) => cell.variantId))].sort();
  return variants.map((variantId) => {
    const cell = mine.find((item) => item.variantId === variantId && item.metricId === metricId);
    const count = (event: string) =>
      mine.find((item) => item.variantId === variantId && item.metricId === `${TRUST_PREFIX}${event}`)?.n ?? 0;
    return {
      variantId,
      n: cell?.n ?? 0,
      mean: cell === undefined || cell.n === 0 ? null : cell.sum / cell.n,
      trust: {
        opt_out: count('opt_out'),
        not_relevant: count('not_relevant'),
        preference_center: count('preference_center'),
      },
    };
  });
}
