import type { FieldView } from './draft-view.js';
import { tokenize } from './keyword-match.js';

const ADULT_AGE = 18;

// Words that may sit beside "age" in a person's age field. Anything else ("accountAge",
// "cacheAgeDays", "page") is the age of something that is not the visitor.
const PERSON_AGE_WORDS: ReadonlySet<string> = new Set([
  'age',
  'ages',
  'visitor',
  'user',
  'customer',
  'person',
  'member',
  'my',
  'your',
  'group',
  'range',
  'bracket',
  'band',
  'year',
  'years',
  'estimated',
  'declared',
  'inferred',
  'self',
  'reported',
]);

function namesPersonAge(text: string): boolean {
  if (text.includes('年齡') || text.includes('年紀')) return true;
  const tokens = tokenize(text);
  return (
    tokens.some((token) => token === 'age' || token === 'ages') && tokens.every((token) => PERSON_AGE_WORDS.has(token))
  );
}

/** Whether a condition path holds the visitor's age, going by the key's last segment or the field's label. */
export function isAgeLike(path: string, field: FieldView | undefined): boolean {
  const last = path.slice(path.lastIndexOf('.') + 1);
  if (namesPersonAge(last)) return true;
  return field !== undefined && (namesPersonAge(field.label.en) || namesPersonAge(field.label['zh-Hant']));
}

const NUMBER = /^\s*\d+(?:\.\d+)?\s*$/;
const RANGE = /^\s*(\d{1,3})\s*(?:-|–|~|to|至|到)\s*\d{1,3}\s*$/i;
const UNDER = /(?:\bunder|\bbelow|\bu|<|未滿)[\s_-]?(\d{1,2})\b/i;

/** Whether one age value (a number, "17", "13-17", "under 18", "未滿18") describes someone under 18. */
export function isMinorAge(value: unknown): boolean {
  if (typeof value === 'number') return value >= 0 && value < ADULT_AGE;
  if (typeof value !== 'string') return false;
  if (value.includes('未成年')) return true;
  if (NUMBER.test(value)) return Number(value) < ADULT_AGE;
  const range = RANGE.exec(value);
  if (range !== null) return Number(range[1]) < ADULT_AGE;
  const under = UNDER.exec(value);
  return under !== null && Number(under[1]) <= ADULT_AGE;
}

function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && NUMBER.test(value) ? Number(value) : Number.NaN;
}

/**
 * Whether an age test can select people under 18: a minor's age (`16`, `{$eq: 16}`, `{$in: [16]}`),
 * or an upper bound (`$lt`, `$lte`) without an adult lower bound, so `{$lt: 18}` and `{$lt: 65}` do
 * and `{$gte: 18, $lt: 65}` does not. Lower bounds alone and exclusions never do.
 */
export function selectsMinors(expression: unknown): boolean {
  if (typeof expression !== 'object' || expression === null) return isMinorAge(expression);
  if (Array.isArray(expression)) return false;
  const test = expression as Readonly<Record<string, unknown>>;
  if (isMinorAge(test['$eq'])) return true;
  for (const operator of ['$in', '$ini']) {
    const values = test[operator];
    if (Array.isArray(values) && values.some(isMinorAge)) return true;
  }
  const below = asNumber(test['$lt']);
  const atMost = asNumber(test['$lte']);
  const hasUpperBound = below > 0 || atMost >= 0;
  // `$gt: 17` admits 18 and over: ages are whole years.
  const adultsOnly = asNumber(test['$gte']) >= ADULT_AGE || asNumber(test['$gt']) >= ADULT_AGE - 1;
  return hasUpperBound && !adultsOnly;
}
