import { DEFAULT_QUESTION_LIMITS, SiteSettingsInput } from '@candor/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readQuestionLimits, showQuestionLimits } from './question-limits-input.js';

const SETTINGS = {
  name: 'Shop',
  defaultLanguage: 'en',
  policyVersion: '1',
  explainDefaults: true,
  allowedOrigins: [],
  ledgerRetentionDays: 365,
};
const accepts = (perPage: string, perVisit: string) =>
  SiteSettingsInput.safeParse({ ...SETTINGS, questionLimits: readQuestionLimits({ perPage, perVisit }) }).success;

describe('the site form’s question limits', () => {
  it('shows the SDK’s defaults for a site that set none, and the site’s own otherwise', () => {
    expect(showQuestionLimits(undefined)).toEqual({ perPage: '1', perVisit: '2' });
    expect(DEFAULT_QUESTION_LIMITS).toEqual({ perPage: 1, perVisit: 2 });
    expect(showQuestionLimits({ perPage: 0, perVisit: 7 })).toEqual({ perPage: '0', perVisit: '7' });
  });

  it('round-trips every limit the schema accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 10 }), (perPage, perVisit) => {
        expect(readQuestionLimits(showQuestionLimits({ perPage, perVisit }))).toEqual({ perPage, perVisit });
        expect(accepts(String(perPage), String(perVisit))).toBe(true);
      }),
    );
  });

  it('refuses limits out of bounds, fractions and words instead of guessing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 4, max: 1_000_000 }).map(String),
          fc.integer({ min: -1000, max: -1 }).map(String),
          fc.constantFrom('1.5', 'one', '1e1', '0x2', '2 questions'),
        ),
        (bad) => {
          expect(accepts(bad, '2')).toBe(false);
        },
      ),
    );
    expect(accepts('1', '11')).toBe(false);
  });

  it('reads a cleared input as the default, so clearing never turns questions off', () => {
    expect(readQuestionLimits({ perPage: ' ', perVisit: '' })).toEqual(DEFAULT_QUESTION_LIMITS);
    expect(readQuestionLimits({ perPage: '0', perVisit: '0' })).toEqual({ perPage: 0, perVisit: 0 });
  });
});
