import { describe, expect, it } from 'vitest';
import { diffDraft, stableJson } from './draft-diff.js';

describe('diffDraft', () => {
  it('lists placed questions too, so a publish shows them before they reach visitors', () => {
    const ask = { id: 'ask-role', field: 'role', selector: '#hero', position: 'after' };
    expect(diffDraft({}, { placements: [ask] })).toMatchObject([
      { kind: 'placements', id: 'ask-role', change: 'added' },
    ]);
    expect(diffDraft({ placements: [ask] }, { placements: [{ ...ask, position: 'before' }] })).toMatchObject([
      { kind: 'placements', id: 'ask-role', change: 'changed', properties: ['position'] },
    ]);
  });

  it('lists added, removed and changed entities with the changed properties', () => {
    const live = {
      audiences: [
        { id: 'devs', name: 'Devs', condition: { role: 'developer' } },
        { id: 'old', name: 'Old', condition: {} },
      ],
      fields: [{ key: 'role', retentionDays: 90 }],
    };
    const draft = {
      audiences: [
        { id: 'devs', name: 'Developers', condition: { role: 'developer' } },
        { id: 'new', name: 'New', condition: {} },
      ],
      fields: [{ retentionDays: 90, key: 'role' }],
    };
    expect(
      diffDraft(live, draft).map(({ kind, id, change, properties }) => ({ kind, id, change, properties })),
    ).toEqual([
      { kind: 'audiences', id: 'devs', change: 'changed', properties: ['name'] },
      { kind: 'audiences', id: 'new', change: 'added', properties: [] },
      { kind: 'audiences', id: 'old', change: 'removed', properties: [] },
    ]);
  });

  it('treats everything as added before the first publish', () => {
    expect(diffDraft(undefined, { metrics: [{ id: 'signup' }] })).toMatchObject([
      { kind: 'metrics', id: 'signup', change: 'added' },
    ]);
  });

  it('ignores key order', () => {
    expect(stableJson({ b: 1, a: { d: 1, c: 2 } })).toBe(stableJson({ a: { c: 2, d: 1 }, b: 1 }));
  });
});
