import type { Decision, Snapshot } from '@candor/core';
import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../src/profile/profile-store.js';
import {
  conversionDeltas,
  exposureDeltas,
  HOLDOUT_VARIANT,
  mergeDeltas,
  reportVariant,
} from '../src/measure/aggregate.js';

const snapshot = {
  experiences: [{ id: 'e', goals: ['signup', 'revenue'], variants: [] }],
  metrics: [
    { id: 'signup', name: 'Signup', kind: 'proportion' },
    { id: 'revenue', name: 'Revenue', kind: 'mean', cap: 100 },
  ],
} as unknown as Snapshot;

const decision = (over: Partial<Decision>): Decision =>
  ({ experienceId: 'e', enrolled: true, reason: 'SPLIT', variant: { id: 'b' }, ...over }) as Decision;
const empty: DeviceRecord = { version: 1, values: {} };

describe('aggregate measurement (PRIVACY.md §8)', () => {
  it('counts only enrolled decisions, holdouts under $holdout', () => {
    expect(reportVariant(decision({ enrolled: false }))).toBeUndefined();
    expect(reportVariant(decision({ reason: 'HOLDOUT', variant: null }))).toBe(HOLDOUT_VARIANT);
    expect(reportVariant(decision({}))).toBe('b');
  });

  it('counts a device once per experience', () => {
    const first = exposureDeltas(snapshot, empty, decision({}));
    expect(first.deltas).toEqual([
      { experience: 'e', variant: 'b', metric: 'signup', n: 1, sum: 0, sumSquares: 0 },
      { experience: 'e', variant: 'b', metric: 'revenue', n: 1, sum: 0, sumSquares: 0 },
    ]);
    expect(exposureDeltas(snapshot, first.record, decision({})).deltas).toEqual([]);
  });

  it('clips a visitor to the cap and sends the change in Σy and Σy²', () => {
    const exposed = exposureDeltas(snapshot, empty, decision({})).record;
    const a = conversionDeltas(snapshot, exposed, 'revenue', 60);
    expect(a.deltas).toEqual([{ experience: 'e', variant: 'b', metric: 'revenue', n: 0, sum: 60, sumSquares: 3600 }]);
    const b = conversionDeltas(snapshot, a.record, 'revenue', 60);
    expect(b.deltas).toEqual([{ experience: 'e', variant: 'b', metric: 'revenue', n: 0, sum: 40, sumSquares: 6400 }]);
    expect(conversionDeltas(snapshot, b.record, 'revenue', 5).deltas).toEqual([]);
  });

  it('counts a proportion at most once per visitor', () => {
    const exposed = exposureDeltas(snapshot, empty, decision({})).record;
    const once = conversionDeltas(snapshot, exposed, 'signup', 3);
    expect(once.deltas[0]).toMatchObject({ sum: 1, sumSquares: 1 });
    expect(conversionDeltas(snapshot, once.record, 'signup', 1).deltas).toEqual([]);
  });

  it('tags exposures and later conversions with the bandit segment the visitor was split in', () => {
    const exposed = exposureDeltas(snapshot, empty, decision({ segment: 'developers' }));
    expect(exposed.deltas.map((delta) => delta.segment)).toEqual(['developers', 'developers']);
    // The device remembers the segment, so a conversion days later counts in the same segment.
    const converted = conversionDeltas(snapshot, exposed.record, 'signup', 1);
    expect(converted.deltas).toEqual([
      { experience: 'e', variant: 'b', metric: 'signup', n: 0, sum: 1, sumSquares: 1, segment: 'developers' },
    ]);
    // Without a segment nothing is tagged.
    const plain = exposureDeltas(snapshot, empty, decision({ segment: null }));
    expect(plain.deltas.every((delta) => !('segment' in delta))).toBe(true);
  });

  it('keeps segments apart when merging, since the server counts each in its own cell', () => {
    const cell = { experience: 'e', variant: 'b', metric: 'signup', n: 1, sum: 0, sumSquares: 0 };
    expect(mergeDeltas([cell, { ...cell, segment: 'developers' }, { ...cell, segment: 'developers' }, cell])).toEqual([
      { ...cell, n: 2 },
      { ...cell, segment: 'developers', n: 2 },
    ]);
  });

  it('sends nothing for a visitor never exposed', () => {
    expect(conversionDeltas(snapshot, empty, 'signup', 1).deltas).toEqual([]);
  });

  it('merges deltas of one cell', () => {
    const cell = { experience: 'e', variant: 'b', metric: 'signup' };
    expect(
      mergeDeltas([
        { ...cell, n: 1, sum: 0, sumSquares: 0 },
        { ...cell, n: 0, sum: 1, sumSquares: 1 },
      ]),
    ).toEqual([{ ...cell, n: 1, sum: 1, sumSquares: 1 }]);
  });
});
