/** Family-wise (Holm–Bonferroni) or false-discovery-rate (Benjamini–Hochberg) correction. */
export type PValueAdjustment = 'holm' | 'bh';

function clean(p: number): number {
  return Number.isNaN(p) ? 1 : Math.min(1, Math.max(0, p));
}

/**
 * Adjusted p-values, returned in input order: Holm (1979) step-down or Benjamini–Hochberg (1995)
 * step-up, matching R's p.adjust "holm" / "BH". NaN counts as 1.
 * @example adjustPValues([0.01, 0.04, 0.03], 'holm') // [0.03, 0.06, 0.06]
 */
export function adjustPValues(pValues: readonly number[], method: PValueAdjustment): number[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p: clean(p), index })).sort((a, b) => a.p - b.p || a.index - b.index);
  const adjusted = new Array<number>(m).fill(1);
  if (method === 'holm') {
    let running = 0;
    order.forEach(({ p, index }, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * p));
      adjusted[index] = running;
    });
    return adjusted;
  }
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const entry = order[rank];
    if (entry === undefined) continue;
    // max(p, ·) only guards against rounding: m / (rank + 1) ≥ 1.
    running = Math.min(running, Math.max(entry.p, (m * entry.p) / (rank + 1)));
    adjusted[entry.index] = running;
  }
  return adjusted;
}
