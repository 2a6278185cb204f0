import type { Purpose } from '../types.js';

/**
 * Candor's default purposes with their IAB TCF v2.2 and Google Consent Mode v2 mappings
 * (docs/privacy.md §2). Sites may add their own.
 */
export const DEFAULT_PURPOSES: readonly Purpose[] = [
  {
    id: 'essential',
    class: 'essential',
    name: { en: 'Essential', 'zh-Hant': '必要' },
    description: {
      en: 'Remembers your privacy choices and keeps the site secure.',
      'zh-Hant': '記住您的隱私選擇並維護網站安全。',
    },
    legalBasis: 'legal_obligation',
    tcf: { purposes: [], specialPurposes: [1, 3] },
    consentMode: ['security_storage'],
  },
  {
    id: 'contextual',
    class: 'contextual',
    name: { en: 'Content for this visit', 'zh-Hant': '依本次造訪調整內容' },
    description: {
      en: 'Adapts content to the page, language, device and campaign of this visit. No profile, nothing stored.',
      'zh-Hant': '依本次造訪的頁面、語言、裝置與活動來源調整內容，不建立個人檔案，也不儲存任何資料。',
    },
    legalBasis: 'legitimate_interest',
    tcf: { purposes: [11], specialPurposes: [] },
    consentMode: ['functionality_storage'],
  },
  {
    id: 'personalization',
    class: 'behavioural',
    name: { en: 'Personalization', 'zh-Hant': '個人化' },
    description: {
      en: 'Uses what you tell us and what you do on this site to show you more relevant content.',
      'zh-Hant': '根據您告訴我們的資訊與您在本網站的活動，為您顯示更相關的內容。',
    },
    legalBasis: 'consent',
    tcf: { purposes: [5, 6], specialPurposes: [] },
    consentMode: ['personalization_storage'],
  },
  {
    id: 'measurement',
    class: 'measurement',
    name: { en: 'Measurement', 'zh-Hant': '成效衡量' },
    description: {
      en: 'Counts, in aggregate, which versions help visitors, so we keep what works.',
      'zh-Hant': '以匯總方式計算哪些版本對訪客有幫助，讓我們保留有效的內容。',
    },
    legalBasis: 'consent',
    tcf: { purposes: [8], specialPurposes: [] },
    consentMode: ['analytics_storage'],
  },
  {
    id: 'sync',
    class: 'behavioural',
    name: { en: 'Sync across devices', 'zh-Hant': '跨裝置同步' },
    description: {
      en: 'Keeps your answers on our server so your other devices can use them.',
      'zh-Hant': '將您的回答保存在我們的伺服器上，讓您的其他裝置也能使用。',
    },
    legalBasis: 'consent',
    tcf: { purposes: [1, 5], specialPurposes: [] },
    consentMode: ['personalization_storage'],
  },
];
