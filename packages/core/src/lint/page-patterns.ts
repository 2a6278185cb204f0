import { pathPatternSource } from '../pages/url-match.js';
import { compileLinearRegex } from '../targeting/linear-regex.js';
import { regexProblem } from '../targeting/regex-safety.js';

/** A page pattern as a draft holds it, possibly half-filled. */
export interface PagePatternView {
  readonly type: string;
  readonly pattern: string;
}

/**
 * Why the visitor's linear matcher would refuse a page pattern (so it would match no page), or
 * null when it runs. Experiences and placed questions share it, so both fail the same way.
 */
export function pagePatternProblem(page: PagePatternView): string | null {
  if (page.type === 'regex') return regexProblem(page.pattern);
  if (page.type === 'path' && page.pattern.startsWith('/'))
    return compileLinearRegex(pathPatternSource(page.pattern)).ok ? null : 'too_complex';
  return 'invalid';
}

/** The fix every refused page pattern gets. */
export const PAGE_PATTERN_FIX =
  "Use a path pattern such as '/pricing' or '/blog/**', or a simpler regex (no backreferences or lookaround, no repeated groups that repeat).";
