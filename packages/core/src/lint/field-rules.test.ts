import { describe, expect, it } from 'vitest';
import { contextField, declaredField, draftWith, PURPOSES, text } from '../../test/lint-draft-fixtures.js';
import type { Field, Purpose } from '../types.js';
import { lint } from './lint.js';

const lintField = (field: Field, purposes: readonly Purpose[] = []) =>
  lint(draftWith({ fields: [field], purposes })).filter((finding) => finding.location.id === field.key);
const codes = (field: Field, purposes: readonly Purpose[] = []) =>
  lintField(field, purposes).map((finding) => finding.code);

describe('field rules: purpose', () => {
  it('a field without a purpose is an error', () => {
    expect(codes(declaredField('industry', text('Industry', '產業'), { purpose: '' }))).toEqual([
      'field_missing_purpose',
    ]);
  });

  it('a field naming an unknown purpose is an error that names it', () => {
    const [finding] = lintField(declaredField('industry', text('Industry', '產業'), { purpose: 'ads' }));
    expect(finding?.code).toBe('field_unknown_purpose');
    expect(finding?.message).toContain("'ads'");
  });

  it('a field naming a defined purpose is fine', () => {
    expect(codes(declaredField('industry', text('Industry', '產業')))).toEqual([]);
  });
});

describe('field rules: visitor-facing text', () => {
  it('a declared field needs label, whyWeAsk, whatYouGet and question in en and zh-Hant', () => {
    const { question: _question, ...noQuestion } = declaredField('industry', text('Industry', ''));
    const [finding] = lintField({ ...noQuestion, whyWeAsk: text('Because.', '  ') });
    expect(finding?.code).toBe('field_missing_text');
    expect(finding?.message).toContain('label (zh-Hant), whyWeAsk (zh-Hant), question (en), question (zh-Hant)');
  });

  it('a context field needs no question', () => {
    expect(codes(contextField('pageType', text('Page type', '頁面類型')))).toEqual([]);
  });

  it('a context field still needs its label', () => {
    expect(codes(contextField('pageType', text('', '頁面類型')))).toEqual(['field_missing_text']);
  });
});

describe('field rules: sensitive and watch-listed categories', () => {
  it('an S category found by keyword is an error naming the evidence, with the category as its path', () => {
    const [finding] = lintField(declaredField('conditions', text('Health conditions', '健康狀況')));
    expect(finding).toMatchObject({
      code: 'field_sensitive_category',
      severity: 'error',
      category: 'S.health',
      fingerprint: 'field_sensitive_category@field:conditions:S.health',
    });
    expect(finding?.message).toContain("label.en 'Health conditions'");
  });

  it('inferred data counts (CJEU C-252/21)', () => {
    const [finding] = lintField(
      declaredField('likelyPregnant', text('Likely expecting', '可能懷孕'), { source: 'inferred' }),
    );
    expect(finding).toMatchObject({ code: 'field_sensitive_category', category: 'S.health' });
    expect(finding?.message).toContain('inferring them counts');
  });

  it('a W category is a warning', () => {
    expect(lintField(declaredField('wineLover', text('Wine lover', '葡萄酒愛好者')))).toMatchObject([
      { code: 'field_watched_category', severity: 'warning', category: 'W.limited_topics' },
    ]);
  });

  it('search terms are not flagged on the field, only where used as a trigger', () => {
    expect(codes(contextField('searchQuery', text('Search query', '搜尋字詞')))).toEqual([]);
  });

  it('coarse location counts when observed or context, not when the visitor gave it', () => {
    expect(lintField(contextField('ipCity', text('City', '城市')))).toMatchObject([
      { code: 'field_watched_category', category: 'W.coarse_geo', severity: 'warning' },
    ]);
    expect(codes(declaredField('homeCity', text('Your city', '您的城市')))).toEqual([]);
  });

  it('precise location is an error whatever the source', () => {
    expect(lintField(declaredField('position', text('GPS position', '衛星定位位置')))).toMatchObject([
      { code: 'field_sensitive_category', category: 'S.precise_geo' },
    ]);
    expect(lintField(contextField('lat', text('Where', '哪裡')))).toMatchObject([
      { code: 'field_sensitive_category', category: 'S.precise_geo' },
    ]);
    // Not also called coarse: the error already covers it.
    expect(lintField(contextField('geo.lat', text('Where', '哪裡')))).toMatchObject([{ category: 'S.precise_geo' }]);
  });

  it('a neutral field has no category findings', () => {
    expect(codes(declaredField('companySize', text('Company size', '公司規模')))).toEqual([]);
  });
});

describe('field rules: cross-site data (W.cross_site)', () => {
  const ads: Purpose = { ...(PURPOSES[0] as Purpose), id: 'ads', class: 'cross_site', legalBasis: 'contract' };
  const partner = (purpose: string): Field =>
    declaredField('segment', text('Segment', '區隔'), { source: 'observed', origin: 'third_party', purpose });

  it('third-party data under a purpose that is not consent-based is an error', () => {
    expect(lintField(partner('ads'), [ads])).toMatchObject([
      { code: 'field_cross_site', severity: 'error', category: 'W.cross_site' },
    ]);
  });

  it('third-party data under a consent purpose is a warning that GPC refuses it', () => {
    const [finding] = lintField(partner('personalization'));
    expect(finding).toMatchObject({ code: 'field_cross_site', severity: 'warning' });
    expect(finding?.message).toContain('Global Privacy Control');
  });

  it('first-party data is not cross-site', () => {
    expect(codes({ ...partner('personalization'), origin: 'first_party' })).toEqual([]);
  });
});
