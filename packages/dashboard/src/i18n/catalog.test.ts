import { describe, expect, it } from 'vitest';
import { MESSAGES_EN } from './messages-en.js';
import { MESSAGES_ZH_HANT } from './messages-zh-hant.js';

describe('the message catalog', () => {
  const keys = Object.keys(MESSAGES_EN) as (keyof typeof MESSAGES_EN)[];

  it('has every message in both languages, none empty, none left in English', () => {
    expect(Object.keys(MESSAGES_ZH_HANT).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(MESSAGES_EN[key].trim(), key).not.toBe('');
      expect(MESSAGES_ZH_HANT[key].trim(), key).not.toBe('');
    }
    // Product names and acronyms read the same in both languages.
    const same = new Set(['app.name', 'experiences.html', 'results.cuped']);
    const untranslated = keys.filter((key) => !same.has(key) && MESSAGES_EN[key] === MESSAGES_ZH_HANT[key]);
    expect(untranslated).toEqual([]);
  });

  it('keeps the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const key of keys) expect(placeholders(MESSAGES_ZH_HANT[key]), key).toEqual(placeholders(MESSAGES_EN[key]));
  });
});
