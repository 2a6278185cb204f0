import { describe, expect, it } from 'vitest';
import { load } from '../src/profile/profile-store.js';

describe('on-device profile record', () => {
  it('drops expired and malformed values on load', () => {
    const record = load(
      {
        version: 1,
        values: {
          role: { value: 'developer', source: 'declared', purpose: 'personalization', collectedAt: 1, expiresAt: 500 },
          old: { value: 'x', source: 'declared', purpose: 'personalization', collectedAt: 1, expiresAt: 99 },
          bad: { value: 'x' },
        },
      },
      100,
    );
    expect(Object.keys(record.values)).toEqual(['role']);
  });

  it('reads corrupt storage as an empty profile and reports it', () => {
    let reported = 0;
    expect(load('garbage', 1, () => (reported += 1))).toEqual({ version: 1, values: {} });
    expect(reported).toBe(1);
  });
});
