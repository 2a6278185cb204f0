// The visual audience builder edits a flat list of rules joined by AND or OR; the Mongo-style JSON
// beside it stays the source of truth. A condition the builder cannot show (nesting, $not, regex
// flags…) is left to the JSON editor rather than silently rewritten.
import type { FieldDraft } from '@candor/schema';

/** Field types as the draft schema names them. */
export type FieldType = FieldDraft['type'];

/** Operators the visual builder offers. */
export type Operator =
  '$eq' | '$ne' | '$in' | '$nin' | '$gt' | '$gte' | '$lt' | '$lte' | '$exists' | '$all' | '$size' | '$regex';

/** One rule: a field, an operator and its operand. */
export interface Rule {
  readonly field: string;
  readonly operator: Operator;
  readonly value: unknown;
}

/** Rules joined by one combinator. */
export interface RuleGroup {
  readonly combinator: 'and' | 'or';
  readonly rules: readonly Rule[];
}

/** The operators that make sense for each field type, most useful first. */
export const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly Operator[]>> = {
  string: ['$eq', '$ne', '$in', '$nin', '$regex', '$exists'],
  number: ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$exists'],
  boolean: ['$eq', '$exists'],
  'string[]': ['$in', '$nin', '$all', '$size', '$exists'],
};

const KNOWN = new Set<string>(Object.values(OPERATORS_BY_TYPE).flat());

/** Operators whose operand is a list. */
export function takesList(operator: Operator): boolean {
  return operator === '$in' || operator === '$nin' || operator === '$all';
}

/** The operand a fresh rule starts with, fitting the operator and the field's type. */
export function defaultValue(type: FieldType, operator: Operator): unknown {
  if (operator === '$exists') return true;
  if (takesList(operator)) return [];
  if (operator === '$size') return 1;
  if (type === 'number') return 0;
  if (type === 'boolean') return true;
  return '';
}

/** Turns the builder's rules into a condition, merging rules on distinct fields into one object. */
export function toCondition(group: RuleGroup): Record<string, unknown> {
  const parts = group.rules.map((rule) => ({ [rule.field]: { [rule.operator]: rule.value } }));
  if (group.combinator === 'or') return parts.length === 1 ? (parts[0] ?? {}) : { $or: parts };
  const fields = group.rules.map((rule) => rule.field);
  const repeated = new Set(fields).size !== fields.length;
  if (!repeated) return Object.assign({}, ...parts) as Record<string, unknown>;
  // The same field twice (18 ≤ age < 30) merges into one operator object unless an operator repeats.
  const merged: Record<string, Record<string, unknown>> = {};
  for (const rule of group.rules) {
    const ops = (merged[rule.field] ??= {});
    if (Object.hasOwn(ops, rule.operator)) return { $and: parts };
    ops[rule.operator] = rule.value;
  }
  return merged;
}

/** Reads a condition back into rules; undefined when the builder cannot show it faithfully. */
export function fromCondition(condition: unknown): RuleGroup | undefined {
  if (!isPlainObject(condition)) return undefined;
  const keys = Object.keys(condition);
  if (keys.length === 1 && (keys[0] === '$or' || keys[0] === '$and')) {
    const list = condition[keys[0]];
    if (!Array.isArray(list)) return undefined;
    const rules: Rule[] = [];
    for (const part of list) {
      const inner = fieldRules(part);
      if (inner === undefined || inner.length !== 1) return undefined;
      rules.push(...inner);
    }
    return { combinator: keys[0] === '$or' ? 'or' : 'and', rules };
  }
  const rules = fieldRules(condition);
  return rules === undefined ? undefined : { combinator: 'and', rules };
}

function fieldRules(condition: unknown): Rule[] | undefined {
  if (!isPlainObject(condition)) return undefined;
  const rules: Rule[] = [];
  for (const [field, test] of Object.entries(condition)) {
    if (field.startsWith('$')) return undefined;
    if (!isPlainObject(test)) {
      // `{ role: "developer" }` is shorthand for $eq; arrays and objects as literals are left to the JSON.
      if (typeof test === 'object' && test !== null) return undefined;
      rules.push({ field, operator: '$eq', value: test });
      continue;
    }
    const ops = Object.entries(test);
    if (ops.length === 0) return undefined;
    for (const [operator, value] of ops) {
      if (!KNOWN.has(operator)) return undefined;
      rules.push({ field, operator: operator as Operator, value });
    }
  }
  return rules;
}

/** Parses what an admin typed for an operand, by the field's type and the operator. */
export function parseOperand(type: FieldType, operator: Operator, text: string): unknown {
  if (operator === '$exists') return text !== 'false';
  if (operator === '$size') return Number(text);
  if (operator === '$regex') return text;
  if (takesList(operator)) {
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    return type === 'number' ? items.map(Number) : items;
  }
  if (type === 'number') return Number(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

/** The text an operand is edited as (the inverse of `parseOperand`). */
export function operandText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  return value === undefined || value === null ? '' : String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
