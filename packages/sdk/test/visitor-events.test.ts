import type { Decision, Snapshot } from '@candor/core';
import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../src/profile/profile-store.js';
import {
  conversionEvent,
  exposureEvent,
  HOLDOUT_VARIANT,
  leftExperiences,
  reportVariant,
} from '../src/measure/visitor-events.js';

const snapshot = {
  experiences: [{ id: 'e', goals: ['signup', 'revenue'], variants: [] }],
  metrics: [
    { id: 'signup', name: 'Signup', kind: 'proportion' },
    { id: 'revenue', name: 'Revenue', kind: 'mean', cap: 100 },
    { id: 'other', name: 'Other', kind: 'proportion' },
  ],
} as unknown as Snapshot;

const decision = (over: Partial<Decision>): Decision =>
  ({ experienceId: 'e', enrolled: true, reason: 'SPLIT', variant: { id: 'b' }, ...over }) as Decision;
const empty: DeviceRecord = { version: 1, values: {} };

describe('visitor measurement events', () => {
  it('counts only enrolled decisions, holdouts under $holdout', () => {
    expect(reportVariant(decision({ enrolled: false }))).toBeUndefined();
    expect(reportVariant(decision({ reason: 'HOLDOUT', variant: null }))).toBe(HOLDOUT_VARIANT);
    expect(reportVariant(decision({}))).toBe('b');
  });

  it('sends one exposure per experience and remembers the variant (and segment)', () => {
    const first = exposureEvent(empty, decision({ segment: 'devs' }));
    expect(first.event).toEqual({ experience: 'e', variant: 'b', segment: 'devs' });
    expect(first.record.measured?.['e']).toEqual({ variant: 'b', segment: 'devs' });
    expect(exposureEvent(first.record, decision({})).event).toBeUndefined();
    expect(exposureEvent(empty, decision({ enrolled: false })).event).toBeUndefined();
  });

  it('sends a conversion only for a metric an experience this device is counted in watches', () => {
    const counted = exposureEvent(empty, decision({})).record;
    expect(conversionEvent(snapshot, empty, 'signup', 1)).toBeUndefined();
    expect(conversionEvent(snapshot, counted, 'signup', 1)).toEqual({ metric: 'signup', value: 1 });
    expect(conversionEvent(snapshot, counted, 'other', 1)).toBeUndefined();
    expect(conversionEvent(snapshot, counted, 'revenue', -5)).toEqual({ metric: 'revenue', value: 0 });
    expect(conversionEvent(snapshot, counted, 'revenue', Number.NaN)).toBeUndefined();
    expect(conversionEvent(snapshot, counted, 'revenue', 1e12)?.value).toBe(1_000_000);
  });

  it('leaves an experience whose content changed after the visitor took data back, once', () => {
    const counted = exposureEvent(empty, decision({})).record;
    expect(leftExperiences(counted, [decision({})]).left).toEqual([]);
    const after = leftExperiences(counted, [decision({ enrolled: false, variant: null, reason: 'DEFAULT' })]);
    expect(after.left).toEqual(['e']);
    expect(conversionEvent(snapshot, after.record, 'signup', 1)).toBeUndefined();
    expect(leftExperiences(after.record, []).left).toEqual([]);
  });
});
