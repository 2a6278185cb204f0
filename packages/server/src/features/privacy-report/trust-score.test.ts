import { lint, type Snapshot } from '@candor/core';
import { describe, expect, it } from 'vitest';
import { trustScore } from './service.js';

const text = (en: string, zhHant: string) => ({ en, 'zh-Hant': zhHant });

// A live snapshot whose author declared every field 'none': the old score trusted the declaration
// and gave full marks to a `lifestage` field whose options are pregnancy (issue 10, defect 4).
function snapshotWith(options: { value: string; label: { en: string; 'zh-Hant': string } }[], interruptive: boolean) {
  return {
    schemaVersion: '1.0',
    version: 3,
    publishedAt: 0,
    site: {
      siteKey: 'shop',
      name: 'Shop',
      defaultLanguage: 'en',
      languages: ['en', 'zh-Hant'],
      policyVersion: '1',
      explainDefaults: true,
    },
    purposes: [
      {
        id: 'personalization',
        class: 'behavioural',
        name: text('P', '個'),
        description: text('P', '個'),
        legalBasis: 'consent',
      },
    ],
    fields: [
      {
        key: 'lifestage',
        type: 'string',
        source: 'declared',
        purpose: 'personalization',
        category: 'none',
        origin: 'first_party',
        retentionDays: 180,
        label: text('Life stage', '人生階段'),
        question: text('Which life stage are you in?', '您目前的人生階段？'),
        whyWeAsk: text('To show what fits.', '顯示適合的內容。'),
        whatYouGet: text('Relevant offers.', '相關優惠。'),
        options,
      },
    ],
    audiences: [{ id: 'stage', name: 'Stage', condition: { lifestage: options[0]?.value ?? 'x' } }],
    experiences: [
      {
        id: 'hero',
        name: 'Hero',
        kind: 'personalization',
        audiences: ['stage'],
        variants: [
          { id: 'default', name: 'Default', content: {} },
          { id: 'v', name: 'V', interruptive, content: { hero: { type: 'text', text: text('Hello', '你好') } } },
        ],
        holdout: 0.1,
        coverage: 1,
        allocation: 'fixed',
        hashVersion: 2,
        seed: 'hero',
        goals: [],
      },
    ],
    metrics: [],
  } as unknown as Snapshot;
}

const itemOf = (snapshot: Snapshot, id: string) =>
  trustScore(snapshot, [], lint(snapshot as unknown as Parameters<typeof lint>[0])).breakdown.find(
    (item) => item.id === id,
  );

describe('trust score: counts what the linter finds, not only declared categories', () => {
  it('gives no sensitive-data points to a field the linter finds sensitive by its options', () => {
    const snapshot = snapshotWith([{ value: 'pregnant', label: text('Pregnant', '懷孕中') }], false);
    expect(itemOf(snapshot, 'no_sensitive_fields')).toMatchObject({ points: 0 });
    expect(itemOf(snapshot, 'no_lint_warnings')).toMatchObject({ points: 0 });
  });

  it('takes points for warnings that were acknowledged at publish', () => {
    const snapshot = snapshotWith([{ value: 'student', label: text('Student', '學生') }], true);
    const item = itemOf(snapshot, 'no_lint_warnings');
    expect(item).toMatchObject({ points: 5, max: 10 });
    expect(item?.detail).toContain('interruptive_without_cap');
  });

  it('gives full points to a clean configuration', () => {
    const snapshot = snapshotWith([{ value: 'student', label: text('Student', '學生') }], false);
    expect(itemOf(snapshot, 'no_lint_warnings')).toMatchObject({ points: 10, detail: 'none' });
    expect(itemOf(snapshot, 'no_sensitive_fields')).toMatchObject({ points: 20 });
  });
});
