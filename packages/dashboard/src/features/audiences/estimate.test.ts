import { DEFAULT_PURPOSES } from '@candor/core';
import { describe, expect, it } from 'vitest';
import type { WholeDraft } from '@candor/schema';
import { estimateExplanation, sampleValue } from './estimate.js';

const DRAFT = {
  purposes: DEFAULT_PURPOSES,
  fields: [
    {
      key: 'role',
      type: 'string',
      source: 'declared',
      purpose: 'personalization',
      category: 'none',
      origin: 'first_party',
      retentionDays: 180,
      label: { en: 'Your role', 'zh-Hant': '您的職務' },
      whyWeAsk: { en: 'w', 'zh-Hant': 'w' },
      whatYouGet: { en: 'g', 'zh-Hant': 'g' },
      options: [
        { value: 'developer', label: { en: 'Developer', 'zh-Hant': '開發者' } },
        { value: 'marketer', label: { en: 'Marketer', 'zh-Hant': '行銷人員' } },
      ],
    },
  ],
  audiences: [],
  experiences: [],
  metrics: [],
} as unknown as WholeDraft;

const SITE = {
  siteKey: 'shop',
  name: 'Shop',
  defaultLanguage: 'en',
  policyVersion: '1',
  explainDefaults: true,
} as const;

describe('sample values satisfy their rule', () => {
  it.each([
    [{ field: 'n', operator: '$gt', value: 3 } as const, 4],
    [{ field: 'n', operator: '$lt', value: 3 } as const, 2],
    [{ field: 'r', operator: '$in', value: ['a', 'b'] } as const, 'a'],
    [{ field: 'r', operator: '$eq', value: 'x' } as const, 'x'],
  ])('%j → %j', (rule, expected) => {
    expect(sampleValue(rule)).toEqual(expected);
  });

  it('picks another option for $ne and $nin', () => {
    expect(sampleValue({ field: 'r', operator: '$ne', value: 'developer' }, ['developer', 'marketer'])).toBe(
      'marketer',
    );
    expect(sampleValue({ field: 'r', operator: '$nin', value: ['developer'] }, ['developer', 'marketer'])).toBe(
      'marketer',
    );
  });
});

describe('the explanation estimate', () => {
  it('reads as the visitor would, naming the value they gave, in their language', () => {
    const audience = { id: 'devs', name: 'Developers', condition: { role: { $eq: 'developer' } } };
    const rules = [{ field: 'role', operator: '$eq', value: 'developer' } as const];
    const en = estimateExplanation(DRAFT, audience, rules, SITE, 'en', Date.UTC(2026, 0, 1));
    expect(en?.variant).not.toBeNull();
    expect(en?.text.mainReason).toContain('Developer');
    const zh = estimateExplanation(DRAFT, audience, rules, SITE, 'zh-Hant', Date.UTC(2026, 0, 1));
    expect(zh?.text.mainReason).toContain('開發者');
  });
});
