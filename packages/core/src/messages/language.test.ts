import { describe, expect, it } from 'vitest';
import { trellisSnapshot } from '../../test/fixtures.js';
import { messagesFor, pickLanguage, siteLanguage, validateSnapshot } from '../index.js';

describe('pickLanguage', () => {
  it.each([
    [['zh-TW'], 'zh-Hant'],
    [['zh-Hant-HK', 'en'], 'zh-Hant'],
    [['en-GB', 'zh-TW'], 'en'],
    [['fr', 'zh'], 'zh-Hant'],
    [['fr', 'de'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (preferences, expected) => {
    expect(pickLanguage(preferences)).toBe(expected);
  });

  it('falls back to the site default', () => {
    expect(pickLanguage(['ja'], 'zh-Hant')).toBe('zh-Hant');
  });
});

describe('message catalogs', () => {
  it('have the same shape in every language, with no empty text', () => {
    const shape = (value: unknown): unknown =>
      typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)]))
        : typeof value;
    expect(shape(messagesFor('zh-Hant'))).toEqual(shape(messagesFor('en')));
    const strings = (value: unknown): string[] =>
      typeof value === 'string'
        ? [value]
        : typeof value === 'object' && value !== null
          ? Object.values(value).flatMap(strings)
          : [];
    for (const text of [...strings(messagesFor('en')), ...strings(messagesFor('zh-Hant'))])
      expect(text.trim()).not.toBe('');
  });

  it('shows the California-required GPC wording', () => {
    expect(messagesFor('en').excluded.gpc).toContain('Opt-Out Preference Signal Honored');
  });
});

describe('siteLanguage', () => {
  const englishOnly = { defaultLanguage: 'en', languages: ['en'] } as const;
  const both = { defaultLanguage: 'zh-Hant', languages: ['en', 'zh-Hant'] } as const;

  it('picks the first preference the site writes its texts in', () => {
    expect(siteLanguage(['zh-TW', 'en'], both)).toBe('zh-Hant');
    expect(siteLanguage(['en-GB', 'zh-TW'], both)).toBe('en');
    expect(siteLanguage(['zh-TW', 'en-US'], englishOnly)).toBe('en');
  });

  it("falls back to the site's default when no preference is offered, however the visitor asks", () => {
    expect(siteLanguage(['zh-TW'], englishOnly)).toBe('en');
    expect(siteLanguage(['fr'], both)).toBe('zh-Hant');
    expect(siteLanguage(['en'], englishOnly, 'zh-Hant')).toBe('en');
    expect(siteLanguage([], { defaultLanguage: 'zh-Hant', languages: ['zh-Hant'] }, 'en')).toBe('zh-Hant');
  });

  it('treats a site without a language list as writing every language', () => {
    expect(siteLanguage(['zh-TW'], { defaultLanguage: 'en' })).toBe('zh-Hant');
    expect(siteLanguage([], { defaultLanguage: 'en' }, 'zh-Hant')).toBe('zh-Hant');
  });
});

describe('a snapshot names its languages', () => {
  const base = trellisSnapshot();
  it.each([
    [undefined, true],
    [['en'], true],
    [['en', 'zh-Hant'], true],
    [['zh-Hant'], false],
    [['en', 'fr'], false],
    ['en', false],
  ])('languages %j → valid %s', (languages, valid) => {
    const site = languages === undefined ? base.site : { ...base.site, languages };
    expect(validateSnapshot({ ...base, site }).ok).toBe(valid);
  });
});
