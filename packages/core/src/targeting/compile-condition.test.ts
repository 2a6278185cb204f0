import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONDITION_LIMITS, compileCondition, evalCondition } from '../index.js';
import { compileVerifiedCondition } from './compile-condition.js';

describe('compileCondition', () => {
  it('reports the paths that made a condition pass: all of an $and, each matching $or branch', () => {
    const compiled = compileCondition({
      country: 'TW',
      $or: [{ role: 'dev' }, { plan: 'pro' }, { seats: { $gt: 5 } }],
    });
    expect(compiled.ok).toBe(true);
    expect(compiled.condition.matchedPaths({ country: 'TW', role: 'dev', plan: 'free', seats: 9 })).toEqual([
      'country',
      'role',
      'seats',
    ]);
    expect(compiled.condition.paths).toEqual(['country', 'role', 'plan', 'seats']);
  });

  it('names every field under a negation as used', () => {
    const compiled = compileCondition({ $not: { role: 'dev' }, $nor: [{ plan: 'free' }] });
    expect(compiled.condition.matchedPaths({ role: 'pm', plan: 'pro' })).toEqual(['role', 'plan']);
  });

  it('bounds nesting depth', () => {
    let deep: Record<string, unknown> = { a: 1 };
    for (let i = 0; i <= CONDITION_LIMITS.maxDepth; i++) deep = { $and: [deep] };
    const compiled = compileCondition(deep);
    expect(compiled).toMatchObject({ ok: false, error: 'too_deep' });
    expect(compiled.condition.test({ a: 1 })).toBe(false);
  });

  it('bounds the number of nodes', () => {
    const wide = { $or: Array.from({ length: CONDITION_LIMITS.maxNodes }, (_, i) => ({ [`f${i}`]: i })) };
    expect(compileCondition(wide)).toMatchObject({ ok: false, error: 'too_large' });
  });

  it('refuses a non-object condition', () => {
    expect(compileCondition([1, 2])).toMatchObject({ ok: false, error: 'not_an_object' });
  });

  it('never matches with a catastrophic regex, and never runs a regex on huge input', () => {
    expect(evalCondition({ s: 'aaaa' }, { s: { $regex: '^(a+)+$' } })).toBe(false);
    expect(evalCondition({ s: 'ab'.repeat(5000) }, { s: { $regex: 'ab' } })).toBe(false);
    expect(evalCondition({ s: 'ab' }, { s: { $regex: 'ab' } })).toBe(true);
  });

  it('does not follow prototype paths', () => {
    expect(evalCondition({}, { 'constructor.name': 'Object' })).toBe(false);
    expect(evalCondition({}, JSON.parse('{"__proto__": {"$exists": true}}'))).toBe(false);
    expect(evalCondition(JSON.parse('{"__proto__": {"admin": true}}'), { admin: true })).toBe(false);
  });

  it('evaluates unknown operators to false', () => {
    expect(evalCondition({ a: 1 }, { a: { $regx: '1' } })).toBe(false);
  });

  it('property: compiling never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (condition, attributes) => {
        const compiled = compileCondition(condition);
        expect(typeof compiled.condition.test(attributes)).toBe('boolean');
        expect(Array.isArray(compiled.condition.matchedPaths(attributes))).toBe(true);
      }),
    );
  });
});

describe('compileCondition: hostile saved groups and literals', () => {
  it('treats a saved group that is not a list as empty', () => {
    expect(evalCondition({ id: 'a' }, { id: { $inGroup: 'g' } }, { g: 5 } as never)).toBe(false);
    expect(evalCondition({ id: 'a' }, { id: { $notInGroup: 'g' } }, null as never)).toBe(true);
  });

  it('refuses a literal nested too deep to serialise instead of throwing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = { x: deep };
    expect(compileCondition({ a: deep })).toMatchObject({ ok: false, error: 'too_deep' });
    expect(evalCondition({ a: deep }, { a: { x: 1 } })).toBe(false);
  });
});

describe('compileVerifiedCondition: $regex cannot freeze a page', () => {
  // The browser trusts a signed snapshot and skips the shape scan, so the matcher itself must be
  // safe: on a backtracking engine each of these runs for longer than the test suite.
  it.each(['^(?:a|a)+$', '(a|aa)+$', '(a+)+$', '(\\w|\\d)+$', '\\w+\\d+\\w+$'])(
    '%s against a 4,000-character attribute answers no match',
    (pattern) => {
      const { condition } = compileVerifiedCondition({ q: { $regex: pattern } });
      const hostile = `${(pattern.includes('\\d') ? '1' : 'a').repeat(4000)}!`;
      expect(condition.test({ q: hostile })).toBe(false);
    },
  );

  it('still matches what the pattern means, and never runs past the input cap', () => {
    const { condition } = compileVerifiedCondition({ utm: { $regexi: '^spring-(sale|promo)$' } });
    expect(condition.test({ utm: 'Spring-Sale' })).toBe(true);
    const { condition: any } = compileVerifiedCondition({ q: { $regex: 'a' } });
    expect(any.test({ q: 'a'.repeat(CONDITION_LIMITS.maxRegexInput + 1) })).toBe(false);
  });

  it('never matches a backreference or lookaround, which only a backtracking engine can run', () => {
    expect(compileVerifiedCondition({ q: { $regex: '(a)\\1' } }).condition.test({ q: 'aa' })).toBe(false);
    expect(compileVerifiedCondition({ q: { $regex: 'a(?=b)' } }).condition.test({ q: 'ab' })).toBe(false);
  });
});
