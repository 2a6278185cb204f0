import { describe, expect, it } from 'vitest';
import { formToMetric } from './metrics-page.js';

describe('metric form → draft', () => {
  const form = { id: ' bounce ', name: 'Bounce rate', kind: 'proportion' as const, cap: '', inverse: true };

  it('marks a lower-is-better metric, and leaves the flag out when unticked', () => {
    expect(formToMetric(form)).toEqual({ id: 'bounce', name: 'Bounce rate', kind: 'proportion', inverse: true });
    expect(formToMetric({ ...form, inverse: false })).not.toHaveProperty('inverse');
  });

  it('keeps what it does not edit and drops a cleared cap or flag', () => {
    const original = { id: 'bounce', name: 'B', kind: 'mean' as const, cap: 10, inverse: true, future: 1 };
    expect(formToMetric({ ...form, kind: 'mean', cap: '', inverse: false }, original)).toEqual({
      id: 'bounce',
      name: 'Bounce rate',
      kind: 'mean',
      future: 1,
    });
  });
});
