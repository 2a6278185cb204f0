import { chooseVariation, getBucketRanges } from '@candor/core';

/**
 * How many of the hash values a version can produce land on a different variation in Candor than
 * in GrowthBook. Both hash to a fixed grid (1,000 values for version 1, 10,000 for version 2), so
 * checking every grid point proves the split carries over for every possible id, or counts where
 * it does not (GrowthBook leaves a gap when weights sum to a little less than 1; Candor rescales).
 */
export function bucketsThatDiffer(
  hashVersion: 1 | 2,
  coverage: number,
  growthBookWeights: readonly number[] | undefined,
  candorWeights: readonly (number | undefined)[],
): number {
  const arms = candorWeights.length;
  const growthBook = getBucketRanges(arms, coverage, growthBookWeights);
  const candor = getBucketRanges(arms, coverage, normalised(candorWeights));
  const grid = hashVersion === 1 ? 1000 : 10_000;
  let differ = 0;
  for (let k = 0; k < grid; k++) {
    const n = k / grid;
    if (chooseVariation(n, growthBook) !== chooseVariation(n, candor)) differ++;
  }
  return differ;
}

// The weights Candor splits on, as packages/core/src/snapshot/prepare-snapshot.ts derives them for
// an experience without holdout: a missing weight counts 1, then all are scaled to sum to 1.
function normalised(weights: readonly (number | undefined)[]): number[] {
  const filled = weights.map((weight) => weight ?? 1);
  const total = filled.reduce((sum, weight) => sum + weight, 0);
  return total > 0 ? filled.map((weight) => weight / total) : filled.map(() => 1 / filled.length);
}
