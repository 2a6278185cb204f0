import { describe, expect, it } from 'vitest';
import { checkMinimumSample } from './minimum-sample.js';

const arm = (n: number, sum: number) => ({ kind: 'proportion', n, sum }) as const;

describe('checkMinimumSample', () => {
  it.each([
    [undefined, arm(200, 20), 'MISSING_CONTROL'],
    [arm(200, 20), undefined, 'MISSING_VARIANT'],
    [arm(200, 20), arm(0, 0), 'NO_UNITS_IN_VARIANT'],
    [arm(200, 20), arm(99, 10), 'BELOW_MINIMUM_SAMPLE'],
    [arm(200, 0), arm(200, 10), 'NO_VARIANCE'],
    [arm(200, 20), arm(200, 25), 'READY'],
  ] as const)('%o vs %o → %s', (control, treatment, reason) => {
    expect(checkMinimumSample(control, treatment)).toEqual({ ready: reason === 'READY', reason });
  });
});
