import type { Language, SiteSettings } from '../types.js';
import type { ExplanationMessages } from './catalog.js';
import { en } from './en.js';
import { zhHant } from './zh-hant.js';

const CATALOGS: Readonly<Record<Language, ExplanationMessages>> = { en, 'zh-Hant': zhHant };

/** The supported language a BCP 47 tag asks for; any Chinese tag is Traditional Chinese, the only Chinese script Candor ships. */
function languageOfTag(tag: string): Language | undefined {
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-Hant';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

/**
 * The supported language for a preference list (page `lang` first, then browser languages).
 * Any Chinese tag maps to Traditional Chinese, the only Chinese script Candor ships.
 *
 * @example pickLanguage(['zh-TW', 'en']) // 'zh-Hant'
 */
export function pickLanguage(preferences: readonly string[] = [], fallback: Language = 'en'): Language {
  for (const tag of preferences) {
    const language = languageOfTag(tag);
    if (language !== undefined) return language;
  }
  return fallback;
}

/**
 * The language to show a visitor on a site: the first preference among the languages the site
 * writes its texts in, else the site's default. An explicit choice the site does not offer falls
 * back the same way, so a visitor never reads chrome in one language and content in another.
 *
 * @example siteLanguage(['zh-TW'], { defaultLanguage: 'en', languages: ['en'] }) // 'en'
 */
export function siteLanguage(
  preferences: readonly string[] = [],
  site: Pick<SiteSettings, 'defaultLanguage' | 'languages'>,
  explicit?: Language,
): Language {
  const offered = (language: Language | undefined): language is Language =>
    language !== undefined && (site.languages === undefined || site.languages.includes(language));
  if (explicit !== undefined) return offered(explicit) ? explicit : site.defaultLanguage;
  for (const tag of preferences) {
    const language = languageOfTag(tag);
    if (offered(language)) return language;
  }
  return site.defaultLanguage;
}

/** The explanation texts of a language. */
export function messagesFor(language: Language): ExplanationMessages {
  return CATALOGS[language];
}
