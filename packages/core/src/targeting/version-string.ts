/**
 * A version string padded so that plain string comparison orders versions
 * (`1.2.10` > `1.2.9`; a pre-release sorts before its release). GrowthBook-compatible.
 */
export function paddedVersionString(input: unknown): string {
  const raw = typeof input === 'number' ? String(input) : input;
  const text = typeof raw === 'string' && raw !== '' ? raw : '0';
  const parts = text.replace(/(^v|\+.*$)/g, '').split(/[-.]/);
  // A release (three parts) must sort after its pre-releases ("1.0.0-beta"): '~' sorts last.
  if (parts.length === 3) parts.push('~');
  return parts.map((part) => (/^[0-9]+$/.test(part) ? part.padStart(5, ' ') : part)).join('-');
}
