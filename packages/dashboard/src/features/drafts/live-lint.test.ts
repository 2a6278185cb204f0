import { DEFAULT_PURPOSES } from '@candor/core';
import { describe, expect, it } from 'vitest';
import type { WholeDraft } from '@candor/schema';
import { draftWith, liveFindings } from './live-lint.js';

const EMPTY = {
  purposes: DEFAULT_PURPOSES,
  fields: [],
  audiences: [],
  experiences: [],
  metrics: [],
} as unknown as WholeDraft;

const field = (key: string, label: string, category = 'none') => ({
  key,
  type: 'string',
  source: 'declared',
  purpose: 'personalization',
  category,
  origin: 'first_party',
  retentionDays: 90,
  label: { en: label, 'zh-Hant': label },
  question: { en: `${label}?`, 'zh-Hant': `${label}？` },
  whyWeAsk: { en: 'Why', 'zh-Hant': '為何' },
  whatYouGet: { en: 'What', 'zh-Hant': '什麼' },
});

describe('live lint in the editors', () => {
  it('refuses a sensitive field by its declared category', () => {
    const findings = liveFindings(EMPTY, 'fields', field('x', 'Thing', 'S.health'));
    expect(findings.some((f) => f.severity === 'error' && f.code === 'field_sensitive_category')).toBe(true);
  });

  it('refuses a field whose words reveal a sensitive category, in English or Chinese', () => {
    expect(liveFindings(EMPTY, 'fields', field('religion', 'Your religion')).some((f) => f.severity === 'error')).toBe(
      true,
    );
    expect(liveFindings(EMPTY, 'fields', field('q1', '您的宗教')).some((f) => f.severity === 'error')).toBe(true);
  });

  it('finds nothing wrong with a plain declared field', () => {
    expect(liveFindings(EMPTY, 'fields', field('role', 'Your role'))).toEqual([]);
  });

  it('flags an audience reading an undeclared field', () => {
    const audience = { id: 'a', name: 'A', condition: { shoe_size: { $gt: 40 } } };
    expect(liveFindings(EMPTY, 'audiences', audience).map((f) => f.code)).toContain('condition_undeclared_field');
  });

  it('replaces an entity renamed in the editor instead of adding a second one', () => {
    const draft = draftWith(EMPTY, 'metrics', { id: 'a', name: 'A', kind: 'proportion' });
    expect(draftWith(draft, 'metrics', { id: 'b', name: 'B', kind: 'proportion' }, 'a').metrics).toEqual([
      { id: 'b', name: 'B', kind: 'proportion' },
    ]);
  });

  it("checks texts in the site's languages only: an English-only site's field has no missing text", () => {
    const english = {
      ...field('role', 'Role'),
      label: { en: 'Role', 'zh-Hant': '' },
      question: { en: 'Role?', 'zh-Hant': '' },
      whyWeAsk: { en: 'Why', 'zh-Hant': '' },
      whatYouGet: { en: 'What', 'zh-Hant': '' },
    };
    const codes = (site?: { defaultLanguage: 'en'; languages: ('en' | 'zh-Hant')[] }) =>
      liveFindings(EMPTY, 'fields', english, undefined, site).map((finding) => finding.code);
    expect(codes({ defaultLanguage: 'en', languages: ['en'] })).not.toContain('field_missing_text');
    expect(codes({ defaultLanguage: 'en', languages: ['en', 'zh-Hant'] })).toContain('field_missing_text');
  });
});
