import { compileLinearRegex } from '../targeting/linear-regex.js';
import { CONDITION_LIMITS } from '../targeting/limits.js';
import type { UrlMatch } from '../types.js';

// Page patterns come from a snapshot, which runs on the visitor's page: a signed snapshot proves
// who wrote a pattern, not that it is cheap. Both kinds therefore run on the linear-time matcher
// (a path pattern is translated to one), never on a backtracking RegExp.

/** A compiled page pattern: `test` takes a path plus query string (`/pricing?plan=pro`). */
export type UrlMatcher = (url: string) => boolean;

const NEVER_MATCHES: UrlMatcher = () => false;

/**
 * Compiles one `UrlMatch`. A path pattern is anchored and tested against the path alone (the query
 * and fragment are ignored): `*` is any run of characters except `/`, `**` any run at all. A regex
 * is tested against the path plus query string. A pattern the linear matcher refuses never matches
 * (the linter reports it at publish), so a page pattern can exclude but never break a decision.
 *
 * @example compileUrlMatch({ type: 'path', pattern: '/blog/**' })('/blog/2026/one?x=1') // true
 */
export function compileUrlMatch(match: UrlMatch): UrlMatcher {
  const source = match.type === 'path' ? pathPatternSource(match.pattern) : match.pattern;
  const compiled = compileLinearRegex(source);
  if (!compiled.ok) return NEVER_MATCHES;
  const { test } = compiled.regex;
  const read = match.type === 'path' ? pathOf : withoutFragment;
  return (url) => url.length <= CONDITION_LIMITS.maxRegexInput && test(read(url));
}

/** Whether a page URL matches any of `pages`; absent or empty `pages` means every page. */
export function matchUrl(pages: readonly UrlMatch[] | undefined, url: string): boolean {
  if (pages === undefined || pages.length === 0) return true;
  return compileUrlMatches(pages)(url);
}

/** `matchUrl` with its patterns compiled once, for a caller that tests many URLs. */
export function compileUrlMatches(pages: readonly UrlMatch[] | undefined): UrlMatcher {
  if (pages === undefined || pages.length === 0) return () => true;
  const matchers = pages.map(compileUrlMatch);
  return (url) => matchers.some((matcher) => matcher(url));
}

/** The anchored linear-regex source of a path pattern: literals escaped, `**` → `.*`, `*` → `[^/]*`. */
export function pathPatternSource(pattern: string): string {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        while (pattern[i + 1] === '*') i++;
      } else source += '[^/]*';
    } else source += /[\\^$.|?+()[\]{}/-]/.test(char) ? `\\${char}` : char;
  }
  return `${source}$`;
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

function withoutFragment(url: string): string {
  const end = url.indexOf('#');
  return end < 0 ? url : url.slice(0, end);
}
