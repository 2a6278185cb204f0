/**
 * Test-only drafts for the linter: a baseline that lints clean, and builders that change one thing,
 * so each test shows exactly what triggers a finding.
 */
import type { Audience, Experience, Field, LocalizedText, Purpose } from '../src/types.js';
import type { LintDraft } from '../src/lint/lint.js';

/** A localized text from its two languages. */
export const text = (en: string, zhHant: string): LocalizedText => ({ en, 'zh-Hant': zhHant });

/** The baseline's purposes: contextual (legitimate interest is fine there), personalization and measurement. */
export const PURPOSES: readonly Purpose[] = [
  {
    id: 'contextual',
    class: 'contextual',
    name: text('Page context', '頁面情境'),
    description: text('Adapt content to the page you are on.', '依您所在的頁面調整內容。'),
    legalBasis: 'legitimate_interest',
  },
  {
    id: 'personalization',
    class: 'behavioural',
    name: text('Personalization', '個人化'),
    description: text('Use what you tell us to show relevant examples.', '依您告訴我們的資訊顯示相關範例。'),
    legalBasis: 'consent',
  },
  {
    id: 'measurement',
    class: 'measurement',
    name: text('Measurement', '成效衡量'),
    description: text('Count which version works better, in aggregate.', '彙總計算哪個版本效果較好。'),
    legalBasis: 'consent',
  },
];

/** A declared field with every text, under the personalization purpose. */
export function declaredField(key: string, label: LocalizedText, overrides: Partial<Field> = {}): Field {
  return {
    key,
    type: 'string',
    source: 'declared',
    purpose: 'personalization',
    category: 'none',
    origin: 'first_party',
    retentionDays: 180,
    label,
    question: text(`What is your ${label.en.toLowerCase()}?`, `您的${label['zh-Hant']}是？`),
    whyWeAsk: text('So we can show examples that fit.', '讓我們顯示適合您的範例。'),
    whatYouGet: text('Examples closer to your work.', '更貼近您工作的範例。'),
    ...overrides,
  };
}

/** A context field (page facts), which needs no question. */
export function contextField(key: string, label: LocalizedText, overrides: Partial<Field> = {}): Field {
  const { question: _question, ...field } = declaredField(key, label, { source: 'context', purpose: 'contextual' });
  return { ...field, ...overrides };
}

/** The baseline's fields: a declared role and the page language. */
export const FIELDS: readonly Field[] = [
  declaredField('role', text('Role', '職務'), {
    options: [
      { value: 'developer', label: text('Developer', '開發者') },
      { value: 'marketer', label: text('Marketer', '行銷人員') },
    ],
  }),
  contextField('language', text('Page language', '頁面語言')),
];

/** An audience over `condition`. */
export const audience = (id: string, condition: Record<string, unknown>): Audience => ({ id, name: id, condition });

/** A personalization with a 10% holdout and one text variant in the `hero` slot. */
export function experience(id: string, overrides: Partial<Experience> = {}): Experience {
  return {
    id,
    name: `Hero for ${id}`,
    kind: 'personalization',
    audiences: ['developers'],
    variants: [
      { id: 'default', name: 'Default', content: {} },
      {
        id: 'dev',
        name: 'Developer hero',
        content: {
          hero: { type: 'text', text: text('Ship your first experience today.', '今天就上線您的第一個體驗。') },
        },
      },
    ],
    holdout: 0.1,
    coverage: 1,
    allocation: 'fixed',
    hashVersion: 2,
    seed: id,
    goals: ['signup'],
    ...overrides,
  };
}

/** A draft that lints with no findings at all. */
export const BASELINE: LintDraft = {
  purposes: PURPOSES,
  fields: FIELDS,
  audiences: [audience('developers', { role: 'developer' })],
  experiences: [experience('hero-dev')],
  metrics: [{ id: 'signup', name: 'Sign-up', kind: 'proportion' }],
};

/** The baseline with entities added (or replaced, by id or key). */
export function draftWith(extra: {
  purposes?: readonly Purpose[];
  fields?: readonly Field[];
  audiences?: readonly Audience[];
  experiences?: readonly Experience[];
  savedGroups?: LintDraft['savedGroups'];
}): LintDraft {
  const merge = <T>(base: readonly T[], more: readonly T[] | undefined, idOf: (item: T) => string): T[] => {
    const replaced = new Set((more ?? []).map(idOf));
    return [...base.filter((item) => !replaced.has(idOf(item))), ...(more ?? [])];
  };
  return {
    purposes: merge(BASELINE.purposes, extra.purposes, (purpose) => purpose.id),
    fields: merge(BASELINE.fields, extra.fields, (field) => field.key),
    audiences: merge(BASELINE.audiences, extra.audiences, (item) => item.id),
    experiences: merge(BASELINE.experiences, extra.experiences, (item) => item.id),
    metrics: BASELINE.metrics,
    ...(extra.savedGroups === undefined ? {} : { savedGroups: extra.savedGroups }),
  };
}
