import type { Condition, SavedGroups } from '../types.js';
import { pathReader } from './get-path.js';
import { CONDITION_LIMITS } from './limits.js';
import { compileLinearRegex } from './linear-regex.js';
import { regexProblem } from './regex-safety.js';
import { paddedVersionString } from './version-string.js';

/** A condition turned into closures once, so each decision only runs them. */
export interface CompiledCondition {
  /** Whether the attributes satisfy the condition. */
  readonly test: (attributes: unknown) => boolean;
  /**
   * The field paths that made a passing condition pass: every field of an `$and`, every matching
   * branch of an `$or`, every field under a negation. Explanations are built from these.
   */
  readonly matchedPaths: (attributes: unknown) => readonly string[];
  /** Every field path the condition reads. */
  readonly paths: readonly string[];
}

/** Why a condition could not be compiled; it then never matches. */
export type ConditionError = 'not_an_object' | 'too_deep' | 'too_large';

/** The outcome of compiling a condition. */
export type CompileResult =
  | { readonly ok: true; readonly condition: CompiledCondition }
  | { readonly ok: false; readonly error: ConditionError; readonly condition: CompiledCondition };

type Test = (value: unknown) => boolean;

interface Node {
  test: Test;
  collect: (object: unknown, out: string[]) => void;
}

class LimitExceeded {
  constructor(readonly error: ConditionError) {}
}

/** A condition that never matches: what an invalid condition becomes. */
export const NEVER: CompiledCondition = { test: () => false, matchedPaths: () => [], paths: [] };

/**
 * Compile a Mongo-style condition (GrowthBook semantics, every operator of its conformance suite).
 * Unknown operators and invalid or unsafe regexes never match; conditions beyond
 * `CONDITION_LIMITS` compile to a condition that never matches, with the reason.
 */
export function compileCondition(condition: unknown, savedGroups?: SavedGroups | null): CompileResult {
  return compileWith(condition, savedGroups, (pattern) => regexProblem(pattern) === null);
}

/**
 * `compileCondition` for a condition from a signature-verified snapshot: the server ran the ReDoS
 * shape scan when it linted the snapshot before signing, so the browser does not ship the scanner.
 * Every regex still runs on the linear-time matcher with the input-length cap, so even a pattern
 * that slipped past the scan cannot freeze a page; what the matcher refuses never matches.
 */
export function compileVerifiedCondition(condition: unknown, savedGroups?: SavedGroups | null): CompileResult {
  return compileWith(condition, savedGroups, () => true);
}

function compileWith(
  condition: unknown,
  savedGroups: SavedGroups | null | undefined,
  regexAllowed: (pattern: string) => boolean,
): CompileResult {
  if (!isPlainObject(condition)) return { ok: false, error: 'not_an_object', condition: NEVER };
  const compiler = new Compiler(isPlainObject(savedGroups) ? (savedGroups as SavedGroups) : {}, regexAllowed);
  try {
    const node = compiler.condition(condition, 0);
    const paths = Object.freeze([...compiler.paths]);
    // Without an $or every field of a passing condition counted: the answer is known now.
    const matchedPaths = compiler.branches
      ? (attributes: unknown): string[] => {
          const out: string[] = [];
          node.collect(attributes, out);
          return [...new Set(out)];
        }
      : () => paths as string[];
    return { ok: true, condition: { test: node.test, matchedPaths, paths } };
  } catch (error) {
    if (error instanceof LimitExceeded) return { ok: false, error: error.error, condition: NEVER };
    // A literal too deep to serialise (RangeError) is as unusable as one past the depth limit.
    return { ok: false, error: 'too_deep', condition: NEVER };
  }
}

class Compiler {
  readonly paths = new Set<string>();
  /** Whether an `$or` makes the matched fields depend on the attributes. */
  branches = false;
  private nodes = 0;

  constructor(
    private readonly savedGroups: SavedGroups,
    private readonly regexAllowed: (pattern: string) => boolean,
  ) {}

  private budget(depth: number): void {
    if (depth > CONDITION_LIMITS.maxDepth) throw new LimitExceeded('too_deep');
    if (++this.nodes > CONDITION_LIMITS.maxNodes) throw new LimitExceeded('too_large');
  }

  condition(condition: Condition, depth: number): Node {
    this.budget(depth);
    const parts: Node[] = [];
    for (const [key, value] of Object.entries(condition)) {
      switch (key) {
        case '$or':
          parts.push(this.or(value, depth + 1));
          break;
        case '$nor':
          parts.push(negate(this.or(value, depth + 1), pathsIn(value)));
          break;
        case '$and':
          parts.push(all(this.list(value, depth + 1)));
          break;
        case '$not':
          parts.push(negate(this.condition(asObject(value), depth + 1), pathsIn(value)));
          break;
        default:
          parts.push(this.field(key, value, depth + 1));
      }
    }
    return parts.length === 1 ? (parts[0] as Node) : all(parts);
  }

  private list(value: unknown, depth: number): Node[] {
    return Array.isArray(value) ? value.map((item) => this.condition(asObject(item), depth)) : [];
  }

  private or(value: unknown, depth: number): Node {
    this.branches = true;
    const branches = this.list(value, depth);
    return {
      test: (object) => branches.length === 0 || branches.some((branch) => branch.test(object)),
      collect: (object, out) => {
        for (const branch of branches) if (branch.test(object)) branch.collect(object, out);
      },
    };
  }

  private field(path: string, expected: unknown, depth: number): Node {
    this.paths.add(path);
    const test = this.value(expected, depth, false);
    const read = pathReader(path);
    return { test: (object) => test(read(object)), collect: (_object, out) => out.push(path) };
  }

  /** A test of one value against a literal or an operator object. */
  value(expected: unknown, depth: number, insensitive: boolean): Test {
    this.budget(depth);
    if (typeof expected === 'string') {
      if (insensitive) {
        const lower = expected.toLowerCase();
        return (actual) => String(actual).toLowerCase() === lower;
      }
      return (actual) => `${String(actual)}` === expected;
    }
    if (typeof expected === 'number') return (actual) => Number(actual) === expected;
    if (typeof expected === 'boolean')
      return (actual) => actual !== null && actual !== undefined && !!actual === expected;
    if (expected === null || expected === undefined) return (actual) => actual === null || actual === undefined;
    if (Array.isArray(expected) || !isOperatorObject(expected)) {
      const json = JSON.stringify(expected);
      return (actual) => sameJson(actual, json);
    }
    const tests = Object.entries(expected as Record<string, unknown>).map(([operator, argument]) =>
      this.operator(operator, argument, depth + 1),
    );
    return tests.length === 1 ? (tests[0] as Test) : (actual) => tests.every((test) => test(actual));
  }

  private operator(operator: string, expected: unknown, depth: number): Test {
    this.budget(depth);
    switch (operator) {
      case '$eq':
        return (actual) => actual === expected;
      case '$ne':
        return (actual) => actual !== expected;
      case '$lt':
        return (actual) => compare(actual, expected, (a, b) => a < b);
      case '$lte':
        return (actual) => compare(actual, expected, (a, b) => a <= b);
      case '$gt':
        return (actual) => compare(actual, expected, (a, b) => a > b);
      case '$gte':
        return (actual) => compare(actual, expected, (a, b) => a >= b);
      case '$veq':
      case '$vne':
      case '$vgt':
      case '$vgte':
      case '$vlt':
      case '$vlte':
        return versionTest(operator, paddedVersionString(expected));
      case '$exists':
        return expected
          ? (actual) => actual !== null && actual !== undefined
          : (actual) => actual === null || actual === undefined;
      case '$in':
      case '$nin':
      case '$ini':
      case '$nini': {
        if (!Array.isArray(expected)) return () => false;
        const isIn = membership(expected, operator === '$ini' || operator === '$nini');
        return operator === '$in' || operator === '$ini' ? isIn : (actual) => !isIn(actual);
      }
      case '$inGroup':
      case '$notInGroup': {
        const group =
          typeof expected === 'string' && Object.hasOwn(this.savedGroups, expected) ? this.savedGroups[expected] : [];
        const isIn = membership(group ?? [], false);
        return operator === '$inGroup' ? isIn : (actual) => !isIn(actual);
      }
      case '$not': {
        const inner = this.value(expected, depth, false);
        return (actual) => !inner(actual);
      }
      case '$size': {
        const inner = this.value(expected, depth, false);
        return (actual) => Array.isArray(actual) && inner(actual.length);
      }
      case '$elemMatch': {
        const check = isOperatorObject(expected)
          ? this.value(expected, depth, false)
          : this.condition(asObject(expected), depth).test;
        // GrowthBook skips falsy elements.
        return (actual) => Array.isArray(actual) && actual.some((element) => Boolean(element) && check(element));
      }
      case '$all':
      case '$alli': {
        if (!Array.isArray(expected)) return () => false;
        const insensitive = operator === '$alli';
        const each = expected.map((item) => this.value(item, depth, insensitive));
        return (actual) => Array.isArray(actual) && each.every((test) => actual.some((element) => test(element)));
      }
      case '$regex':
      case '$regexi':
        return typeof expected === 'string' && this.regexAllowed(expected)
          ? regexTest(expected, operator === '$regexi')
          : () => false;
      case '$type':
        return (actual) => typeOf(actual) === expected;
      default:
        // Unknown operators never match (and the linter reports them).
        return () => false;
    }
  }
}

function all(parts: readonly Node[]): Node {
  return {
    test: (object) => parts.every((part) => part.test(object)),
    collect: (object, out) => {
      for (const part of parts) part.collect(object, out);
    },
  };
}

function negate(node: Node, paths: readonly string[]): Node {
  return { test: (object) => !node.test(object), collect: (_object, out) => out.push(...paths) };
}

function sameJson(actual: unknown, json: string): boolean {
  try {
    return JSON.stringify(actual) === json;
  } catch {
    // An attribute too deep to serialise equals nothing a condition can name.
    return false;
  }
}

function pathsIn(value: unknown): string[] {
  const out: string[] = [];
  const walk = (item: unknown): void => {
    if (Array.isArray(item)) item.forEach(walk);
    else if (isPlainObject(item)) {
      for (const [key, inner] of Object.entries(item)) {
        if (!key.startsWith('$')) out.push(key);
        else walk(inner);
      }
    }
  };
  walk(value);
  return out;
}

type Primitive = string | number | boolean | bigint;

function compare(actual: unknown, expected: unknown, op: (a: Primitive, b: Primitive) => boolean): boolean {
  // JavaScript ordering on primitives, as GrowthBook; null behaves as 0 in that ordering.
  const a = actual ?? null;
  if (!isComparable(a) || !isComparable(expected)) return false;
  return op(a as Primitive, expected as Primitive);
}

function isComparable(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function versionTest(operator: string, expected: string): Test {
  switch (operator) {
    case '$veq':
      return (actual) => paddedVersionString(actual) === expected;
    case '$vne':
      return (actual) => paddedVersionString(actual) !== expected;
    case '$vgt':
      return (actual) => paddedVersionString(actual) > expected;
    case '$vgte':
      return (actual) => paddedVersionString(actual) >= expected;
    case '$vlt':
      return (actual) => paddedVersionString(actual) < expected;
    default:
      return (actual) => paddedVersionString(actual) <= expected;
  }
}

function membership(list: readonly unknown[], insensitive: boolean): Test {
  const fold = (value: unknown): unknown => (insensitive && typeof value === 'string' ? value.toLowerCase() : value);
  const set = new Set(list.map(fold));
  const has = (value: unknown): boolean => set.has(fold(value));
  // An array attribute is in the list when any of its elements is.
  return (actual) => (Array.isArray(actual) ? actual.some(has) : has(actual));
}

function regexTest(pattern: string, insensitive: boolean): Test {
  // Never RegExp: a backtracking engine lets one pattern freeze the page (docs/snapshot.md "Limits").
  const compiled = compileLinearRegex(pattern, insensitive);
  // A pattern the matcher refuses never matches (the linter reports it at publish).
  if (!compiled.ok) return () => false;
  const regex = compiled.regex;
  return (actual) => {
    const text = String(actual);
    return text.length <= CONDITION_LIMITS.maxRegexInput && regex.test(text);
  };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** An object whose keys are all operators (`$...`), GrowthBook's test. */
export function isOperatorObject(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Condition {
  return isPlainObject(value) ? value : { $__never: true };
}
