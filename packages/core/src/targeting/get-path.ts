import { FORBIDDEN_PATH_SEGMENTS } from './limits.js';

/**
 * The value at a dot-separated path, or `null` when any step is missing (GrowthBook's rule).
 * Only own properties are followed, so `__proto__` and friends are inert.
 */
export function getPath(object: unknown, path: string): unknown {
  let current = object;
  for (const part of path.split('.')) {
    if (
      current === null ||
      typeof current !== 'object' ||
      FORBIDDEN_PATH_SEGMENTS.has(part) ||
      !Object.hasOwn(current, part)
    ) {
      return null;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * A reader for one path, split once: conditions are compiled per snapshot, so the per-decision
 * cost is only the property lookups.
 */
export function pathReader(path: string): (object: unknown) => unknown {
  const parts = path.split('.');
  if (parts.some((part) => FORBIDDEN_PATH_SEGMENTS.has(part))) return () => null;
  if (parts.length === 1) {
    return (object) =>
      object !== null && typeof object === 'object' && Object.hasOwn(object, path)
        ? (object as Record<string, unknown>)[path]
        : null;
  }
  return (object) => getPath(object, path);
}
