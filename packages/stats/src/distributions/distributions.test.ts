import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareSf } from './chi-square.js';
import { normalCdf, normalQuantile } from './normal.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

describe('distributions', () => {
  it('normal quantile inverts the cdf across the range', () => {
    for (const p of [1e-300, 1e-12, 0.001, 0.02425, 0.2, 0.5, 0.8, 0.97575, 0.999, 1 - 1e-12]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
    }
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  it('t quantile inverts the cdf, including fractional and huge df', () => {
    for (const df of [1, 2, 2.5, 7, 30.3, 1e4, 1e9]) {
      for (const p of [1e-6, 0.025, 0.3, 0.5, 0.9, 0.995]) {
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 11);
      }
    }
  });

  it('t cdf is symmetric and tends to the normal', () => {
    expect(studentTCdf(1.3, 9) + studentTCdf(-1.3, 9)).toBeCloseTo(1, 15);
    expect(studentTCdf(1.96, 1e12)).toBeCloseTo(normalCdf(1.96), 12);
  });

  it('chi-square cdf and survival function add to one', () => {
    expect(chiSquareCdf(4.2, 3) + chiSquareSf(4.2, 3)).toBeCloseTo(1, 14);
    expect(chiSquareSf(0, 2)).toBe(1);
    expect(chiSquareCdf(1, 0)).toBeNaN();
  });
});
