import { describe, expect, it } from 'vitest';
import { audience, declaredField, draftWith, text } from '../../test/lint-draft-fixtures.js';
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
