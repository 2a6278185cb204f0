import { SiteSettingsInput } from '@candor/schema';
import { describe, expect, it } from 'vitest';
import { CONSENT_SOURCE_NAMES, readConsentSource, showConsentMap } from './consent-source-input.js';

const SETTINGS = {
  name: 'Shop',
  defaultLanguage: 'en',
  policyVersion: '1',
  explainDefaults: true,
  allowedOrigins: [],
  ledgerRetentionDays: 365,
};
const check = (consentSource: unknown) =>
  SiteSettingsInput.safeParse({ ...SETTINGS, ...(consentSource ? { consentSource } : {}) });

describe('the site form’s consent source (docs/consent.md)', () => {
  it('offers exactly the CMPs the schema accepts', () => {
    expect(CONSENT_SOURCE_NAMES).toEqual(['callback', 'cookieconsent', 'consent-mode', 'klaro', 'tcf', 'gpp']);
  });
  it('no source is Candor’s own prompt; an empty map is the source’s own table', () => {
    expect(readConsentSource('', '{"a":"measurement"}')).toBeUndefined();
    expect(check(readConsentSource('tcf', '  ')).data?.consentSource).toEqual({ name: 'tcf', map: {} });
  });
  it('reads single ids and lists, and round-trips what it shows', () => {
    const read = readConsentSource('klaro', '{"matomo":"measurement","ads":["personalization","sync"]}');
    expect(check(read).data?.consentSource).toEqual({
      name: 'klaro',
      map: { matomo: ['measurement'], ads: ['personalization', 'sync'] },
    });
    expect(showConsentMap({ matomo: ['measurement'], ads: ['personalization', 'sync'] })).toBe(
      '{"matomo":"measurement","ads":["personalization","sync"]}',
    );
  });
  it('lets the schema refuse what it cannot read, on the consent-source field', () => {
    for (const text of ['{nope', '["measurement"]', '{"a":[]}']) {
      const result = check(readConsentSource('klaro', text));
      expect(result.success, text).toBe(false);
      expect(result.error?.issues[0]?.path[0], text).toBe('consentSource');
    }
  });
});
