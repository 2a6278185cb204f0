import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedStep } from './bounded-step.js';

const simplex = (size: number) =>
  fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: size, maxLength: size }).map((raw) => {
    const total = raw.reduce((sum, weight) => sum + weight, 0);
    return raw.map((weight) => weight / total);
  });

describe('boundedStep', () => {
  it('moves no arm by more than the step, sums to 1, and reaches a close target exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((size) => fc.tuple(simplex(size), simplex(size))),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        ([current, target], step) => {
          const next = boundedStep(current, target, step);
          next.forEach((weight, index) => {
            expect(Math.abs(weight - (current[index] ?? 0))).toBeLessThanOrEqual(step + 1e-12);
            expect(weight).toBeGreaterThanOrEqual(Math.min(current[index] ?? 0, target[index] ?? 0) - 1e-12);
          });
          expect(next.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 9);
          const far = Math.max(...target.map((weight, index) => Math.abs(weight - (current[index] ?? 0))));
          if (far <= step) expect(next).toEqual(target);
        },
      ),
    );
  });

  it("limits an attacker's 0.05/0.05/0.9 to one step away from equal weights", () => {
    const next = boundedStep([1 / 3, 1 / 3, 1 / 3], [0.05, 0.05, 0.9], 0.1);
    expect(next[2]).toBeCloseTo(1 / 3 + 0.1, 9);
  });
});
