import { logBeta, regularizedBeta } from './beta.js';
import { normalCdf, normalPdf, normalQuantile } from './normal.js';

// Beyond this many degrees of freedom the incomplete-beta continued fraction loses digits (its shape
// parameter is df/2), while the first-order expansion in 1/df is accurate to ~1e-11 relative.
const LARGE_DF = 1e7;

// F(x; ν) = Φ(x) − φ(x)(x³ + x)/(4ν) + O(ν⁻²) (Abramowitz & Stegun 26.7.8).
function largeDfCdf(x: number, df: number): number {
  const correction = (normalPdf(x) * (x ** 3 + x)) / (4 * df);
  return x < 0 ? normalCdf(x) - correction : 1 - (normalCdf(-x) + correction);
}

/** Student t density with `df` degrees of freedom. */
export function studentTPdf(x: number, df: number): number {
  const logDensity = -logBeta(df / 2, 0.5) - 0.5 * Math.log(df) - ((df + 1) / 2) * Math.log1p((x * x) / df);
  return Math.exp(logDensity);
}

/** Student t cumulative distribution, via the regularized incomplete beta function. */
export function studentTCdf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  if (df >= LARGE_DF) return largeDfCdf(x, df);
  const tail = 0.5 * regularizedBeta(df / (df + x * x), df / 2, 0.5, (x * x) / (df + x * x));
  return x < 0 ? tail : 1 - tail;
}

/** Student t survival function 1 − F(x), accurate in the upper tail. */
export function studentTSf(x: number, df: number): number {
  return studentTCdf(-x, df);
}

// Cornish–Fisher expansion of the t quantile around the normal one (Abramowitz & Stegun 26.7.5).
function cornishFisher(z: number, df: number): number {
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/** Student t quantile: the x with F(x) = p (Newton iterations from a Cornish–Fisher start). */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  // Work in the lower tail and reflect, so tiny tail probabilities keep their precision.
  const lower = Math.min(p, 1 - p);
  let x = df >= 3 ? cornishFisher(normalQuantile(lower), df) : normalQuantile(lower);
  if (!Number.isFinite(x) || x >= 0) x = -1;
  let previousStep = Infinity;
  for (let i = 0; i < 100; i++) {
    const f = studentTCdf(x, df) - lower;
    const step = f / studentTPdf(x, df);
    let next = x - step;
    // Stay in the lower half-line; halve towards zero if Newton overshoots.
    if (next >= 0) next = x / 2;
    // Converged, or the cdf's own rounding makes Newton dither around the root: a step that no longer
    // shrinks is noise, so stop rather than spin through every iteration.
    const size = Math.abs(next - x);
    if (
      size <= 1e-14 * Math.max(1, Math.abs(next)) ||
      (size >= previousStep && size <= 1e-9 * Math.max(1, Math.abs(x)))
    ) {
      x = next;
      break;
    }
    previousStep = size;
    x = next;
  }
  return p < 0.5 ? x : -x;
}
