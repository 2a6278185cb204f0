import type { AttributeValue, Field, Language } from '../types.js';
import type { ExplanationMessages } from '../messages/catalog.js';

const LOCALES: Readonly<Record<Language, string>> = { en: 'en', 'zh-Hant': 'zh-Hant-TW' };

/** A value as the visitor gave it: the option's label when the field has options. */
export function formatValue(
  field: Field,
  value: AttributeValue,
  language: Language,
  messages: ExplanationMessages,
): string {
  const one = (item: AttributeValue): string => {
    if (typeof item === 'boolean') return item ? messages.yes : messages.no;
    if (item === null) return messages.notProvided;
    const option = field.options?.find((candidate) => candidate.value === item);
    if (option) return option.label[language];
    return typeof item === 'object' ? JSON.stringify(item) : String(item);
  };
  if (Array.isArray(value)) return formatList(value.map(one), language);
  return one(value as AttributeValue);
}

/** A date in the visitor's language; the time zone is a parameter because the core reads no clock or locale. */
export function formatDate(epochMs: number, language: Language, timeZone: string): string {
  const key = `${language}|${timeZone}`;
  let format = dateFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeZone });
    dateFormats.set(key, format);
  }
  return format.format(epochMs);
}

/** A list of names joined the way the language joins them. */
export function formatList(items: readonly string[], language: Language): string {
  if (items.length === 1) return items[0] as string;
  let format = listFormats.get(language);
  if (format === undefined) {
    format = new Intl.ListFormat(LOCALES[language], { type: 'conjunction' });
    listFormats.set(language, format);
  }
  return format.format(items);
}

// Building an Intl formatter costs far more than using one; these caches hold a handful at most.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const listFormats = new Map<Language, Intl.ListFormat>();
