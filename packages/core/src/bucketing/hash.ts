/** Hash algorithm versions. A shipped version is never edited: add a new one instead. */
export type HashVersion = 1 | 2;

/** 32-bit FNV-1a over UTF-16 code units (GrowthBook-compatible). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A deterministic number in [0, 1) for `value` under `seed`, or `null` for an unknown version.
 * Version 1 is GrowthBook's original (1,000 buckets); version 2 hashes twice for better spread
 * (10,000 buckets) and is the default for new experiences.
 *
 * @example hash('checkout-test', 'visitor-123', 2) // the same number on every platform, forever
 */
export function hash(seed: string, value: string, version: number): number | null {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return null;
}
