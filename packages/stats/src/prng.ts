/** A source of uniform numbers in [0, 1); pass one in wherever randomness is needed. */
export type RandomSource = () => number;

/**
 * Mulberry32 (Tommy Ettinger, public domain): a tiny seeded 32-bit PRNG, good enough for Monte Carlo
 * weights and tests, not for cryptography or DP noise in production.
 * @example const random = mulberry32(42); random(); // 0.6011037519201636
 */
export function mulberry32(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw from two uniforms (Box–Muller). */
export function standardNormal(random: RandomSource): number {
  // 1 − u lies in (0, 1], so the logarithm is finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
