import type { Language } from '@candor/core';
import type { UiHost } from '../ui-contract.js';

/** Every visitor-facing sentence of the UI chunk, as whole sentences ({name} parameters), per language. */
const TEXT = {
  en: {
    promptTitle: 'Your privacy choices',
    promptIntro:
      '{site} can adapt this site to you. Choose what you allow. Nothing optional is on until you say so, and you can change your mind at any time under "Privacy choices".',
    reaskIntro: '{site} changed or added these purposes since you chose; your other choices stand.',
    alwaysOn: 'Always on',
    contextualOn: 'On for this visit only, nothing stored. You can object under "Privacy choices".',
    signalOff: 'Off: your browser asked for no sharing with other sites.',
    acceptAll: 'Accept all',
    acceptOnly: 'Allow {purposes} only',
    listSeparator: ' and ',
    rejectAll: 'Reject all',
    save: 'Save my choices',
    close: 'Close (nothing optional is turned on; we will ask again later)',
    gpcTitle: 'Opt-Out Preference Signal Honored',
    gpcBody:
      "Your browser sent Global Privacy Control: we don't use data from other sites or build a profile for marketing. You can still allow specific purposes yourself.",
    dntTitle: 'Do Not Track signal honoured',
    dntBody:
      "Your browser sent Do Not Track: we don't use data from other sites or build a profile for marketing. You can still allow specific purposes yourself.",
    policy: 'Privacy policy',
    whyWeAsk: 'Why we ask: {text}',
    whatYouGet: 'What you get: {text}',
    skip: 'Skip',
    answer: 'Save answer',
    questionTitle: 'A quick question',
    prefsTitle: 'Privacy choices',
    prefsConsent: 'What you allow',
    prefsHistory: 'Your earlier choices',
    prefsDevice: 'Data on this device',
    prefsServer: 'Data on our server',
    prefsServerNone: 'Our server holds no data about you.',
    prefsServerUnknown: 'Our server could not be reached; try again later.',
    prefsEmpty: 'Nothing is stored on this device.',
    prefsStop: 'Stop personalizing me',
    prefsStopped: 'Personalization is off: you asked us to stop.',
    prefsWithdraw: 'Withdraw all consent',
    prefsDeleteAll: 'Delete everything',
    prefsDeleted: 'Everything was deleted, on this device and on our server.',
    prefsDeleteFailed: 'Deleted on this device; our server could not be reached, so try again later.',
    prefsSaved: 'Saved. It applies from now on.',
    download: 'Download my data (JSON)',
    edit: 'Edit',
    remove: 'Delete',
    value: 'Value',
    source: 'Source',
    collected: 'Collected',
    purpose: 'Purpose',
    expires: 'Kept until',
    field: 'Data',
    granted: 'allowed',
    denied: 'not allowed',
    historyEntry: '{date}: {choices}',
    serverValues: '{count} value(s) kept for sync; {records} consent record(s).',
    badgeTitle: 'How this site uses your data',
    badgeDevice: 'Your answers stay on this device.',
    badgeDeviceUnless: 'Your answers stay on this device unless you allow "{purpose}".',
    badgeSensitive: 'Sensitive topics (such as health, religion or politics) are never used.',
    badgeGpc: 'Global Privacy Control and Do Not Track are honoured.',
    badgeNoThirdParty: 'No data from other websites is used.',
    badgeRetention: 'What is kept is deleted after at most {days} days.',
    badgeLink: 'How we personalize',
    closeDialog: 'Close',
    standardShown: 'Showing the standard version.',
  },
  'zh-Hant': {
    promptTitle: '您的隱私選擇',
    promptIntro:
      '{site} 可以依您的需要調整本網站。請選擇您允許的項目。在您同意之前，所有選用項目都不會開啟；您隨時可以在「隱私選擇」中變更。',
    reaskIntro: '{site} 已變更或新增下列用途；您其他的選擇不變。',
    alwaysOn: '一律開啟',
    contextualOn: '僅用於本次造訪，不儲存任何資料。您可以在「隱私選擇」中提出反對。',
    signalOff: '關閉：您的瀏覽器要求不與其他網站分享資料。',
    acceptAll: '全部接受',
    acceptOnly: '只允許{purposes}',
    listSeparator: '與',
    rejectAll: '全部拒絕',
    save: '儲存我的選擇',
    close: '關閉（不開啟任何選用項目；之後會再詢問您）',
    gpcTitle: '已遵循退出偏好訊號',
    gpcBody:
      '您的瀏覽器送出了全球隱私控制（GPC）訊號：我們不使用來自其他網站的資料，也不為行銷建立個人檔案。您仍可自行允許特定用途。',
    dntTitle: '已遵循「請勿追蹤」訊號',
    dntBody:
      '您的瀏覽器送出了「請勿追蹤」訊號：我們不使用來自其他網站的資料，也不為行銷建立個人檔案。您仍可自行允許特定用途。',
    policy: '隱私權政策',
    whyWeAsk: '我們詢問的原因：{text}',
    whatYouGet: '您將獲得：{text}',
    skip: '略過',
    answer: '儲存回答',
    questionTitle: '簡短的問題',
    prefsTitle: '隱私選擇',
    prefsConsent: '您允許的項目',
    prefsHistory: '您先前的選擇',
    prefsDevice: '此裝置上的資料',
    prefsServer: '我們伺服器上的資料',
    prefsServerNone: '我們的伺服器沒有保存任何關於您的資料。',
    prefsServerUnknown: '目前無法連線到我們的伺服器，請稍後再試。',
    prefsEmpty: '此裝置上沒有儲存任何資料。',
    prefsStop: '停止為我個人化',
    prefsStopped: '個人化已關閉：您要求我們停止。',
    prefsWithdraw: '撤回所有同意',
    prefsDeleteAll: '刪除所有資料',
    prefsDeleted: '所有資料都已刪除，包括此裝置與我們的伺服器。',
    prefsDeleteFailed: '已刪除此裝置上的資料；目前無法連線到我們的伺服器，請稍後再試。',
    prefsSaved: '已儲存，即刻生效。',
    download: '下載我的資料（JSON）',
    edit: '修改',
    remove: '刪除',
    value: '內容',
    source: '來源',
    collected: '收集時間',
    purpose: '用途',
    expires: '保存至',
    field: '資料',
    granted: '已允許',
    denied: '未允許',
    historyEntry: '{date}：{choices}',
    serverValues: '為同步保存了 {count} 筆資料；{records} 筆同意紀錄。',
    badgeTitle: '本網站如何使用您的資料',
    badgeDevice: '您的回答只保存在此裝置上。',
    badgeDeviceUnless: '除非您允許「{purpose}」，您的回答只保存在此裝置上。',
    badgeSensitive: '絕不使用敏感主題（例如健康、宗教或政治）。',
    badgeGpc: '遵循全球隱私控制（GPC）與「請勿追蹤」訊號。',
    badgeNoThirdParty: '不使用來自其他網站的資料。',
    badgeRetention: '保存的資料最多 {days} 天後刪除。',
    badgeLink: '我們如何個人化',
    closeDialog: '關閉',
    standardShown: '正在顯示標準版本。',
  },
} satisfies Record<Language, Record<string, string>>;

/** A UI message key. */
export type TextKey = keyof (typeof TEXT)['en'];

/** The UI text for a key in the host's language, with the site's overrides and parameters filled in. */
export function t(host: UiHost, key: TextKey, params: Record<string, string | number> = {}): string {
  const language = host.language();
  const template = host.strings[language]?.[key] ?? TEXT[language][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** A date as the visitor reads it, in their language and time zone. */
export function formatDay(host: UiHost, epochMs: number): string {
  return new Intl.DateTimeFormat(host.language() === 'zh-Hant' ? 'zh-TW' : 'en', { dateStyle: 'medium' }).format(
    epochMs,
  );
}
