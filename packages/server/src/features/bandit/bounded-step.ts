/**
 * Moves weights from `current` toward `target` by at most `maxStep` in any arm. The result is a
 * convex combination of the two, so it still sums to 1 and keeps every arm at or above the smaller
 * of its two shares: one run (on forged or merely lucky data) can shift traffic only gradually.
 */
export function boundedStep(current: readonly number[], target: readonly number[], maxStep: number): number[] {
  const largest = Math.max(0, ...target.map((weight, index) => Math.abs(weight - (current[index] ?? 0))));
  if (largest <= maxStep) return [...target];
  const fraction = maxStep / largest;
  return target.map((weight, index) => {
    const from = current[index] ?? 0;
    return from + (weight - from) * fraction;
  });
}
