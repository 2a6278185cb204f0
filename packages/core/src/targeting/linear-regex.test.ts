import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLinearRegex, countLinearRegexSteps } from './linear-regex.js';
import { CONDITION_LIMITS } from './limits.js';

const compiled = (pattern: string, insensitive = false) => {
  const result = compileLinearRegex(pattern, insensitive);
  if (!result.ok) throw new Error(`'${pattern}' did not compile: ${result.problem}`);
  return result.regex;
};

// The shapes that walked around the old shape check (issue 11, item 7), each with the input that
// makes a backtracking engine take exponential or high-polynomial time.
const HOSTILE: readonly (readonly [string, string])[] = [
  ['^(?:a|a)+$', `${'a'.repeat(4000)}!`],
  ['(a|aa)+$', `${'a'.repeat(4000)}!`],
  ['(a+)+$', `${'a'.repeat(4000)}!`],
  ['(.*a){20}', `${'a'.repeat(19)}${'b'.repeat(3980)}`],
  ['(\\w|\\d)+$', `${'1'.repeat(4000)}!`],
  ['\\w+\\d+\\w+$', `${'1'.repeat(4000)}!`],
  ['^(a*)*b$', 'a'.repeat(4000)],
];

describe('compileLinearRegex: the work bound', () => {
  it.each(HOSTILE)('%s on its hostile input stays within (length + 1) × program size steps', (pattern, input) => {
    const { size } = compiled(pattern);
    const steps = countLinearRegexSteps(pattern, input);
    expect(steps).toBeGreaterThan(0);
    // Each position touches each instruction at most once in the closure and once on the character.
    expect(steps).toBeLessThanOrEqual(2 * (input.length + 1) * size);
  });

  it('answers the hostile shapes: no match, where RegExp would freeze before saying so', () => {
    for (const [pattern, input] of HOSTILE) {
      expect(compiled(pattern).test(input), pattern).toBe(false);
      // One character fixed and each shape matches, so the answer is not a blanket refusal.
      const fixed = pattern === '(.*a){20}' ? `a${input}` : pattern === '^(a*)*b$' ? `${input}b` : input.slice(0, -1);
      expect(compiled(pattern).test(fixed), pattern).toBe(true);
    }
  });

  it('holds the bound over a generated family of nested, overlapping repeats', () => {
    const atom = fc.constantFrom('a', 'aa', '\\w', '\\d', '.', '[ab]', 'a?');
    const quantifier = fc.constantFrom('*', '+', '{2,}', '{1,3}', '?');
    const shape = fc
      .tuple(fc.array(atom, { minLength: 1, maxLength: 3 }), quantifier, quantifier, fc.boolean())
      .map(([atoms, inner, outer, anchored]) => `${anchored ? '^' : ''}(?:(?:${atoms.join('|')})${inner})${outer}$`);
    fc.assert(
      fc.property(shape, fc.nat({ max: 300 }), (pattern, length) => {
        const { size } = compiled(pattern);
        const input = `${'a1'.repeat(length)}!`;
        expect(countLinearRegexSteps(pattern, input)).toBeLessThanOrEqual(2 * (input.length + 1) * size);
      }),
    );
  });
});

describe('compileLinearRegex: the same answers as RegExp', () => {
  const patterns = [
    '^/pricing',
    '^(en|zh)-',
    'spring-(sale|promo)$',
    '^\\d{3}-\\d{4}$',
    '(ab)+',
    '[a-z]+@',
    '^v(1|2)\\.',
    '\\bpro\\b',
    '\\Bro',
    '[^a-c]x',
    '[\\d-z]',
    'a{2}b{1,}c{0,2}',
    'colou?r',
    '^$',
    '.',
    '(?<lang>en|de)-(?:us|gb)',
    '\\x41\\u0042\\t',
    '[\\]a]',
    'a{',
    '價格|方案',
    '[^]',
    '[]',
  ];
  const subjects = [
    '',
    'a',
    '/pricing/plans',
    'en-us',
    'zh-tw',
    'spring-sale',
    '555-1234',
    'AB\t',
    'color',
    'colour',
    'go pro now',
    'bro',
    'dx',
    '-',
    'aabcc',
    'a{',
    ']',
    '方案',
    '\n',
    'DE-GB',
    'v1.2',
  ];

  it.each(patterns)('%s', (pattern) => {
    for (const insensitive of [false, true]) {
      const reference = new RegExp(pattern, insensitive ? 'i' : '');
      const regex = compiled(pattern, insensitive);
      for (const subject of subjects) {
        expect(regex.test(subject), `${pattern} on ${JSON.stringify(subject)} (i: ${insensitive})`).toBe(
          reference.test(subject),
        );
      }
    }
  });

  it('agrees with RegExp on generated patterns and inputs', () => {
    const letter = fc.constantFrom('a', 'b', 'A', '1', ' ', '-', '中');
    const atom = fc.oneof(
      letter,
      fc.constantFrom('.', '\\d', '\\w', '\\s', '\\W', '[ab]', '[^a]', '[a-c1]', '\\b', '^', '$'),
    );
    const pattern = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => a + b),
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => `(?:${a}|${b})`),
        fc
          .tuple(tie('node'), fc.constantFrom('*', '+', '?', '{2}', '{1,2}', '{0,}'))
          .map(([a, q]) => (/[\^$]$|\\b$/.test(a) ? a : `(?:${a})${q}`)),
      ),
    })).node;
    const subject = fc.array(fc.constantFrom('a', 'b', 'A', 'B', '1', ' ', '-', '中', '\n'), { maxLength: 8 });
    fc.assert(
      fc.property(pattern, subject, fc.boolean(), (source, chars, insensitive) => {
        const text = chars.join('');
        const reference = new RegExp(source, insensitive ? 'i' : '').test(text);
        expect(compiled(source, insensitive).test(text)).toBe(reference);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compileLinearRegex: what it refuses', () => {
  it.each([
    ['(', 'invalid'],
    ['a'.repeat(CONDITION_LIMITS.maxRegexLength + 1), 'too_long'],
    ['(a)\\1', 'unsupported'],
    ['(a*)\\1*$', 'unsupported'],
    ['(?<x>a+)\\k<x>+$', 'unsupported'],
    ['a(?=b)', 'unsupported'],
    ['(?<!a)b', 'unsupported'],
    ['((a{100}){100}){100}', 'too_complex'],
    ['a{100000}', 'too_complex'],
  ])('%s is %s', (pattern, problem) => {
    expect(compileLinearRegex(pattern)).toEqual({ ok: false, problem });
  });
});
