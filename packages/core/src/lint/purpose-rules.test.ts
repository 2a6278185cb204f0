import { describe, expect, it } from 'vitest';
import { draftWith, PURPOSES } from '../../test/lint-draft-fixtures.js';
import type { Purpose, PurposeClass } from '../types.js';
import { lint } from './lint.js';

const purpose = (cls: PurposeClass, legalBasis: Purpose['legalBasis']): Purpose => ({
  ...(PURPOSES[1] as Purpose),
  id: 'probe',
  class: cls,
  legalBasis,
});

describe('purpose rules: TCF v2.2 purposes 3–6 allow consent only', () => {
  it.each(['behavioural', 'measurement', 'cross_site'] as const)('%s on legitimate interest is an error', (cls) => {
    const [finding] = lint(draftWith({ purposes: [purpose(cls, 'legitimate_interest')] }));
    expect(finding).toMatchObject({
      code: 'purpose_legitimate_interest',
      severity: 'error',
      location: { entity: 'purpose', id: 'probe', path: 'legalBasis' },
      fingerprint: 'purpose_legitimate_interest@purpose:probe:legalBasis',
    });
    expect(finding?.message).toContain("'probe'");
  });

  it.each([
    ['behavioural', 'consent'],
    ['measurement', 'consent'],
    ['contextual', 'legitimate_interest'],
    ['essential', 'legitimate_interest'],
    ['essential', 'legal_obligation'],
  ] as const)('%s on %s is fine', (cls, basis) => {
    expect(lint(draftWith({ purposes: [purpose(cls, basis)] }))).toEqual([]);
  });
});
