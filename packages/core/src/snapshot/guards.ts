import { DEV } from '../dev.js';

/** Small structural checks for data that crosses a trust boundary (snapshots, profiles, consent). */

/** A non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A string of at least one character. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** A text present in every supported language. */
export function isLocalizedText(value: unknown): boolean {
  return isRecord(value) && typeof value['en'] === 'string' && typeof value['zh-Hant'] === 'string';
}

/** A share between 0 and 1. */
export function isShare(value: unknown): value is number {
  return isFiniteNumber(value) && value >= 0 && value <= 1;
}

/** Every element satisfies `check`; the path of the first that does not, otherwise null. */
export function firstInvalid(items: unknown, check: (item: unknown) => string | null, path: string): string | null {
  if (!Array.isArray(items)) return DEV ? `${path} must be an array` : path;
  for (let i = 0; i < items.length; i++) {
    const problem = check(items[i]);
    if (problem !== null) return DEV ? `${path}[${i}]: ${problem}` : path;
  }
  return null;
}
