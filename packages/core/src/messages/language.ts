import type { Language } from '../types.js';
import type { ExplanationMessages } from './catalog.js';
import { en } from './en.js';
import { zhHant } from './zh-hant.js';

const CATALOGS: Readonly<Record<Language, ExplanationMessages>> = { en, 'zh-Hant': zhHant };

/**
 * The supported language for a preference list (page `lang` first, then browser languages).
 * Any Chinese tag maps to Traditional Chinese, the only Chinese script Candor ships.
 *
 * @example pickLanguage(['zh-TW', 'en']) // 'zh-Hant'
 */
export function pickLanguage(preferences: readonly string[] = [], fallback: Language = 'en'): Language {
  for (const tag of preferences) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-Hant';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return fallback;
}

/** The explanation texts of a language. */
export function messagesFor(language: Language): ExplanationMessages {
  return CATALOGS[language];
}
