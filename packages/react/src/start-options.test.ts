import { describe, expect, it } from 'vitest';
import { withPageLanguage } from './start-options.js';

const options = { siteKey: 'shop', api: 'https://candor.example' };

describe('withPageLanguage: the SDK dialogs speak the language the page rendered in', () => {
  it('passes the provider language to the SDK', () => {
    expect(withPageLanguage(options, 'zh-Hant')).toEqual({ ...options, language: 'zh-Hant' });
  });
  it('keeps a language the options set themselves, and leaves the SDK to the page when none is given', () => {
    expect(withPageLanguage({ ...options, language: 'en' }, 'zh-Hant').language).toBe('en');
    expect(withPageLanguage(options, undefined)).toBe(options);
  });
});
