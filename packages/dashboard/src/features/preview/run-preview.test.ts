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

describe('preview of a personalization measured against a holdout (issue 10, defect 2)', () => {
  // The same experience with a 10% holdout, previewed with "Accept all": the preview must read
  // exactly as the visitor's "Why?" does, for the visitor who got the variant and the one held out.
  const withHoldout = {
    ...DRAFT,
    experiences: DRAFT.experiences.map((experience) => ({ ...experience, holdout: 0.1 })),
  } as WholeDraft;
  const snapshot = draftSnapshot(withHoldout, SITE, NOW);
  const acceptAll = { personalization: true, measurement: true, contextual: true };
  const rowFor = (visitorId: string, language: 'en' | 'zh-Hant') =>
    runPreview(
      snapshot,
      { values: { role: 'developer' }, granted: acceptAll, gpc: false, language, visitorId },
      NOW,
    )[0]!;
  const visitorWith = (reason: 'SPLIT' | 'HOLDOUT'): string => {
    for (let i = 0; i < 200; i++) if (rowFor(`p${i}`, 'en').decision.reason === reason) return `p${i}`;
    throw new Error(`no sample visitor among 200 got ${reason}`);
  };

  it('names the role and the holdout for the visitor who got the variant, with the counterfactual', () => {
    const id = visitorWith('SPLIT');
    const en = rowFor(id, 'en').explanation;
    expect(en.text.mainReason).toBe(
      "You're seeing this because you told us your Your role is Developer. A small share of visitors who match, picked at random, see the standard version instead, so we can measure whether this helps.",
    );
    expect(en.text.counterfactual).toBe(
      "If you remove what you told us about your Your role, you'll see the standard version.",
    );
    const zh = rowFor(id, 'zh-Hant').explanation;
    expect(zh.text.mainReason).toContain('您告訴我們您的您的職務是「開發者」');
    expect(zh.text.mainReason).toContain('一小部分會被隨機選中、改為看到標準版本');
    expect(zh.text.counterfactual).toBe('如果您移除告訴我們的您的職務，您將看到標準版本。');
  });

  it('names the role and why the held-out visitor sees the standard version', () => {
    const id = visitorWith('HOLDOUT');
    const en = rowFor(id, 'en').explanation;
    expect(en.signals.map((signal) => signal.key)).toEqual(['role']);
    expect(en.text.mainReason).toContain('because you told us your Your role is Developer');
    expect(en.text.mainReason).toContain("You're seeing the standard version because you're in a small share");
    expect(rowFor(id, 'zh-Hant').explanation.text.mainReason).toContain(
      '您看到的是標準版本，因為您被隨機分到這些訪客中的一小部分',
    );
  });
});

describe('preview on an English-only site', () => {
  // The role field written in English only: what an English-only site saves.
  const english = {
    ...DRAFT,
    fields: DRAFT.fields.map((field) => ({
      ...field,
      label: { en: 'Your role', 'zh-Hant': '' },
      options: [{ value: 'developer', label: { en: 'Developer', 'zh-Hant': '' } }],
    })),
  } as WholeDraft;
  const snapshot = draftSnapshot(english, { ...SITE, languages: ['en'] }, NOW);

  it('previews the snapshot publish would freeze: every text present, from the default language', () => {
    expect(snapshot.fields[0]?.label).toEqual({ en: 'Your role', 'zh-Hant': 'Your role' });
  });

  it('explains in the site language to a visitor who prefers one the site does not write', () => {
    const [row] = runPreview(
      snapshot,
      {
        values: { role: 'developer' },
        granted: { personalization: true },
        gpc: false,
        language: 'zh-Hant',
        visitorId: 'v1',
      },
      NOW,
    );
    expect(row?.explanation.language).toBe('en');
    expect(row?.explanation.text.mainReason).toBe(
      "You're seeing this because you told us your Your role is Developer.",
    );
  });
});
