import { compileCondition, type Field, type SavedGroups } from '@candor/core';
import { unsupportedOperators } from './condition-operators.js';
import type { SkipCode } from './import-report.js';

/** Why a rule's condition cannot carry over, or null when it can. */
export interface ConditionProblem {
  readonly code: SkipCode;
  readonly detail: string;
  readonly fix: string;
}

/** The declared field a condition path reads: the field itself or an object field it reaches into. */
function fieldFor(path: string, fields: readonly Field[]): Field | undefined {
  return fields.find((field) => path === field.key || path.startsWith(`${field.key}.`));
}

/**
 * Whether a GrowthBook condition means the same in Candor: only known operators, and every
 * attribute it reads a declared, non-sensitive Candor field (so it is read only under the field's
 * purpose, as the golden rule requires).
 */
export function checkCondition(
  condition: unknown,
  fields: readonly Field[],
  savedGroups: SavedGroups,
): ConditionProblem | null {
  const operators = unsupportedOperators(condition);
  if (operators.length > 0) {
    return {
      code: 'unsupported_operator',
      detail: `the condition uses ${operators.join(', ')}, which Candor does not evaluate`,
      fix: 'rewrite the condition with supported operators (docs/import-growthbook.md lists them) and import again',
    };
  }
  const compiled = compileCondition(condition, savedGroups);
  if (!compiled.ok) {
    return {
      code: 'invalid_condition',
      detail: `the condition cannot be compiled (${compiled.error})`,
      fix: 'simplify the condition (fewer nested parts) and import again',
    };
  }
  const undeclared = compiled.condition.paths.filter((path) => fieldFor(path, fields) === undefined);
  if (undeclared.length > 0) {
    return {
      code: 'undeclared_attribute',
      detail: `the condition reads ${undeclared.map((path) => `"${path}"`).join(', ')}, not declared as a Candor field with a purpose`,
      fix: 'declare each attribute as a field (with its purpose, source and texts) on the site, then import again',
    };
  }
  const sensitive = compiled.condition.paths
    .map((path) => fieldFor(path, fields))
    .filter((field): field is Field => field !== undefined && field.category.startsWith('S.'));
  if (sensitive.length > 0) {
    return {
      code: 'sensitive_attribute',
      detail: `the condition reads ${sensitive.map((field) => `"${field.key}" (${field.category})`).join(', ')}: Candor never targets on sensitive data`,
      fix: 'drop this rule; target on data that is not sensitive, if any serves the same need',
    };
  }
  return null;
}
