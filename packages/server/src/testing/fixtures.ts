import type { ExperienceDraft, FieldDraft, MetricDraft } from '@candor/schema';

/** A declared, non-sensitive field under personalization. */
export const ROLE_FIELD: FieldDraft = {
  key: 'role',
  type: 'string',
  source: 'declared',
  purpose: 'personalization',
  category: 'none',
  origin: 'first_party',
  retentionDays: 180,
  label: { en: 'Your role', 'zh-Hant': '您的職務' },
  question: { en: 'What is your role?', 'zh-Hant': '您的職務是什麼？' },
  whyWeAsk: { en: 'To show examples for your job.', 'zh-Hant': '為了顯示與您工作相關的範例。' },
  whatYouGet: { en: 'Relevant examples.', 'zh-Hant': '相關的範例。' },
  options: [
    { value: 'developer', label: { en: 'Developer', 'zh-Hant': '開發者' } },
    { value: 'marketer', label: { en: 'Marketer', 'zh-Hant': '行銷人員' } },
  ],
};

/** A capped mean metric. */
export const REVENUE_METRIC: MetricDraft = { id: 'revenue', name: 'Revenue', kind: 'mean', cap: 100 };
/** A conversion metric. */
export const SIGNUP_METRIC: MetricDraft = { id: 'signup', name: 'Signup', kind: 'proportion' };

/** A personalization for developers with a holdout. */
export const HERO_EXPERIENCE: ExperienceDraft = {
  id: 'hero-dev',
  name: 'Hero for developers',
  kind: 'personalization',
  audiences: ['developers'],
  variants: [
    {
      id: 'dev',
      name: 'Developer hero',
      content: { hero: { type: 'text', text: { en: 'Build faster', 'zh-Hant': '更快開發' } } },
    },
  ],
  holdout: 0.1,
  coverage: 1,
  allocation: 'fixed',
  hashVersion: 2,
  seed: 'hero-dev',
  goals: ['signup', 'revenue'],
};
