import { CONDITION_LIMITS } from '../targeting/limits.js';

/**
 * Operators the engine applies to a field value (GrowthBook's set plus Candor's saved groups).
 * `$and`, `$or`, `$nor` (and `$not`) combine whole conditions and are only valid at condition level.
 */
export const VALUE_OPERATORS: ReadonlySet<string> = new Set([
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$exists',
  '$type',
  '$regex',
  '$regexi',
  '$ini',
  '$nini',
  '$all',
  '$alli',
  '$elemMatch',
  '$size',
  '$not',
  '$vgt',
  '$vgte',
  '$vlt',
  '$vlte',
  '$veq',
  '$vne',
  '$inGroup',
  '$notInGroup',
]);

/** Operators whose argument is a list of values, where a list of user ids would hide. */
export const LIST_OPERATORS: ReadonlySet<string> = new Set(['$in', '$nin', '$ini', '$nini', '$all', '$alli']);

/** One field a condition reads and the expression it tests the field with. */
export interface ConditionRead {
  readonly path: string;
  readonly expression: unknown;
  /** Under an odd number of `$not` / `$nor`: the condition matches when this test fails. */
  readonly negated: boolean;
}

/** Something a condition holds at a field path (or at its root, path `''`). */
export interface ConditionSite<T> {
  readonly path: string;
  readonly operator: string;
  readonly value: T;
}

/** What a condition reads, uses and contains, gathered in one walk for every condition rule. */
export interface ConditionFacts {
  readonly reads: ConditionRead[];
  readonly unknownOperators: ConditionSite<'condition' | 'value'>[];
  readonly regexes: ConditionSite<unknown>[];
  readonly lists: ConditionSite<readonly unknown[]>[];
  /** Every string literal, wherever it sits (operator `''` for plain equality). */
  readonly strings: ConditionSite<string>[];
  /** Every number literal, wherever it sits: a phone number or an id can be written as one. */
  readonly numbers: ConditionSite<number>[];
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOperatorObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

/**
 * Gathers the facts of a condition with the engine's reading of it (`compileCondition`): which keys
 * are field paths, which are operators, which values are literals. Paths inside `$elemMatch` are
 * prefixed with the array's path. The walk stops at a little beyond `CONDITION_LIMITS`, so hostile
 * input cannot exhaust the stack; the compile check reports such a condition anyway.
 */
export function walkCondition(condition: unknown): ConditionFacts {
  const facts: ConditionFacts = { reads: [], unknownOperators: [], regexes: [], lists: [], strings: [], numbers: [] };
  const maxDepth = CONDITION_LIMITS.maxDepth + 2;
  let budget = CONDITION_LIMITS.maxNodes * 2;
  const enter = (depth: number): boolean => depth <= maxDepth && --budget >= 0;

  const visitCondition = (value: unknown, prefix: string, depth: number, negated: boolean): void => {
    if (!enter(depth) || !isObject(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$and' || key === '$or' || key === '$nor') {
        const flip = key === '$nor' ? !negated : negated;
        if (Array.isArray(inner)) for (const item of inner) visitCondition(item, prefix, depth + 1, flip);
      } else if (key === '$not') {
        visitCondition(inner, prefix, depth + 1, !negated);
      } else if (key.startsWith('$')) {
        facts.unknownOperators.push({ path: prefix, operator: key, value: 'condition' });
        visitLiteral(inner, prefix, key, depth + 1);
      } else {
        const path = prefix === '' ? key : `${prefix}.${key}`;
        facts.reads.push({ path, expression: inner, negated });
        visitValue(inner, path, depth + 1);
      }
    }
  };

  const visitValue = (value: unknown, path: string, depth: number): void => {
    if (!enter(depth)) return;
    if (!isOperatorObject(value)) {
      visitLiteral(value, path, '', depth);
      return;
    }
    for (const [operator, argument] of Object.entries(value)) visitOperator(operator, argument, path, depth + 1);
  };

  const visitOperator = (operator: string, argument: unknown, path: string, depth: number): void => {
    if (!VALUE_OPERATORS.has(operator)) {
      facts.unknownOperators.push({ path, operator, value: 'value' });
      visitLiteral(argument, path, operator, depth);
      return;
    }
    switch (operator) {
      case '$not':
      case '$size':
        visitValue(argument, path, depth);
        return;
      case '$elemMatch':
        if (isOperatorObject(argument)) visitValue(argument, path, depth);
        else visitCondition(argument, path, depth, false);
        return;
      case '$regex':
      case '$regexi':
        facts.regexes.push({ path, operator, value: argument });
        visitLiteral(argument, path, operator, depth);
        return;
      default:
        if (LIST_OPERATORS.has(operator) && Array.isArray(argument)) {
          facts.lists.push({ path, operator, value: argument });
        }
        if (operator === '$all' || operator === '$alli') {
          if (Array.isArray(argument)) for (const item of argument) visitValue(item, path, depth + 1);
        } else {
          visitLiteral(argument, path, operator, depth);
        }
    }
  };

  const visitLiteral = (value: unknown, path: string, operator: string, depth: number): void => {
    if (!enter(depth)) return;
    if (typeof value === 'string') facts.strings.push({ path, operator, value });
    else if (typeof value === 'number') facts.numbers.push({ path, operator, value });
    else if (Array.isArray(value)) for (const item of value) visitLiteral(item, path, operator, depth + 1);
    else if (isObject(value)) for (const item of Object.values(value)) visitLiteral(item, path, operator, depth + 1);
  };

  visitCondition(condition, '', 0, false);
  return facts;
}
