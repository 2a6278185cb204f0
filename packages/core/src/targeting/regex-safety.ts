import { compileLinearRegex, type LinearRegexProblem } from './linear-regex.js';

/** Why a pattern is refused: the linear matcher cannot run it, or a backtracking engine could freeze on it. */
export type RegexProblem = LinearRegexProblem | 'nested_quantifier' | 'overlapping_alternation';

interface GroupState {
  hasUnboundedQuantifier: boolean;
  alternatives: string[];
  current: string;
}

const UNBOUNDED = /^(?:[*+]|\{\d+,\})/;
// `{20}` repeats too: `(.*a){20}` backtracks in time of the 20th power of the input.
const REPEATING = /^(?:[*+]|\{\d+,\d*\}|\{(?:[2-9]|\d{2,})\})/;

/**
 * Why a `$regex` pattern is refused at publish, or null. The guarantee is the linear matcher
 * (`compileLinearRegex`): a pattern it cannot run (invalid, too long, backreferences, lookaround,
 * too large) is refused. The shape check on top refuses what would backtrack catastrophically in
 * another SDK's RegExp engine: a quantified group holding an unbounded quantifier (`(a+)+`,
 * `(.*a){20}`) or a quantified alternation whose branches can start alike (`(?:a|a)+`). It is
 * conservative, not complete; completeness is the matcher's job. A refused pattern can be rewritten.
 */
export function regexProblem(pattern: string): RegexProblem | null {
  const compiled = compileLinearRegex(pattern);
  if (!compiled.ok) return compiled.problem;
  const stack: GroupState[] = [{ hasUnboundedQuantifier: false, alternatives: [], current: '' }];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    const top = stack[stack.length - 1] as GroupState;
    if (char === '\\') {
      top.current += pattern.slice(i, i + 2);
      i++;
    } else if (char === '[') {
      const end = classEnd(pattern, i);
      top.current += pattern.slice(i, end + 1);
      i = end;
    } else if (char === '(') {
      stack.push({ hasUnboundedQuantifier: false, alternatives: [], current: '' });
      // `(?:` and `(?<name>` are groups too; their prefix is not the first character of a branch.
      const prefix = /^\?(?::|<[^>=!]*>)/.exec(pattern.slice(i + 1));
      if (prefix !== null) i += prefix[0].length;
    } else if (char === '|') {
      top.alternatives.push(top.current);
      top.current = '';
    } else if (char === ')' && stack.length > 1) {
      const group = stack.pop() as GroupState;
      group.alternatives.push(group.current);
      const after = pattern.slice(i + 1);
      const parent = stack[stack.length - 1] as GroupState;
      if (REPEATING.test(after)) {
        if (group.hasUnboundedQuantifier) return 'nested_quantifier';
        if (alternativesOverlap(group.alternatives)) return 'overlapping_alternation';
      }
      parent.hasUnboundedQuantifier ||= group.hasUnboundedQuantifier || UNBOUNDED.test(after);
      parent.current += `(${group.alternatives.join('|')})`;
    } else {
      if (UNBOUNDED.test(pattern.slice(i))) top.hasUnboundedQuantifier = true;
      top.current += char;
    }
  }
  return null;
}

function classEnd(pattern: string, start: number): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']' && i > start + 1) return i;
  }
  return pattern.length - 1;
}

const WILDCARD_START = /^(?:\.|\\[wWdDsS]|\[)/;

function alternativesOverlap(alternatives: readonly string[]): boolean {
  if (alternatives.length < 2) return false;
  const starts = new Set<string>();
  for (const alternative of alternatives) {
    if (alternative === '' || WILDCARD_START.test(alternative)) return true;
    const first = alternative.startsWith('\\') ? alternative.slice(0, 2) : alternative.slice(0, 1);
    if (starts.has(first.toLowerCase())) return true;
    starts.add(first.toLowerCase());
  }
  return false;
}
