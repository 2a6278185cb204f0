import { DEFAULT_PURPOSES } from '@candor/core';
import { PurposeDraft } from '@candor/schema';
import { describe, expect, it } from 'vitest';
import { formToPurpose, purposeToForm } from './purpose-form.js';

describe('purpose form ↔ draft', () => {
  it.each(DEFAULT_PURPOSES.map((purpose) => [purpose.id, purpose] as const))(
    'round-trips the default purpose %s',
    (_id, purpose) => {
      const parsed = PurposeDraft.parse(purpose);
      expect(formToPurpose(purposeToForm(parsed))).toEqual(parsed);
    },
  );

  it('reads TCF numbers typed as text', () => {
    const form = { ...purposeToForm(undefined), id: 'p', tcfPurposes: '5, 6', tcfSpecial: '' };
    expect(formToPurpose(form).tcf).toEqual({ purposes: [5, 6], specialPurposes: [] });
  });
});
