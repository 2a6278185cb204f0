// Issue 7, "Hostile input": localStorage is input too (another script on the page, a browser
// extension, a corrupted write). The on-device record loader never throws, keeps only well-formed
// values, and never lets a `__proto__` key become the prototype of what it returns.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { load } from '../src/profile/profile-store.js';

const NOW = Date.UTC(2026, 10, 29);
const ENTRY = `{"value":"developer","source":"declared","purpose":"personalization","collectedAt":1,"expiresAt":${NOW * 2}}`;

describe('on-device profile record from hostile storage', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('never throws and returns a version-1 record for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (junk) => {
        const record = load(junk, NOW, () => undefined);
        expect(record.version).toBe(1);
        expect(Object.getPrototypeOf(record.values)).toBe(Object.prototype);
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('keeps a "__proto__" entry as data: the values object keeps its prototype', () => {
    const raw = JSON.parse(
      `{"version":1,"values":{"__proto__":${ENTRY},"role":${ENTRY}},"skips":{"__proto__":${NOW * 2}},"impressions":{"__proto__":[1]}}`,
    ) as unknown;
    const record = load(raw, NOW);
    expect(Object.getPrototypeOf(record.values)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(record.skips ?? {})).toBe(Object.prototype);
    expect((record.values as Record<string, unknown>)['purpose']).toBeUndefined();
    expect(Object.keys(record.values)).toContain('role');
  });
});
