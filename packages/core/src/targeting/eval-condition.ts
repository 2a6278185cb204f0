import type { Attributes, SavedGroups } from '../types.js';
import { compileCondition, type CompiledCondition } from './compile-condition.js';

const cache = new WeakMap<object, { groups: SavedGroups | undefined; compiled: CompiledCondition }>();

/**
 * Whether `attributes` satisfy `condition` (GrowthBook's argument order and semantics).
 * Never throws: a malformed condition is false. Compiled conditions are cached per condition object.
 *
 * @example evalCondition({ role: 'developer' }, { role: { $in: ['developer', 'admin'] } }) // true
 */
export function evalCondition(
  attributes: Attributes | unknown,
  condition: unknown,
  savedGroups?: SavedGroups,
): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  let entry = cache.get(condition);
  if (!entry || entry.groups !== savedGroups) {
    entry = { groups: savedGroups, compiled: compileCondition(condition, savedGroups).condition };
    cache.set(condition, entry);
  }
  return entry.compiled.test(attributes);
}
