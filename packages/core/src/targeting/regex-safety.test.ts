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
