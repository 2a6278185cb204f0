import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseVariation, getBucketRanges, hash } from '../index.js';

describe('hashing and bucketing properties', () => {
  it('assignment is deterministic: the same seed and id always give the same variation', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.constantFrom(1, 2),
        fc.integer({ min: 1, max: 6 }),
        (seed, id, version, n) => {
          const ranges = getBucketRanges(n);
          const first = chooseVariation(hash(seed, id, version) as number, ranges);
          expect(chooseVariation(hash(seed, id, version) as number, ranges)).toBe(first);
          expect(first).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('hash values stay in [0, 1)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom(1, 2), (seed, id, version) => {
        const n = hash(seed, id, version) as number;
        expect(n).toBeGreaterThanOrEqual(0);
        expect(n).toBeLessThan(1);
      }),
    );
  });

  it.each([
    [2, 2],
    [3, 2],
    [4, 2],
    [3, 1],
  ])('splits 100k ids uniformly across %i variations (hash v%i), within sampling error', (variations, version) => {
    const ranges = getBucketRanges(variations);
    const counts = new Array<number>(variations).fill(0);
    const total = 100_000;
    for (let i = 0; i < total; i++) {
      const index = chooseVariation(hash('uniformity-seed', `visitor-${i}`, version) as number, ranges);
      counts[index] = (counts[index] ?? 0) + 1;
    }
    // Pearson chi-square against equal shares; 99.9% critical values for df = 1, 2, 3.
    const expected = total / variations;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    const critical = [10.83, 13.82, 16.27][variations - 2] as number;
    expect(chiSquare).toBeLessThan(critical);
  });

  it("weighted ranges receive their weight's share", () => {
    const ranges = getBucketRanges(2, 1, [0.2, 0.8]);
    let first = 0;
    for (let i = 0; i < 100_000; i++) if (chooseVariation(hash('w', `id${i}`, 2) as number, ranges) === 0) first++;
    // Binomial sd at n=1e5, p=0.2 is 0.00126; allow 4 sd.
    expect(Math.abs(first / 100_000 - 0.2)).toBeLessThan(0.005);
  });

  it('reduced coverage leaves the rest out (-1)', () => {
    const ranges = getBucketRanges(2, 0.5);
    let out = 0;
    for (let i = 0; i < 20_000; i++) if (chooseVariation(hash('c', `id${i}`, 2) as number, ranges) === -1) out++;
    expect(Math.abs(out / 20_000 - 0.5)).toBeLessThan(0.015);
  });
});
