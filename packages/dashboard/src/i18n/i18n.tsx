import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Language } from '../api/types.js';
import { formatMessage } from './format-message.js';
import { MESSAGES_EN, type MessageKey } from './messages-en.js';
import { MESSAGES_ZH_HANT } from './messages-zh-hant.js';

const CATALOGS: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = {
  en: MESSAGES_EN,
  'zh-Hant': MESSAGES_ZH_HANT,
};

/** The UI language and its translator. */
export interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly t: (key: MessageKey, values?: Readonly<Record<string, string | number>>) => string;
}

const I18nContext = createContext<I18n | undefined>(undefined);
const STORAGE_KEY = 'candor.dashboard.language';

/** The language to start in: the one chosen before, else the browser's (zh-TW/zh-HK/zh-Hant → zh-Hant). */
export function initialLanguage(stored: string | null, browser: readonly string[]): Language {
  if (stored === 'en' || stored === 'zh-Hant') return stored;
  return browser.some((tag) => /^zh-(Hant|TW|HK|MO)/i.test(tag)) ? 'zh-Hant' : 'en';
}

/** Provides the UI language; the choice is kept in this browser only. */
export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    initialLanguage(window.localStorage.getItem(STORAGE_KEY), navigator.languages),
  );
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    window.localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({ language, setLanguage, t: (key, values) => formatMessage(CATALOGS[language][key], values) }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The translator of the nearest provider. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === undefined) throw new Error('useI18n outside I18nProvider');
  return value;
}
