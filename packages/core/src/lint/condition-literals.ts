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

// Disguises an author (or a copy-paste) puts on an address: `alice(at)example.com`, `alice＠…`,
// `alice%40example.com`, `alice at example dot com`. Undone before the shapes are searched for.
function undisguise(text: string): string {
  return text
    .replace(/%40/gi, '@')
    .replace(/[＠﹫]/g, '@')
    .replace(/[．。]/g, '.')
    .replace(
      /\s*[([{<]\s*at\s*[)\]}>]\s*|\s+at\s+(?=[A-Za-z0-9-]+(?:\s*[([{<]?\s*dot\s*[)\]}>]?\s*|\.)[A-Za-z])/gi,
      '@',
    )
    .replace(/\s*[([{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+(?=[A-Za-z]{2,})/gi, '.');
}

// What a regex literal spells: escapes undone, anchors and group syntax dropped, each alternative
// apart, so `^alice\.smith@example\.com$` and `Alice Chen|Bob Wu` read as what they match.
function regexAlternatives(pattern: string): string[] {
  const plain = pattern
    .replace(/\(\?(?::|<?[=!]|<[^>]*>)/g, '(')
    .replace(/\\([^A-Za-z0-9])/g, '$1')
    .replace(/\\[dDwWsSbB]/g, ' ')
    .replace(/[?*]|\{\d+(?:,\d*)?\}/g, '');
  const parts = plain.split('|').map((part) => part.replace(/[\^$()]/g, '').trim());
  return [plain.replace(/[\^$()|]/g, ' '), ...parts].filter((part) => part !== '');
}

const EMAIL_IN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
// A run of digits with optional + and separators, bounded by anything that is not a word character.
const PHONE_IN = /(?<![\w.+-])\+?\(?\d[\d\s().-]{5,22}\d(?![\w])/g;
const SSN_IN = /(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)/;
// Taiwan's national id: a letter, then 1 or 2 (or 8 or 9 for residents), then 8 digits.
const TW_ID_IN = /(?<![A-Za-z0-9])[A-Za-z][1289]\d{8}(?![A-Za-z0-9])/;
const UUID_IN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function phoneIn(text: string): boolean {
  for (const match of text.matchAll(PHONE_IN)) {
    const candidate = match[0].trim();
    if (ISO_DATE.test(candidate) || IPV4.test(candidate)) continue;
    const digits = candidate.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) continue;
    // Every group after a country code has 2+ digits: `1.2.3.4567` is a version, not a number.
    const groups = candidate
      .replace(/^\+\d{1,3}[\s.-]/, '')
      .split(/[\s().-]+/)
      .filter((group) => group !== '');
    if (groups.every((group) => group.length >= 2)) return true;
  }
  return false;
}

// Common given names and family names: a list of them is a list of people.
const GIVEN_NAMES: ReadonlySet<string> = new Set(
  (
    'james john robert michael william david richard joseph thomas charles daniel matthew anthony mark paul ' +
    'steven andrew kevin brian george kenneth edward jason ryan eric peter kevin jack henry mary patricia ' +
    'jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret sandra ashley emily ' +
    'donna michelle carol amanda melissa deborah stephanie rebecca laura helen amy anna emma olivia sophia ' +
    'alice bob carol dave eve frank grace heidi ivan judy mallory oscar peggy trent victor wendy'
  ).split(' '),
);
const FAMILY_NAMES_ZH =
  '陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓';
const LATIN_FULL_NAME = /^([A-Z][a-z]+)(?:[ '-][A-Z][a-z]+)+$/;
const HAN_NAME = /^[\u4e00-\u9fff]{2,3}$/;

/** Whether a value reads as a person's full name: a common given name and a family name, or 2–3 Han characters after a common family name. */
export function looksLikeName(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const text = value.trim();
  const latin = LATIN_FULL_NAME.exec(text);
  if (latin !== null) return GIVEN_NAMES.has((latin[1] as string).toLowerCase());
  return HAN_NAME.test(text) && FAMILY_NAMES_ZH.includes(text[0] as string);
}

/** How many names in a list make it a list of people. */
export const NAME_LIST_THRESHOLD = 3;

/** What personal data one text holds, searched anywhere in it and through the usual disguises. */
export function personalDataIn(text: string): string[] {
  const plain = undisguise(text);
  const found: string[] = [];
  if (EMAIL_IN.test(plain)) found.push('an email address');
  if (phoneIn(plain)) found.push('a phone number');
  if (SSN_IN.test(plain) || TW_ID_IN.test(plain)) found.push('a national id number');
  if (UUID_IN.test(plain)) found.push('a user id');
  return found;
}

/** What in `strings` and `lists` looks like personal data, in words for a message; empty when nothing does. */
export function describePersonalData(strings: readonly string[], lists: readonly (readonly unknown[])[]): string[] {
  const found = new Set<string>();
  for (const text of strings) for (const kind of personalDataIn(text)) found.add(kind);
  const longest = Math.max(0, ...lists.map((values) => values.filter(looksLikeUserId).length));
  if (longest >= ID_LIST_THRESHOLD) found.add(`a list of ${longest} values that look like user ids`);
  const names = Math.max(0, ...lists.map((values) => values.filter(looksLikeName).length));
  if (names >= NAME_LIST_THRESHOLD) found.add(`a list of ${names} people's names`);
  return [...found];
}

// Numbers a phone number or an account id could be: 9 to 15 digits, tested for equality.
const EQUALITY = new Set(['', '$eq', '$ne', '$in', '$nin', '$all']);
function numberAsText(value: number, operator: string): string[] {
  return EQUALITY.has(operator) && Number.isInteger(value) && Math.abs(value) >= 100_000_000 ? [String(value)] : [];
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

// A business's own role addresses (sales@, support@) are contact details, not a person's.
const ROLE_ADDRESS =
  /(?<![A-Za-z0-9._%+-])(?:sales|support|info|hello|contact|team|help|press|privacy|noreply|no-reply|admin|billing|careers|jobs|service|hi)@[A-Za-z0-9.-]+/gi;

/** Personal data in variant copy: the snapshot carries it to every browser, whoever the variant is for. */
function lintVariantText(context: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const experience of context.draft.experiences) {
    for (const variant of experience.variants) {
      for (const slot of variant.slots) {
        const found = new Set<string>();
        for (const { text } of slot.texts) {
          for (const kind of personalDataIn(undisguise(text).replace(ROLE_ADDRESS, ' '))) found.add(kind);
        }
        if (found.size === 0) continue;
        // A phone number on its own is usually the business's line: the author confirms it.
        const onlyPhone = found.size === 1 && found.has('a phone number');
        findings.push(
          createFinding({
            code: 'variant_personal_data',
            severity: onlyPhone ? 'warning' : 'error',
            location: locate('experience', experience.id, `variants.${variant.id}.${slot.slot}`),
            message: `Variant '${variant.id}' of '${experience.id}' (slot '${slot.slot}') contains ${[...found].join(' and ')}. Snapshots are served to every browser, so this would publish it.`,
            fixHint: onlyPhone
              ? "Acknowledge only if it is the business's own number; a person's number must not be in a variant."
              : 'Remove it: use a role address (sales@, support@) or a link to a contact form; keep per-person data on the server.',
          }),
        );
      }
    }
  }
  return findings;
}

/** Literals in conditions and saved groups, and variant copy, that look like emails, phone numbers, national or user ids, or lists of ids or names. */
export function lintConditionLiterals(context: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const audience of context.draft.audiences) {
    const facts = context.factsOf(audience);
    const paths = new Set([...facts.strings, ...facts.lists, ...facts.numbers].map((site) => site.path));
    for (const path of paths) {
      const strings = facts.strings.filter((site) => site.path === path);
      const patterns = strings
        .filter((site) => site.operator === '$regex' || site.operator === '$regexi')
        .map((site) => regexAlternatives(site.value));
      const found = describePersonalData(
        [
          ...strings.map((site) => site.value),
          ...patterns.flat(),
          ...facts.numbers
            .filter((site) => site.path === path)
            .flatMap((site) => numberAsText(site.value, site.operator)),
        ],
        // An alternation of names is a list of names, however it is written.
        [...facts.lists.filter((site) => site.path === path).map((site) => site.value), ...patterns],
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
  return [...findings, ...lintVariantText(context)];
}
