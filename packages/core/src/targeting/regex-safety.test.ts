import { describe, expect, it } from 'vitest';
import { regexProblem } from '../index.js';

describe('regexProblem (ReDoS guard)', () => {
  it.each([
    ['^(a+)+$', 'nested_quantifier'],
    ['(x*)*y', 'nested_quantifier'],
    ['^(\\w+\\s?)*$', 'nested_quantifier'],
    ['(a|a)*b', 'overlapping_alternation'],
    ['(a|ab)+c', 'overlapping_alternation'],
    ['(.|x)*', 'overlapping_alternation'],
    ['([a-z]+)*$', 'nested_quantifier'],
    // The shapes that walked around the first version of this check (issue 11, item 7).
    ['^(?:a|a)+$', 'overlapping_alternation'],
    ['(a|aa)+', 'overlapping_alternation'],
    ['(a+)+', 'nested_quantifier'],
    ['(.*a){20}', 'nested_quantifier'],
    ['(\\w|\\d)+$', 'overlapping_alternation'],
    ['(?<n>a|a)+$', 'overlapping_alternation'],
    // Backreference tricks: no linear-time matcher can run them, so they are refused outright.
    ['(a*)\\1*$', 'unsupported'],
    ['^(a|b|ab)*\\1$', 'unsupported'],
    ['(?<x>a+)\\k<x>+$', 'unsupported'],
    ['a(?=a+)+', 'unsupported'],
    ['((a{30}){30}){30}', 'too_complex'],
    ['(', 'invalid'],
    ['a'.repeat(600), 'too_long'],
  ])('refuses %s (%s)', (pattern, problem) => {
    expect(regexProblem(pattern)).toBe(problem);
  });

  it.each(['^/pricing', '^(en|zh)-', 'spring-(sale|promo)$', '^\\d{3}-\\d{4}$', '(ab)+', '[a-z]+@', '^v(1|2)\\.'])(
    'accepts the safe pattern %s',
    (pattern) => {
      expect(regexProblem(pattern)).toBeNull();
    },
  );
});
