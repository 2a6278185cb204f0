import { createFinding, locate, type LintFinding, type LintLocation } from './finding.js';
import type { LintContext } from './lint-context.js';

/** How many id-like values make a list look like a list of people rather than of options. */
export const ID_LIST_THRESHOLD = 5;

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const PHONE_SHAPE = /^\+?[\d\s()-]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LONG_NUMBER = /^\d{6,}$/;
const MIXED_TOKEN = /^(?=[A-Za-z0-9_-]*[A-Za-z])(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{8,}$/;

/** Whether a literal is shaped like an email address. */
export function looksLikeEmail(value: string): boolean {
  return EMAIL.test(value.trim());
}

/** Whether a literal is shaped like a phone number: 7 to 15 digits with optional +, spaces, dashes, parentheses. */
export function looksLikePhone(value: string): boolean {
  const text = value.trim();
  if (!PHONE_SHAPE.test(text) || ISO_DATE.test(text)) return false;
  const digits = text.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}

/** Whether a list value is shaped like a user id: a uuid, a 6+ digit number, a mixed token of 8+ chars or an email. */
export function looksLikeUserId(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= 100_000;
  if (typeof value !== 'string') return false;
  const text = value.trim();
  return UUID.test(text) || LONG_NUMBER.test(text) || MIXED_TOKEN.test(text) || looksLikeEmail(text);
}

/** What in `strings` and `lists` looks like personal data, in words for a message; empty when nothing does. */
export function describePersonalData(strings: readonly string[], lists: readonly (readonly unknown[])[]): string[] {
  const found: string[] = [];
  if (strings.some(looksLikeEmail)) found.push('an email address');
  if (strings.some(looksLikePhone)) found.push('a phone number');
  const longest = Math.max(0, ...lists.map((values) => values.filter(looksLikeUserId).length));
  if (longest >= ID_LIST_THRESHOLD) found.push(`a list of ${longest} values that look like user ids`);
  return found;
}

function personalDataFinding(location: LintLocation, subject: string, found: readonly string[]): LintFinding {
  return createFinding({
    code: 'condition_personal_data',
    severity: 'error',
    location,
    message: `${subject} contains ${found.join(' and ')}. Snapshots are served to every browser, so this would publish personal data.`,
    fixHint:
      'Target a property visitors share (a declared role, a plan, a page) instead of naming people; keep per-person lists on the server.',
  });
}

/** Condition and saved-group literals that look like emails, phone numbers or lists of user ids. */
export function lintConditionLiterals(context: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const audience of context.draft.audiences) {
    const facts = context.factsOf(audience);
    const paths = new Set([...facts.strings.map((site) => site.path), ...facts.lists.map((site) => site.path)]);
    for (const path of paths) {
      const found = describePersonalData(
        facts.strings.filter((site) => site.path === path).map((site) => site.value),
        facts.lists.filter((site) => site.path === path).map((site) => site.value),
      );
      if (found.length === 0) continue;
      const where = path === '' ? 'its condition' : `its test of '${path}'`;
      findings.push(
        personalDataFinding(locate('audience', audience.id, path), `Audience '${audience.id}' (${where})`, found),
      );
    }
  }
  for (const [name, values] of Object.entries(context.draft.savedGroups)) {
    const strings = values.filter((value): value is string => typeof value === 'string');
    const found = describePersonalData(strings, [values]);
    if (found.length > 0) {
      findings.push(personalDataFinding(locate('savedGroup', name), `Saved group '${name}'`, found));
    }
  }
  return findings;
}
