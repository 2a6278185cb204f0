import { describe, expect, it } from 'vitest';
import { shouldWarnSrm, srmPValue } from './srm.js';

describe('srm', () => {
  it('warns below p = 0.001 only', () => {
    expect(shouldWarnSrm(srmPValue([1000, 1200], [0.5, 0.5]))).toBe(true);
    expect(shouldWarnSrm(srmPValue([1000, 1010], [0.5, 0.5]))).toBe(false);
  });

  it('returns 1 when there is nothing to compare', () => {
    expect(srmPValue([], [])).toBe(1);
    expect(srmPValue([100, 0], [1, 0])).toBe(1);
    expect(srmPValue([0, 0], [0.5, 0.5])).toBe(1);
  });
});
