import { describe, expect, it } from 'vitest';
import { audience, declaredField, draftWith, experience, text } from '../../test/lint-draft-fixtures.js';
import { looksLikeEmail, looksLikePhone, looksLikeUserId } from './condition-literals.js';
import { lint } from './lint.js';

const FIELDS = [declaredField('account', text('Account', '帳戶')), declaredField('plan', text('Plan', '方案'))];
const lintCondition = (condition: Record<string, unknown>) =>
  lint(draftWith({ fields: FIELDS, audiences: [audience('probe', condition)] })).filter(
    (finding) => finding.code === 'condition_personal_data',
  );

const ids = (make: (i: number) => string | number, n = 5) => Array.from({ length: n }, (_, i) => make(i));

describe('literal shapes', () => {
  it.each(['alice@example.com', ' bob.smith+tag@mail.example.com.tw '])('%j is an email', (value) => {
    expect(looksLikeEmail(value)).toBe(true);
  });
  it.each(['@example.com', 'alice@', 'not an email', 'a@b'])('%j is not an email', (value) => {
    expect(looksLikeEmail(value)).toBe(false);
  });
  it.each(['+886 912 345 678', '(02) 2345-6789', '0912345678', '555-1234'])('%j is a phone number', (value) => {
    expect(looksLikePhone(value)).toBe(true);
  });
  it.each(['2024-01-31', '12345', '1.2.3.4567', 'v1234567', '+1 (2) 3'])('%j is not a phone number', (value) => {
    expect(looksLikePhone(value)).toBe(false);
  });
  it.each(['3f2b1c9e-8d7a-4b6c-9e5f-0a1b2c3d4e5f', '1234567', 'usr8f3k2m9q', 123456])('%j is user-id-like', (value) => {
    expect(looksLikeUserId(value)).toBe(true);
  });
  it.each(['developer', 'pro-plan', 'abc123', 12345, 'zh-Hant'])('%j is not user-id-like', (value) => {
    expect(looksLikeUserId(value)).toBe(false);
  });
});

describe('condition literals: the snapshot is public', () => {
  it('an email anywhere in a condition is an error located at its field', () => {
    const [finding] = lintCondition({ $or: [{ plan: 'pro' }, { account: { $eq: 'alice@example.com' } }] });
    expect(finding).toMatchObject({
      severity: 'error',
      location: { entity: 'audience', id: 'probe', path: 'account' },
    });
    expect(finding?.message).toContain('an email address');
    // The value itself is not repeated into reports and logs.
    expect(finding?.message).not.toContain('alice');
  });

  it('a phone number is an error, even inside $not', () => {
    expect(lintCondition({ account: { $not: { $in: ['+886 912 345 678'] } } })[0]?.message).toContain('a phone number');
  });

  it.each(['$in', '$nin', '$all'])('a %s list of 5 user ids is an error', (operator) => {
    const [finding] = lintCondition({ account: { [operator]: ids((i) => `usr${i}x8f3k2m9q`) } });
    expect(finding?.message).toContain('a list of 5 values that look like user ids');
  });

  it('numeric user ids count', () => {
    expect(lintCondition({ account: { $in: ids((i) => 1_000_000 + i) } })).toHaveLength(1);
  });

  it('4 user ids, or a list of ordinary values, is fine', () => {
    expect(lintCondition({ account: { $in: ids((i) => `usr${i}x8f3k2m9q`, 4) } })).toEqual([]);
    expect(lintCondition({ plan: { $in: ['free', 'starter', 'pro', 'team', 'enterprise', 'edu'] } })).toEqual([]);
  });

  it('a saved group of user ids is an error on the saved group', () => {
    const findings = lint(draftWith({ savedGroups: { beta: ids((i) => `3f2b1c9e-8d7a-4b6c-9e5f-0a1b2c3d4e5${i}`) } }));
    expect(findings).toMatchObject([
      {
        code: 'condition_personal_data',
        location: { entity: 'savedGroup', id: 'beta' },
        fingerprint: 'condition_personal_data@savedGroup:beta',
      },
    ]);
  });

  it('a saved group holding one email is an error; a group of page types is fine', () => {
    expect(lint(draftWith({ savedGroups: { vip: ['carol@example.com'] } }))).toHaveLength(1);
    expect(lint(draftWith({ savedGroups: { pages: ['home', 'pricing', 'docs', 'blog', 'careers'] } }))).toEqual([]);
  });
});

// Issue 11, item 8: 8 of 9 disguised forms passed the old check. Each row is one way personal
// data was (or could be) smuggled into the public snapshot; every one must be refused.
describe('personal data in disguise never reaches the snapshot', () => {
  const refused = (draft: Parameters<typeof lint>[0]) =>
    lint(draft).filter(
      (finding) =>
        (finding.code === 'condition_personal_data' || finding.code === 'variant_personal_data') &&
        finding.severity === 'error',
    );
  const inCondition = (condition: Record<string, unknown>) =>
    refused(draftWith({ fields: FIELDS, audiences: [audience('probe', condition)] }));
  const inVariant = (en: string, zhHant = '嗨', type: 'text' | 'html' = 'text') =>
    refused(
      draftWith({
        experiences: [
          experience('hero-dev', {
            variants: [
              { id: 'default', name: 'Default', content: {} },
              {
                id: 'v',
                name: 'V',
                content: {
                  hero:
                    type === 'html'
                      ? { type: 'html', html: text(en, zhHant) }
                      : { type: 'text', text: text(en, zhHant) },
                },
              },
            ],
          }),
        ],
      }),
    );

  it.each([
    ['an email inside $regex, escaped and anchored', { account: { $regex: '^alice\\.smith@example\\.com$' } }],
    ['an email in a regex alternation', { account: { $regexi: 'pro|bob@example\\.org' } }],
    ['an email written with (at) and (dot)', { account: 'alice(at)example(dot)com' }],
    ['an email with a full-width ＠', { account: { $in: ['alice＠example.com'] } }],
    ['an email url-encoded', { account: 'alice%40example.com' }],
    [
      'an email nested in $elemMatch under $or',
      { $or: [{ plan: 'pro' }, { account: { $elemMatch: { $eq: 'carol@example.com' } } }] },
    ],
    ['a phone number with dots', { account: '0912.345.678' }],
    ['a phone number with +country and spaces inside a sentence', { account: { $regex: 'call \\+886 912 345 678' } }],
    ['a phone number as a bare number', { account: { $in: [886912345678] } }],
    ['a US social security number', { account: '123-45-6789' }],
    ['a Taiwan national id', { account: { $ne: 'A123456789' } }],
    ['one user uuid', { account: '3f2b1c9e-8d7a-4b6c-9e5f-0a1b2c3d4e5f' }],
    ['a list of names', { account: { $in: ['Alice Chen', 'Bob Lin', 'Carol Wu'] } }],
    ['a regex alternation of names', { account: { $regex: '^(Alice Chen|Bob Lin|Carol Wu)$' } }],
    ['a list of Chinese names', { account: { $nin: ['陳美玲', '林志明', '王小明'] } }],
  ])('refuses %s', (_name, condition) => {
    expect(inCondition(condition)).toHaveLength(1);
  });

  it.each([
    ['an email in variant text', () => inVariant('Questions? Write to alice.chen@example.com')],
    [
      'an email in variant HTML, Chinese copy',
      () => inVariant('Hi', '<a href="mailto:bob@example.com">聯絡我們</a>', 'html'),
    ],
    ['a national id in variant text', () => inVariant('Your id A123456789 is verified')],
  ])('refuses %s', (_name, findings) => {
    expect(findings()).toHaveLength(1);
  });

  it('asks to acknowledge a phone number in copy, which is usually the business line', () => {
    expect(inVariant('Call us: +1 415 555 0100')).toEqual([]);
    const findings = lint(
      draftWith({
        experiences: [
          experience('hero-dev', {
            variants: [
              { id: 'default', name: 'Default', content: {} },
              { id: 'v', name: 'V', content: { hero: { type: 'text', text: text('Call us: +1 415 555 0100', '嗨') } } },
            ],
          }),
        ],
      }),
    );
    expect(findings.map((finding) => [finding.code, finding.severity])).toEqual([['variant_personal_data', 'warning']]);
  });

  it.each([
    ['a role address in copy', () => inVariant('Write to sales@trellis.example or support@trellis.example')],
    [
      'versions, dates, prices and addresses of pages',
      () => inCondition({ account: { $in: ['1.2.3.4567', '2024-01-31', 'NT$ 1,290', '192.168.100.200'] } }),
    ],
    [
      'plan names and cities',
      () => inCondition({ plan: { $in: ['Pro Plan', 'Team Plan', 'New York', 'San Francisco', 'Los Angeles'] } }),
    ],
    ['a campaign regex', () => inCondition({ plan: { $regex: '^spring-(sale|promo)-2026$' } })],
    ['a revenue threshold', () => inCondition({ plan: { $gt: 1_000_000_000 } })],
  ])('leaves alone %s', (_name, findings) => {
    expect(findings()).toEqual([]);
  });
});
