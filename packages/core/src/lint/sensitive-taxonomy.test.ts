import { describe, expect, it } from 'vitest';
import { audience, declaredField, draftWith, text } from '../../test/lint-draft-fixtures.js';
import type { Field, SensitiveCategory } from '../types.js';
import { lint } from './lint.js';
import { SENSITIVE_CATEGORIES, SENSITIVE_TAXONOMY } from './sensitive-taxonomy.js';

/** Categories a field reveals, as the linter reports them for the field and an audience reading it. */
function categoriesFound(field: Field): SensitiveCategory[] {
  const findings = lint(
    draftWith({ fields: [field], audiences: [audience('probe', { [field.key]: { $exists: true } })] }),
  );
  return [...new Set(findings.flatMap((finding) => (finding.category === undefined ? [] : [finding.category])))];
}

// Observed, so that coarse location (which only counts when the visitor did not give it) applies too.
const observed = (key: string, en: string, zhHant: string): Field =>
  declaredField(key, text(en, zhHant), { source: 'observed', question: text('', '') });

// One English and one Traditional Chinese label per category, in the words of docs/privacy.md §3.
const CASES: readonly [SensitiveCategory, string, string][] = [
  ['S.race_ethnicity', 'Ethnicity', '種族'],
  ['S.politics', 'Political party', '支持的政黨'],
  ['S.religion_belief', 'Religion', '宗教信仰'],
  ['S.union', 'Union membership', '工會會員'],
  ['S.health', 'Health conditions', '健康狀況'],
  ['S.genetic', 'Genetic test results', '基因檢測'],
  ['S.biometric', 'Fingerprint on file', '指紋'],
  ['S.neural', 'Neural data', '腦波'],
  ['S.sex_life_orientation', 'Sexual orientation', '性傾向'],
  ['S.criminal', 'Criminal record', '前科'],
  ['S.citizenship', 'Immigration status', '國籍'],
  ['S.credentials', 'Passport number', '身分證字號'],
  ['S.comms_content', 'Message contents', '訊息內容'],
  ['S.precise_geo', 'GPS position', '經緯度'],
  ['S.minor', 'Is a minor', '未成年'],
  ['W.financial_hardship', 'Debt level', '負債'],
  ['W.relationship_hardship', 'Recently divorced', '離婚'],
  ['W.limited_topics', 'Interest in gambling', '博弈'],
  ['W.opportunity', 'Housing needs', '住房需求'],
  ['W.search_terms', 'Last search query', '搜尋字詞'],
  ['W.cross_site', 'Third-party segment', '第三方區隔'],
  ['W.coarse_geo', 'City', '城市'],
];

describe('SENSITIVE_TAXONOMY (docs/privacy.md §3)', () => {
  it('covers every category of §3, S as errors and W as warnings (W.cross_site: error without consent)', () => {
    expect(SENSITIVE_CATEGORIES).toHaveLength(23);
    for (const category of SENSITIVE_CATEGORIES) {
      const expected = category.startsWith('S.') || category === 'W.cross_site' ? 'error' : 'warning';
      expect(SENSITIVE_TAXONOMY[category].severity, category).toBe(expected);
    }
  });

  it('has English and Chinese keywords for every category a single field can reveal', () => {
    for (const category of SENSITIVE_CATEGORIES.filter((category) => category !== 'W.proxy')) {
      expect(SENSITIVE_TAXONOMY[category].en.length, category).toBeGreaterThan(0);
      expect(SENSITIVE_TAXONOMY[category].zhHant.length, category).toBeGreaterThan(0);
    }
  });

  it('has a test case in both languages for every keyword-matched category', () => {
    expect(new Set(CASES.map(([category]) => category))).toEqual(
      new Set(SENSITIVE_CATEGORIES.filter((category) => category !== 'W.proxy')),
    );
  });

  it.each(CASES)('%s is found from the English label %j', (category, en) => {
    expect(categoriesFound(observed('probe', en, '欄位'))).toContain(category);
  });

  it.each(CASES)('%s is found from the Chinese label (%j / %j)', (category, _en, zhHant) => {
    expect(categoriesFound(observed('probe', 'Field', zhHant))).toContain(category);
  });

  it.each(SENSITIVE_CATEGORIES.filter((category) => category !== 'W.proxy'))(
    '%s is found from the declared category alone',
    (category) => {
      expect(
        categoriesFound(declaredField('probe', text('Answer', '回答'), { category, source: 'observed' })),
      ).toContain(category);
    },
  );

  describe('every keyword in the table triggers its own category', () => {
    const rows = SENSITIVE_CATEGORIES.flatMap((category) => {
      const rule = SENSITIVE_TAXONOMY[category];
      return [
        ...rule.en.map((keyword) => [category, 'label', keyword] as const),
        ...rule.zhHant.map((keyword) => [category, 'label', keyword] as const),
        ...(rule.keyOnly ?? []).map((keyword) => [category, 'key', keyword] as const),
      ];
    });
    it.each(rows)('%s via %s %j', (category, where, keyword) => {
      const field =
        where === 'key'
          ? observed(`visitor.${keyword}`, 'Value', '值')
          : observed('probe', `The ${keyword} value`, keyword);
      expect(categoriesFound(field)).toContain(category);
    });
  });

  it.each([
    ['role', 'Role', '職務'],
    ['industry', 'Industry', '產業'],
    ['companySize', 'Company size', '公司規模'],
    ['jobTitle', 'Job title', '職稱'],
    ['hotelBooking', 'Hotel booked', '已訂酒店'],
    ['healthcareWorker', 'Works in healthcare', '醫護產業'],
    ['favouriteLanguage', 'Favourite programming language', '喜愛的程式語言'],
    ['newsletterTopic', 'Newsletter topic', '電子報主題'],
    ['plan', 'Subscription plan', '訂閱方案'],
  ])('the neutral field %s reveals nothing', (key, en, zhHant) => {
    expect(categoriesFound(observed(key, en, zhHant))).toEqual([]);
  });
});
