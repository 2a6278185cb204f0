/**
 * The smallest number above `coverage`, for a rollout's coverage. GrowthBook includes a visitor in
 * a percentage rollout when their hash is at most the coverage; Candor's ranges are half-open
 * (hash below the end). Moving the end to the next representable number makes "below" mean "at
 * most" for every possible hash. Zero stays zero: GrowthBook includes nobody at zero coverage.
 */
export function inclusiveCoverage(coverage: number): number {
  if (coverage <= 0) return 0;
  if (coverage >= 1) return 1;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, coverage);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

/** Coverage clamped to [0, 1] as GrowthBook clamps it; absent means everyone. */
export function clampCoverage(coverage: number | undefined): number {
  if (coverage === undefined || Number.isNaN(coverage)) return 1;
  return Math.min(1, Math.max(0, coverage));
}
