import { describe, expect, it } from 'vitest';
import { FieldDraft, fillLanguages, missingTexts, PurposeDraft, siteLanguages } from '../src/index.js';

// An English-only site's field: no Traditional Chinese anywhere (issue 10, defect 5).
const englishField = {
  key: 'role',
  type: 'string',
  source: 'declared',
  purpose: 'personalization',
  category: 'none',
  origin: 'first_party',
  retentionDays: 180,
  label: { en: 'Your role' },
  question: { en: 'What do you do?' },
  whyWeAsk: { en: 'To show examples for your job.' },
  whatYouGet: { en: 'Relevant examples.' },
  options: [{ value: 'developer', label: { en: 'Developer' } }],
};

describe('site languages', () => {
  it('lets a draft leave out a language, which reads as empty', () => {
    const parsed = FieldDraft.parse(englishField);
    expect(parsed.label).toEqual({ en: 'Your role', 'zh-Hant': '' });
    expect(parsed.options?.[0]?.label).toEqual({ en: 'Developer', 'zh-Hant': '' });
  });

  it('still refuses a required text written in no language at all', () => {
    expect(FieldDraft.safeParse({ ...englishField, label: { en: ' ' } }).success).toBe(false);
  });

  it("requires the texts only in the site's languages, and says what to do", () => {
    const field = FieldDraft.parse(englishField);
    expect(missingTexts('fields', field, ['en'])).toEqual([]);
    expect(missingTexts('fields', field, ['en', 'zh-Hant'])).toEqual([
      {
        path: 'label.zh-Hant',
        message: "write the Traditional Chinese label, or remove Traditional Chinese from the site's languages",
      },
    ]);
    const purpose = PurposeDraft.parse({
      id: 'p',
      class: 'behavioural',
      name: { 'zh-Hant': '個人化' },
      description: { 'zh-Hant': '說明' },
      legalBasis: 'consent',
    });
    expect(missingTexts('purposes', purpose, ['zh-Hant'])).toEqual([]);
    expect(missingTexts('purposes', purpose, ['zh-Hant', 'en']).map((problem) => problem.path)).toEqual([
      'name.en',
      'description.en',
    ]);
  });

  it('always includes the default language, first', () => {
    expect(siteLanguages({ defaultLanguage: 'en', languages: ['en'] })).toEqual(['en']);
    expect(siteLanguages({ defaultLanguage: 'zh-Hant', languages: ['en'] })).toEqual(['zh-Hant', 'en']);
    expect(siteLanguages({ defaultLanguage: 'en' })).toEqual(['en', 'zh-Hant']);
  });

  it("fills every text in every language for the snapshot, from the site's default", () => {
    const filled = fillLanguages(FieldDraft.parse(englishField), ['en'], 'en');
    expect(filled.label).toEqual({ en: 'Your role', 'zh-Hant': 'Your role' });
    expect(filled.options?.[0]?.label).toEqual({ en: 'Developer', 'zh-Hant': 'Developer' });
    expect(filled.key).toBe('role');
    // A bilingual site's empty text falls back to the default; a written one stays.
    const both = fillLanguages(
      { a: { en: 'Hi', 'zh-Hant': '' }, b: { en: 'Yes', 'zh-Hant': '是' } },
      ['en', 'zh-Hant'],
      'en',
    );
    expect(both).toEqual({ a: { en: 'Hi', 'zh-Hant': 'Hi' }, b: { en: 'Yes', 'zh-Hant': '是' } });
    // A language the site does not write is never shown, even if some text lingers in it.
    expect(fillLanguages({ t: { en: 'Hi', 'zh-Hant': '舊' } }, ['en'], 'en')).toEqual({
      t: { en: 'Hi', 'zh-Hant': 'Hi' },
    });
  });

  it('for the linter, fills only the languages the site does not write: an empty one stays missing', () => {
    expect(fillLanguages({ t: { en: 'Hi', 'zh-Hant': '' } }, ['en'], 'en', { onlyUnwritten: true })).toEqual({
      t: { en: 'Hi', 'zh-Hant': 'Hi' },
    });
    expect(fillLanguages({ t: { en: 'Hi', 'zh-Hant': '' } }, ['en', 'zh-Hant'], 'en', { onlyUnwritten: true })).toEqual(
      { t: { en: 'Hi', 'zh-Hant': '' } },
    );
  });
});
