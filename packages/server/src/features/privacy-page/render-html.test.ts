import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Language, Snapshot } from '@candor/core';
import { describe, expect, it } from 'vitest';
import { privacyFacts } from './privacy-facts.js';
import { renderPrivacyHtml } from './render-html.js';

const fixture = resolve(import.meta.dirname, '../../../../../spec/fixtures/trellis-snapshot.json');

/** The trellis snapshot with one field kept a single day (the demo's context fields are). */
function snapshot(): Snapshot {
  const base = JSON.parse(readFileSync(fixture, 'utf8')) as Snapshot;
  return {
    ...base,
    fields: base.fields.map((field) => (field.key === 'device' ? { ...field, retentionDays: 1 } : field)),
  };
}

const LINT = { at: Date.UTC(2026, 10, 29), errors: 0, warnings: 1, acknowledged: ['a'] };

/** The page as a visitor reads it: tags dropped, entities decoded. */
function visibleText(language: Language, from: Snapshot = snapshot()): string {
  return renderPrivacyHtml(privacyFacts(from, LINT, language), language)
    .replace(/<style>.*?<\/style>/s, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)))
    .replace(/\s+/g, ' ');
}

// Every code a snapshot may carry for a purpose class, legal basis, field source or purpose id.
const CODES = [
  'legitimate_interest',
  'legal_obligation',
  'cross_site',
  'behavioural',
  'first_party',
  'third_party',
  'contextual',
  'personalization',
  'measurement',
  'partners',
  'declared',
  'observed',
  'inferred',
  'context',
];

describe('the public trust page speaks to people, not in codes', () => {
  it.each(['en', 'zh-Hant'] as const)('shows no raw enum names in %s', (language) => {
    const text = visibleText(language);
    for (const code of CODES) expect(text, code).not.toMatch(new RegExp(`(^|[^A-Za-z])${code}([^A-Za-z]|$)`));
  });

  it('names legal bases, sources, purposes and where data is kept in words', () => {
    const en = visibleText('en');
    expect(en).toContain('(legal basis: legitimate interest, which you can object to):');
    expect(en).toContain('You told us');
    expect(en).toContain('From this visit (page, language or device)');
    expect(en).toContain('Only in your browser');
    const zh = visibleText('zh-Hant');
    expect(zh).toContain('（法律依據：正當利益（您可以提出反對））：');
    expect(zh).toContain('由您告訴我們');
    expect(zh).toContain('僅在您的瀏覽器中');
  });

  it('says the opt-out preference signal is honoured, in each language (docs/privacy.md §1)', () => {
    expect(visibleText('en')).toContain('Opt-Out Preference Signal Honored');
    expect(visibleText('zh-Hant')).toContain('已遵循選擇退出偏好訊號');
  });

  it('counts days and findings with correct plurals', () => {
    const en = visibleText('en');
    expect(en).toContain(' 1 day ');
    expect(en).not.toMatch(/\b1 days\b/);
    expect(en).toContain('180 days');
    expect(en).toContain('0 errors, 1 warning (1 acknowledged)');
    expect(visibleText('zh-Hant')).toContain('1 天');
  });
});

describe('the trust page names a declared consent source and its mapping (docs/consent.md)', () => {
  const withSource = (consentSource: Snapshot['site']['consentSource']): Snapshot => {
    const base = snapshot();
    return { ...base, site: { ...base.site, ...(consentSource ? { consentSource } : {}) } };
  };
  it.each([
    ['en', 'Where your choices are made', 'made in its own Candor prompt', 'asked again about that purpose only'],
    ['zh-Hant', '您在哪裡做出選擇', '本網站自己的 Candor 提示', '只會就該目的再次詢問您'],
  ] as const)('in %s, says choices are made in Candor’s own prompt when no source is declared', (language, ...said) => {
    const text = visibleText(language);
    for (const sentence of said) expect(text).toContain(sentence);
    // No CMP is named and no mapping is shown: there is none.
    expect(text).not.toContain('→');
    expect(text).not.toContain(language === 'en' ? 'consent manager' : '同意管理工具中做出的');
  });
  it.each([
    ['en', 'A page of this site may name a different consent tool'],
    ['zh-Hant', '本網站的個別頁面可能在程式碼中指定其他同意管理工具'],
  ] as const)('in %s, says a page may name a different source, with or without a site source', (language, sentence) => {
    expect(visibleText(language)).toContain(sentence);
    expect(visibleText(language, withSource({ name: 'klaro', map: {} }))).toContain(sentence);
  });
  it.each([
    ['en', 'Your privacy choices on this site are made in the CookieConsent banner', 'analytics → Measurement'],
    ['zh-Hant', '您在本網站的隱私選擇是在CookieConsent 橫幅中做出的', 'analytics → 成效衡量'],
  ] as const)('in %s, with the site’s declared map', (language, sentence, row) => {
    const text = visibleText(language, withSource({ name: 'cookieconsent', map: { analytics: ['measurement'] } }));
    expect(text).toContain(sentence);
    expect(text).toContain(row);
  });
  it('shows the TCF table when the site declared no map, and the purpose nothing maps to is not listed', () => {
    const text = visibleText('en', withSource({ name: 'tcf', map: {} }));
    expect(text).toContain('TCF purpose 5 → Personalization');
    expect(text).toContain('TCF purpose 8 → Measurement');
    expect(text).toContain('TCF purpose 11 → Content for this visit');
    expect(text).not.toContain('→ Partner offers');
  });
});
