/** A half-open interval [start, end) of hash values assigned to one variation. */
export type BucketRange = readonly [start: number, end: number];

/** `n` equal weights that sum to 1 (rounded to 8 decimals, as GrowthBook). */
export function getEqualWeights(n: number): number[] {
  if (!(n > 0)) return [];
  return new Array<number>(n).fill(1 / n);
}

/**
 * Bucket ranges for `numVariations` variations, each taking `coverage` of its weight's share.
 * Weights that are missing, of the wrong length or not summing to 1 (±0.01) fall back to equal.
 *
 * @example getBucketRanges(2, 0.5) // [[0, 0.25], [0.5, 0.75]]
 */
export function getBucketRanges(
  numVariations: number,
  coverage = 1,
  weights?: readonly number[] | null,
): BucketRange[] {
  const share = Math.min(1, Math.max(0, Number.isFinite(coverage) ? coverage : 1));
  let effective: readonly number[] = weights ?? getEqualWeights(numVariations);
  if (effective.length !== numVariations) effective = getEqualWeights(numVariations);
  const total = effective.reduce((sum, weight) => sum + weight, 0);
  if (total < 0.99 || total > 1.01) effective = getEqualWeights(numVariations);
  let cumulative = 0;
  return effective.map((weight) => {
    const start = cumulative;
    cumulative += weight;
    return [start, start + share * weight] as const;
  });
}

/** The index of the range holding `n`, or -1 when `n` falls outside every range. */
export function chooseVariation(n: number, ranges: readonly BucketRange[]): number {
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i] as BucketRange;
    if (n >= range[0] && n < range[1]) return i;
  }
  return -1;
}
