import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fisherExactGreater } from './fisher-exact.js';

const p = (n: number, sum: number) => ({ kind: 'proportion', n, sum }) as const;

describe('fisherExactGreater', () => {
  it('matches the hypergeometric tail in closed form', () => {
    // All 6 events in the treatment: C(200, 6) / C(400, 6) = Π (200 − i) / (400 − i), i = 0…5.
    let closedForm = 1;
    for (let i = 0; i < 6; i++) closedForm *= (200 - i) / (400 - i);
    expect(fisherExactGreater(p(200, 0), p(200, 6))).toBeCloseTo(closedForm, 12);
    expect(fisherExactGreater(p(200, 6), p(200, 0))).toBeCloseTo(1, 12);
  });

  it('rejects at most α of the time under the null, whatever the counts (exact size)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 30 }),
        (nc, nt, events) => {
          const total = Math.min(events, nc + nt);
          // Under the null, given the total, the treatment's count is hypergeometric: sum the chance of rejecting.
          let size = 0;
          let mass = 0;
          for (let x = Math.max(0, total - nc); x <= Math.min(total, nt); x++) {
            const lower = fisherExactGreater(p(nc, total - x), p(nt, x));
            const upper = x + 1 <= Math.min(total, nt) ? fisherExactGreater(p(nc, total - x - 1), p(nt, x + 1)) : 0;
            const probability = lower - upper;
            mass += probability;
            if (lower < 0.05) size += probability;
          }
          expect(mass).toBeCloseTo(1, 9);
          expect(size).toBeLessThanOrEqual(0.05 + 1e-12);
        },
      ),
    );
  });

  it('returns 1 for invalid or empty arms', () => {
    expect(fisherExactGreater(p(0, 0), p(10, 2))).toBe(1);
    expect(fisherExactGreater(p(10, 11), p(10, 2))).toBe(1);
    expect(fisherExactGreater(p(Number.NaN, 0), p(10, 2))).toBe(1);
  });
});
