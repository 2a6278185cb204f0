import { describe, expect, it } from 'vitest';
import { messagesFor, pickLanguage } from '../index.js';

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
