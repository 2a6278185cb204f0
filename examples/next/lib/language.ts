import { acceptedLanguages } from '@candor/node';
import type { Language } from '@candor/core';

/** The page's language: Traditional Chinese when the visitor prefers Chinese first, else English. */
export function pageLanguage(acceptLanguage: string | null): Language {
  const first = acceptedLanguages(acceptLanguage ?? undefined).find((tag) => /^(en|zh)\b/i.test(tag));
  return first !== undefined && /^zh/i.test(first) ? 'zh-Hant' : 'en';
}
