import type { Language } from '@candor/core';

/** The shop's own words, in both languages the site serves. */
export const PAGE_TEXT = {
  en: {
    title: 'Example shop',
    offerFallback: 'Our offer',
    welcome: 'Welcome to the shop',
    choices: 'Privacy choices',
  },
  'zh-Hant': {
    title: '範例商店',
    offerFallback: '我們的優惠',
    welcome: '歡迎光臨本店',
    choices: '隱私選擇',
  },
} as const satisfies Record<Language, Record<string, string>>;
