import { describe, expect, it } from 'vitest';
import { effectMoments } from './effect-moments.js';
import type { MeanStatistic } from './types.js';

const ok: MeanStatistic = { kind: 'mean', n: 100, sum: 1000, sumSquares: 11_000 };

describe('effectMoments error codes (closed union, never NaN)', () => {
  it.each([
    ['missing control', undefined, ok, 'MISSING_CONTROL'],
    ['missing variant', ok, undefined, 'MISSING_VARIANT'],
    ['variant with no traffic', ok, { kind: 'mean', n: 0, sum: 0, sumSquares: 0 }, 'NO_UNITS_IN_VARIANT'],
    ['n < 2', ok, { kind: 'mean', n: 1, sum: 10, sumSquares: 100 }, 'NOT_ENOUGH_DATA'],
    [
      'zero conversions',
      { kind: 'proportion', n: 500, sum: 0 },
      { kind: 'proportion', n: 500, sum: 0 },
      'ZERO_NEGATIVE_VARIANCE',
    ],
    ['zero variance', { kind: 'mean', n: 10, sum: 10, sumSquares: 10 }, ok, 'ZERO_NEGATIVE_VARIANCE'],
    ['control mean zero', { kind: 'mean', n: 10, sum: 0, sumSquares: 10 }, ok, 'BASELINE_ZERO'],
    ['control mean negative', { kind: 'mean', n: 10, sum: -5, sumSquares: 10 }, ok, 'BASELINE_NEGATIVE'],
    ['kinds differ', { kind: 'proportion', n: 100, sum: 10 }, ok, 'KIND_MISMATCH'],
    ['non-finite input', { kind: 'mean', n: 10, sum: NaN, sumSquares: 10 }, ok, 'INVALID_INPUT'],
    [
      'more conversions than units',
      { kind: 'proportion', n: 10, sum: 11 },
      { kind: 'proportion', n: 10, sum: 1 },
      'INVALID_INPUT',
    ],
  ] as const)('%s → %s', (_name, control, treatment, code) => {
    expect(effectMoments(control, treatment, 'relative')).toEqual({ ok: false, error: code });
  });

  it('allows a negative control mean for absolute differences', () => {
    const result = effectMoments({ kind: 'mean', n: 10, sum: -5, sumSquares: 10 }, ok, 'absolute');
    expect(result.ok).toBe(true);
  });
});
