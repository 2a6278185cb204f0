import { describe, expect, it } from 'vitest';
import { adjustPValues } from './adjust-p-values.js';

describe('adjustPValues', () => {
  it('keeps input order and handles ties, NaN and empty input', () => {
    expect(adjustPValues([0.04, 0.01, 0.04], 'holm')).toEqual([0.08, 0.03, 0.08]);
    expect(adjustPValues([NaN, 0.01], 'bh')).toEqual([1, 0.02]);
    expect(adjustPValues([], 'bh')).toEqual([]);
  });
});
