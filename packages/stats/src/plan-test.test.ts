import { describe, expect, it } from 'vitest';
import { planSampleSize, plannedPower, type PlanOptions } from './plan-test.js';
import { powerForEffect, requiredSampleSize } from './planning.js';

const base: PlanOptions = {
  baseline: { kind: 'proportion', rate: 0.1 },
  effect: 0.1,
  difference: 'relative',
  alternative: 'two-sided',
  alpha: 0.05,
  power: 0.8,
  engine: 'frequentist',
};

describe('planSampleSize', () => {
  it('returns the smallest n with the promised power', () => {
    const plan = planSampleSize(base);
    expect(plan.reason).toBe('PLANNED');
    expect(plannedPower(base, plan.perVariant!)).toBeGreaterThanOrEqual(0.8);
    expect(plannedPower(base, plan.perVariant! - 1)).toBeLessThan(0.8);
  });

  it('asks for more than the old planner, which assumed the control’s variance in both arms and under-delivers', () => {
    const old = requiredSampleSize({ kind: 'proportion', n: 1_000_000, sum: 100_000 }, 0.1, {
      alpha: 0.05,
      power: 0.8,
      difference: 'relative',
    }).perVariant;
    const plan = planSampleSize(base).perVariant!;
    expect(plan).toBeGreaterThan(old);
    expect(plannedPower(base, old)).toBeLessThan(0.79);
  });

  it('plans the sequential engine for its wider always-valid interval', () => {
    const fixed = planSampleSize(base).perVariant!;
    const sequential = planSampleSize({ ...base, engine: 'sequential', tuningN: 5000 }).perVariant!;
    expect(sequential).toBeGreaterThan(fixed * 1.3);
    expect(plannedPower({ ...base, engine: 'sequential', tuningN: 5000 }, sequential)).toBeGreaterThanOrEqual(0.8);
  });

  it('plans one-sided and absolute tests on their own scale', () => {
    const oneSided = planSampleSize({ ...base, alternative: 'greater' }).perVariant!;
    expect(oneSided).toBeLessThan(planSampleSize(base).perVariant!);
    const absolute = planSampleSize({
      ...base,
      baseline: { kind: 'proportion', rate: 0.02 },
      difference: 'absolute',
      effect: 0.01,
    });
    expect(absolute.reason).toBe('PLANNED');
    expect(
      plannedPower(
        { ...base, baseline: { kind: 'proportion', rate: 0.02 }, difference: 'absolute', effect: 0.01 },
        absolute.perVariant!,
      ),
    ).toBeGreaterThanOrEqual(0.8);
  });

  it('says an effect is too small to plan instead of returning Infinity', () => {
    expect(planSampleSize({ ...base, effect: 1e-9 })).toEqual({
      perVariant: null,
      power: null,
      reason: 'EFFECT_TOO_SMALL',
    });
    expect(
      requiredSampleSize({ kind: 'proportion', n: 1000, sum: 100 }, 1e-160, {
        alpha: 0.05,
        power: 0.8,
        difference: 'relative',
      }),
    ).toEqual({ perVariant: 0, error: 'INVALID_INPUT' });
    expect(planSampleSize({ ...base, effect: Number.NaN }).reason).toBe('INVALID_INPUT');
    expect(powerForEffect(Number.NaN, 1, { alpha: 0.05 })).toBe(0);
  });
});
