import { createHash } from 'node:crypto';

/** Language keys in a fixed order, so the same text always gives the same bytes. */
function sortedText(text: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(text)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The version of a purpose's visitor-facing text: the SHA-256 (hex) of its id, name and description
 * in every language. A visitor's choice answers one version; a changed text is a new version, which
 * is what asks the visitor again and what a ledger export proves was shown.
 */
export function purposeTextVersion(purpose: {
  readonly id: string;
  readonly name: Readonly<Record<string, string>>;
  readonly description: Readonly<Record<string, string>>;
}): string {
  const canonical = JSON.stringify([purpose.id, sortedText(purpose.name), sortedText(purpose.description)]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
