/** One published reference value: where it comes from, what we compute, and how close we must be. */
export interface ReferenceCase {
  readonly name: string;
  /** Citation: repository + file + test, or the exact library call that produced `expected`. */
  readonly source: string;
  readonly expected: number;
  /** Absolute tolerance, or relative when `relative` is set. */
  readonly tolerance: number;
  readonly relative?: boolean;
  readonly actual: () => number;
}

/** Whether `actual` is within the case's tolerance of `expected` (infinities must match exactly). */
export function withinTolerance(actual: number, c: ReferenceCase): boolean {
  if (!Number.isFinite(c.expected)) return actual === c.expected;
  const bound = c.relative === true ? c.tolerance * Math.abs(c.expected) : c.tolerance;
  return Math.abs(actual - c.expected) <= bound;
}
