import { describe, expect, it } from 'vitest';
import { DEFAULT_PURPOSES } from '@candor/core';
import type { WholeDraft } from '@candor/schema';
import { draftSnapshot, runPreview, slotsOf } from './run-preview.js';

const NOW = Date.UTC(2026, 5, 1);

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
      whyWeAsk: { en: 'To show examples for your job.', 'zh-Hant': '為了顯示範例。' },
      whatYouGet: { en: 'Relevant examples.', 'zh-Hant': '相關的範例。' },
      options: [{ value: 'developer', label: { en: 'Developer', 'zh-Hant': '開發者' } }],
    },
  ],
  audiences: [{ id: 'developers', name: 'Developers', condition: { role: { $eq: 'developer' } } }],
  experiences: [
    {
      id: 'hero-dev',
      name: 'Hero for developers',
      kind: 'personalization',
      audiences: ['developers'],
      variants: [
        { id: 'dev', name: 'Dev hero', content: { hero: { type: 'text', text: { en: 'Build', 'zh-Hant': '開發' } } } },
      ],
      holdout: 0,
      coverage: 1,
      allocation: 'fixed',
      hashVersion: 2,
      seed: 'hero-dev',
      goals: [],
    },
  ],
  metrics: [],
} as unknown as WholeDraft;

const SITE = {
  siteKey: 'shop',
  name: 'Shop',
  defaultLanguage: 'en',
  policyVersion: '1',
  explainDefaults: true,
} as const;

describe('preview as a visitor', () => {
  const snapshot = draftSnapshot(DRAFT, SITE, NOW);

  it('finds every slot experiences write to', () => {
    expect(slotsOf(snapshot)).toEqual(['hero']);
  });

  it('shows the personalized variant with the explanation a consenting developer reads', () => {
    const [row] = runPreview(
      snapshot,
      {
        values: { role: 'developer' },
        granted: { personalization: true },
        gpc: false,
        language: 'en',
        visitorId: 'v1',
      },
      NOW,
    );
    expect(row?.decision.variant?.id).toBe('dev');
    expect(row?.explanation.text.mainReason).toContain('Developer');
  });

  it('shows default content when personalization is not granted, and says so in zh-Hant', () => {
    const [row] = runPreview(
      snapshot,
      { values: { role: 'developer' }, granted: {}, gpc: false, language: 'zh-Hant', visitorId: 'v1' },
      NOW,
    );
    expect(row?.decision.variant).toBeNull();
    expect(row?.explanation.language).toBe('zh-Hant');
  });

  it('honours GPC over an earlier grant', () => {
    const [row] = runPreview(
      snapshot,
      { values: { role: 'developer' }, granted: { personalization: true }, gpc: true, language: 'en', visitorId: 'v1' },
      NOW,
    );
    expect(row?.decision.variant).toBeNull();
  });
});
