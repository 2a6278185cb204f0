import { describe, expect, it } from 'vitest';
import { audience, contextField, declaredField, draftWith, text } from '../../test/lint-draft-fixtures.js';
import { CONDITION_LIMITS } from '../targeting/limits.js';
import type { Field } from '../types.js';
import { lint } from './lint.js';

const FIELDS: Field[] = [
  declaredField('wine', text('Wine lover', '葡萄酒愛好者')),
  declaredField('debt', text('Debt level', '負債程度')),
  declaredField('conditions', text('Health conditions', '健康狀況')),
  declaredField('age', text('Age', '年齡'), { type: 'number' }),
  declaredField('likelyRole', text('Likely role', '可能職務'), { source: 'inferred' }),
  declaredField('tags', text('Tags', '標籤'), { type: 'string[]' }),
  contextField('searchQuery', text('Search query', '搜尋字詞')),
  contextField('ipCity', text('City', '城市')),
];

/** Findings on the probe audience only. */
const lintCondition = (condition: Record<string, unknown>) =>
  lint(draftWith({ fields: FIELDS, audiences: [audience('probe', condition)] })).filter(
    (finding) => finding.location.entity === 'audience' && finding.location.id === 'probe',
  );
const codes = (condition: Record<string, unknown>) => lintCondition(condition).map((finding) => finding.code);

function nested(depth: number): Record<string, unknown> {
  let condition: Record<string, unknown> = { role: 'developer' };
  for (let i = 0; i < depth; i++) condition = { $and: [condition] };
  return condition;
}

describe('audience rules: the condition itself', () => {
  it('a neutral condition over declared fields is fine', () => {
    expect(codes({ role: { $in: ['developer', 'marketer'] }, language: 'zh-Hant' })).toEqual([]);
  });

  it.each([
    ['too deep', nested(CONDITION_LIMITS.maxDepth + 1), 'nests deeper'],
    [
      'too large',
      { $or: Array.from({ length: CONDITION_LIMITS.maxNodes }, () => ({ role: 'developer' })) },
      'more than',
    ],
  ])('a condition that is %s is an error', (_name, condition, words) => {
    const findings = lintCondition(condition).filter((finding) => finding.code === 'condition_invalid');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(words);
  });

  it('a condition that is not an object is an error', () => {
    const findings = lint(draftWith({ audiences: [{ id: 'probe', name: 'probe', condition: [] as never }] }));
    expect(findings.map((finding) => finding.code)).toEqual(['condition_invalid']);
  });

  it.each([
    [{ role: { $like: 'dev' } }, 'role.$like'],
    [{ $where: 'true' }, '$where'],
    [{ role: { $or: [{ $eq: 'a' }] } }, 'role.$or'],
  ])('an unknown operator is an error located at it: %j', (condition, path) => {
    expect(lintCondition(condition)).toMatchObject([{ code: 'condition_unknown_operator', location: { path } }]);
  });

  it('every supported operator passes', () => {
    const condition = {
      $and: [{ role: { $eq: 'a', $ne: 'b', $in: ['a'], $nin: ['b'], $exists: true, $type: 'string' } }],
      $or: [{ role: { $regex: '^dev', $regexi: 'dev$', $ini: ['A'], $nini: ['B'], $not: { $eq: 'c' } } }],
      $nor: [{ tags: { $all: ['a'], $alli: ['A'], $elemMatch: { $eq: 'a' }, $size: { $gt: 0 } } }],
      $not: { age: { $gt: 20, $gte: 21, $lt: 90, $lte: 89 } },
      language: {
        $vgt: '1',
        $vgte: '1',
        $vlt: '2',
        $vlte: '2',
        $veq: '1.5',
        $vne: '1.6',
        $inGroup: 'g',
        $notInGroup: 'h',
      },
    };
    expect(codes(condition)).toEqual([]);
  });

  it.each([
    ['(a+)+$', 'repeats a group'],
    ['(a|ab)*c', 'start alike'],
    ['[unclosed', 'not a valid'],
    ['a'.repeat(CONDITION_LIMITS.maxRegexLength + 1), 'longer than'],
  ])('an unsafe $regex %j is an error', (pattern, words) => {
    const [finding] = lintCondition({ role: { $regex: pattern } });
    expect(finding).toMatchObject({ code: 'condition_unsafe_regex', location: { path: 'role.$regex' } });
    expect(finding?.message).toContain(words);
  });

  it('a safe $regex passes', () => {
    expect(codes({ role: { $regexi: '^(dev|eng)ineer$' } })).toEqual([]);
  });
});

describe('audience rules: what the condition reads', () => {
  it('reading a key no field declares is an error ("unexplained use of data")', () => {
    expect(lintCondition({ plan: 'pro' })).toMatchObject([
      { code: 'condition_undeclared_field', severity: 'error', location: { path: 'plan' } },
    ]);
  });

  it('reading inside a declared field, or an element of it, is declared', () => {
    expect(codes({ 'role.primary': 'x', tags: { $elemMatch: { name: 'x' } } })).toEqual([]);
  });

  it('an undeclared key that reveals a sensitive category is also a sensitive read', () => {
    expect(codes({ religion: 'x' }).sort()).toEqual(['audience_sensitive_field', 'condition_undeclared_field']);
  });

  it('reading a sensitive field is an error, even under negation', () => {
    expect(lintCondition({ $not: { conditions: { $exists: true } } })).toMatchObject([
      { code: 'audience_sensitive_field', severity: 'error', category: 'S.health', location: { path: 'conditions' } },
    ]);
  });

  it('reading one watch-listed field is a warning, not a proxy', () => {
    expect(lintCondition({ wine: true })).toMatchObject([
      { code: 'audience_watched_field', severity: 'warning', category: 'W.limited_topics' },
    ]);
  });

  it('reading two watch-listed fields is also a W.proxy warning naming both', () => {
    const findings = lintCondition({ $or: [{ wine: true }, { debt: { $gt: 3 } }] });
    const proxy = findings.find((finding) => finding.code === 'audience_proxy');
    expect(proxy).toMatchObject({ severity: 'warning', category: 'W.proxy' });
    expect(proxy?.message).toContain("field 'wine' (W.limited_topics), field 'debt' (W.financial_hardship)");
  });

  it('search terms used as a trigger are a W.search_terms warning', () => {
    const [finding] = lintCondition({ searchQuery: { $regexi: 'cheap' } });
    expect(finding).toMatchObject({ code: 'audience_watched_field', category: 'W.search_terms' });
    expect(finding?.message).toContain('as a trigger');
  });

  it('city from the IP is a W.coarse_geo warning', () => {
    expect(lintCondition({ ipCity: 'Taipei' })).toMatchObject([
      { code: 'audience_watched_field', category: 'W.coarse_geo' },
    ]);
  });

  it('an inferred field is a warning', () => {
    expect(codes({ likelyRole: 'developer' })).toEqual(['audience_inferred_field']);
  });
});

describe('audience rules: minors (S.minor)', () => {
  it.each([
    { age: { $lt: 18 } },
    { age: { $lte: 17 } },
    { age: { $gte: 13, $lt: 16 } },
    { age: 16 },
    { age: { $in: [16, 30] } },
    { age: { $eq: '15' } },
    { $or: [{ role: 'x' }, { 'visitor.age': { $lt: 18 } }] },
    { ageGroup: { $in: ['13-17'] } },
    { ageGroup: 'under 18' },
    { age: { $lt: 30 } },
  ])('%j targets minors', (condition) => {
    expect(codes(condition)).toContain('audience_targets_minors');
  });

  it.each([
    { age: { $gte: 18 } },
    { age: { $gt: 21 } },
    { age: { $lt: 65, $gte: 18 } },
    { $not: { age: { $lt: 18 } } },
    { age: { $nin: [16, 17] } },
    { ageGroup: { $in: ['18-24', '25-34'] } },
    { accountAge: { $lt: 7 } },
    { page: { $lt: 3 } },
  ])('%j does not', (condition) => {
    expect(codes(condition)).not.toContain('audience_targets_minors');
  });

  it('a field labelled 年齡 counts as an age whatever its key', () => {
    const years = declaredField('nianling', text('Years', '年齡'), { type: 'number' });
    const findings = lint(draftWith({ fields: [years], audiences: [audience('probe', { nianling: { $lte: 12 } })] }));
    expect(findings.map((finding) => finding.code)).toEqual(['audience_targets_minors']);
  });
});
