import { CONDITION_LIMITS } from './limits.js';

/** Why a pattern is refused. */
export type RegexProblem = 'invalid' | 'too_long' | 'nested_quantifier' | 'overlapping_alternation';

interface GroupState {
  hasUnboundedQuantifier: boolean;
  alternatives: string[];
  current: string;
}

const UNBOUNDED = /^(?:[*+]|\{\d+,\})/;
const REPEATING = /^(?:[*+]|\{\d+,\d*\})/;

/**
 * Whether a `$regex` pattern can backtrack catastrophically (or is invalid, or too long).
 * Detects the shapes behind practically all ReDoS reports: a quantified group that itself holds an
 * unbounded quantifier (`(a+)+`) and a quantified alternation whose branches can start alike
 * (`(a|ab)*`). Conservative by design: a refused pattern can always be rewritten.
 */
export function regexProblem(pattern: string): RegexProblem | null {
  if (pattern.length > CONDITION_LIMITS.maxRegexLength) return 'too_long';
  try {
    new RegExp(pattern);
  } catch {
    return 'invalid';
  }
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
