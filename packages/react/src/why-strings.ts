import type { Language } from '@candor/core';

/** The "Why?" button's own words; the dialog it opens brings the SDK's (en and zh-Hant). */
export const WHY_TEXT: Readonly<Record<Language, { readonly label: string; readonly description: string }>> = {
  en: { label: 'Why?', description: 'Why am I seeing this?' },
  'zh-Hant': { label: '為什麼？', description: '為什麼我會看到這個？' },
};
