/**
 * Documented bounds on what a condition may be (docs/snapshot.md "Limits"). A condition beyond them
 * is refused at publish by the linter and never matches at run time, so a hostile snapshot cannot
 * make a decision slow.
 */
export const CONDITION_LIMITS = {
  /** Deepest nesting of objects and arrays inside one condition. */
  maxDepth: 32,
  /** Most operator and field nodes in one condition. */
  maxNodes: 2000,
  /** Longest `$regex` pattern, in characters. */
  maxRegexLength: 512,
  /** Longest attribute string a `$regex` is run against; longer values never match. */
  maxRegexInput: 4096,
  /**
   * Most instructions a `$regex` compiles to (counted repeats expanded); a test costs at most
   * (input length + 1) × this many steps, so one regex test stays under ~8 million steps.
   */
  maxRegexProgram: 1000,
} as const;

/** Path segments that could reach an object's prototype; a path through them finds nothing. */
export const FORBIDDEN_PATH_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
