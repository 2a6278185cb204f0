import { describe, expect, it } from 'vitest';
import {
  ConsentEventInput,
  ExperienceDraft,
  AggregateBatch,
  FieldDraft,
  SiteKey,
  SiteSettingsInput,
  VisitorReport,
} from '../src/index.js';

describe('schemas', () => {
  it('accepts only http(s) privacy page URLs, which the SDK renders as links', () => {
    const site = {
      name: 'Shop',
      defaultLanguage: 'en',
      policyVersion: '1',
      explainDefaults: true,
      allowedOrigins: [],
      ledgerRetentionDays: 365,
    };
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>1</script>',
      'vbscript:x',
    ]) {
      expect(SiteSettingsInput.safeParse({ ...site, privacyPageUrl: url }).success, url).toBe(false);
    }
    expect(SiteSettingsInput.safeParse({ ...site, privacyPageUrl: 'https://shop.example/privacy' }).success).toBe(true);
  });

  it('refuses non-finite and oversized trusted aggregate values, and defaults empty lists', () => {
    expect(AggregateBatch.parse({ batchId: 'abcdefgh' })).toEqual({ batchId: 'abcdefgh', deltas: [], trust: [] });
    const delta = { experience: 'e', variant: 'v', metric: 'm', n: 1, sum: 1, sumSquares: 1 };
    expect(
      AggregateBatch.safeParse({ batchId: 'abcdefgh', deltas: [{ ...delta, sum: Number.POSITIVE_INFINITY }] }).success,
    ).toBe(false);
    expect(AggregateBatch.safeParse({ batchId: 'abcdefgh', deltas: [{ ...delta, n: 1.5 }] }).success).toBe(false);
    expect(
      AggregateBatch.safeParse({ batchId: 'abcdefgh', deltas: Array.from({ length: 501 }, () => delta) }).success,
    ).toBe(false);
    expect(AggregateBatch.safeParse({ batchId: "x'; drop table--" }).success).toBe(false);
    // Sums that would overflow a cell once added (or squared) are refused, not stored as Infinity.
    expect(AggregateBatch.safeParse({ batchId: 'abcdefgh', deltas: [{ ...delta, covariateSum: 1e300 }] }).success).toBe(
      false,
    );
  });

  it('bounds a visitor report: events, not sums, and at most what one device can send', () => {
    expect(VisitorReport.parse({ batchId: 'abcdefgh' })).toEqual({
      batchId: 'abcdefgh',
      exposures: [],
      conversions: [],
      trust: [],
      left: [],
    });
    expect(VisitorReport.parse({ batchId: 'abcdefgh', conversions: [{ metric: 'm' }] }).conversions).toEqual([
      { metric: 'm', value: 1 },
    ]);
    for (const value of [-1, 1e7, Number.NaN]) {
      expect(VisitorReport.safeParse({ batchId: 'abcdefgh', conversions: [{ metric: 'm', value }] }).success).toBe(
        false,
      );
    }
    const many = Array.from({ length: 101 }, () => ({ experience: 'e', variant: 'v' }));
    expect(VisitorReport.safeParse({ batchId: 'abcdefgh', exposures: many }).success).toBe(false);
  });

  it('requires a visitor-facing label in some language (which ones: the site decides, see site-languages.test.ts)', () => {
    const field = {
      key: 'role',
      type: 'string',
      source: 'declared',
      purpose: 'personalization',
      category: 'none',
      origin: 'first_party',
      retentionDays: 30,
      label: { en: '', 'zh-Hant': '' },
      whyWeAsk: { en: '', 'zh-Hant': '' },
      whatYouGet: { en: '', 'zh-Hant': '' },
    };
    const result = FieldDraft.safeParse(field);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['label']);
    expect(FieldDraft.safeParse({ ...field, label: { en: 'Role', 'zh-Hant': '' } }).success).toBe(true);
  });

  it('bounds shares to [0, 1] and needs a variant', () => {
    const experience = {
      id: 'x',
      name: 'X',
      kind: 'experiment',
      audiences: [],
      variants: [],
      holdout: 1.5,
      coverage: 1,
      allocation: 'fixed',
      hashVersion: 2,
      seed: 's',
      goals: [],
    };
    const paths = ExperienceDraft.safeParse(experience).error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['variants', 'holdout']));
  });

  it('takes per-audience segments only on a bandit without privacy noise, one per audience', () => {
    const bandit = {
      id: 'x',
      name: 'X',
      kind: 'personalization',
      audiences: [],
      variants: [{ id: 'a', name: 'A', content: {} }],
      holdout: 0,
      coverage: 1,
      allocation: 'bandit',
      hashVersion: 2,
      seed: 's',
      goals: [],
      segments: [{ audience: 'developers' }, { audience: 'leaders', weights: { a: 1 } }],
    };
    expect(ExperienceDraft.safeParse(bandit).success).toBe(true);
    const messages = (value: object) =>
      ExperienceDraft.safeParse({ ...bandit, ...value }).error?.issues.map((issue) => issue.message) ?? [];
    expect(messages({ allocation: 'fixed' })).toEqual([expect.stringContaining('need allocation "bandit"')]);
    expect(messages({ analysis: { differentialPrivacy: { epsilon: 1 } } })).toEqual([
      expect.stringContaining('turn off differential privacy'),
    ]);
    expect(messages({ segments: [{ audience: 'developers' }, { audience: 'developers' }] })).toEqual([
      expect.stringContaining('listed twice'),
    ]);
    expect(messages({ segments: [{ audience: 'developers', weights: { a: -1 } }] })).toHaveLength(1);
  });

  it('takes the notice hash as SHA-256 hex and site keys in lowercase', () => {
    const base = {
      action: 'accept_all',
      purposes: {},
      source: 'prompt',
      uiVersion: '1',
      noticeVersion: '1',
      language: 'en',
      policyVersion: '1',
    };
    expect(ConsentEventInput.safeParse({ ...base, noticeTextHash: 'f'.repeat(64) }).success).toBe(true);
    expect(ConsentEventInput.safeParse({ ...base, noticeTextHash: 'not a hash' }).success).toBe(false);
    expect(SiteKey.safeParse('Shop').success).toBe(false);
  });
});
