/** The operators Candor's targeting language evaluates (packages/core/src/targeting/compile-condition.ts). */
const SUPPORTED_OPERATORS: ReadonlySet<string> = new Set([
  '$or',
  '$nor',
  '$and',
  '$not',
  '$eq',
  '$ne',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  '$veq',
  '$vne',
  '$vgt',
  '$vgte',
  '$vlt',
  '$vlte',
  '$exists',
  '$in',
  '$nin',
  '$ini',
  '$nini',
  '$inGroup',
  '$notInGroup',
  '$size',
  '$elemMatch',
  '$all',
  '$alli',
  '$regex',
  '$regexi',
  '$type',
]);

/**
 * Every `$`-operator in a condition that Candor does not evaluate. Candor treats an unknown
 * operator as "never matches", so a rule using one would silently change meaning: it is reported.
 *
 * @example unsupportedOperators({ plan: { $fuzzy: 'pro' } }) // ['$fuzzy']
 */
export function unsupportedOperators(condition: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('$') && !SUPPORTED_OPERATORS.has(key)) found.add(key);
      visit(value);
    }
  };
  visit(condition);
  return [...found].sort();
}
