import type { RandomSource } from '../prng.js';
import { standardNormal } from '../prng.js';

/** Laplace-mechanism scale b = Δ/ε (Dwork et al. 2006); Infinity (release nothing) if ε ≤ 0. */
export function laplaceScale(sensitivity: number, epsilon: number): number {
  if (!(epsilon > 0) || !(sensitivity >= 0)) return Infinity;
  return sensitivity / epsilon;
}

/**
 * Gaussian-mechanism σ = Δ·√(2 ln(1.25/δ))/ε (Dwork & Roth 2014, Thm 3.22; the guarantee holds for
 * ε < 1); Infinity (release nothing) for invalid ε or δ.
 */
export function gaussianSigma(sensitivity: number, epsilon: number, delta: number): number {
  if (!(epsilon > 0) || !(delta > 0 && delta < 1) || !(sensitivity >= 0)) return Infinity;
  return (sensitivity * Math.sqrt(2 * Math.log(1.25 / delta))) / epsilon;
}

/** One Laplace(0, scale) draw by inverse transform. */
export function sampleLaplace(scale: number, random: RandomSource): number {
  const u = random() - 0.5;
  // |u| < ½ always (random() < 1), except u = −½, where 1 − 2|u| would be 0.
  const tail = Math.max(1 - 2 * Math.abs(u), Number.MIN_VALUE);
  return -scale * Math.sign(u) * Math.log(tail);
}

/** One N(0, sigma²) draw. */
export function sampleGaussian(sigma: number, random: RandomSource): number {
  return sigma * standardNormal(random);
}
