import type { ExplanationMessages } from './catalog.js';

const alt = (alternative: 'standard' | 'other'): string => (alternative === 'standard' ? '標準版本' : '另一個版本');

const share = (small: boolean): string => (small ? '一小部分' : '一部分');
// The claim that nothing about the visitor counted, made only when it is true; closes the sentence.
const unused = (used: boolean, clause = '選擇時沒有使用任何關於您的資料'): string => (used ? '。' : `，${clause}。`);

/** 繁體中文（zh-Hant）說明文字。 */
export const zhHant: ExplanationMessages = {
  title: '為什麼我會看到這個？',
  standardVersion: '標準版本',
  fact: {
    told: ({ label, value }) => `您的${label}是「${value}」`,
    seen: ({ label, value }) => `${label}：${value}`,
  },
  reason: {
    because: {
      declared: ({ facts }) => `您告訴我們${facts}`,
      behavioural: ({ facts }) => `您在本網站的活動（${facts}）`,
      inferred: ({ facts }) => `本網站根據您在此的活動推測${facts}`,
      contextual: ({ facts }) => `本次造訪的情境（${facts}）`,
    },
    targeted: ({ because, source }) =>
      `您看到這個內容，是因為${because}。${source === 'contextual' ? '我們不會儲存任何關於您的資料。' : ''}`,
    everyone: ({ used }) => `所有訪客都會看到這個版本${unused(used)}`,
    split: ({ used, matched, holdout }) =>
      `${matched ? '在符合條件的訪客中，這個版本' : '這個版本'}是在測試中隨機選出的，讓我們了解哪個版本效果更好${holdout ? '；有些訪客會看到標準版本' : ''}${unused(used || matched, '與您是誰無關')}`,
    bandit: ({ holdout, matched, used }) =>
      `到目前為止，這個版本${matched ? '對與您相似的訪客' : ''}效果最好，所以有更多訪客看到它；您看到哪個版本仍有一部分是隨機的。${holdout ? '有些訪客會看到標準版本，讓我們衡量差異。' : ''}${used || matched ? '' : '這與您是誰無關。'}`,
    measured: ({ matched, small }) =>
      `${matched ? '符合條件的訪客中，有' : '有'}${share(small)}${matched ? '' : '訪客'}會被隨機選中、改為看到標準版本，讓我們衡量這個內容是否真的有幫助。`,
    holdout: ({ because, small }) =>
      `${because === null ? '' : `這裡的內容是為與您相似的訪客挑選的，因為${because}。`}您看到的是標準版本，因為您被隨機分到${because === null ? '訪客' : '這些訪客'}中的${share(small)}，讓我們衡量個人化是否真的有幫助。`,
    none: ({ used }) => `您看到的是標準版本${unused(used)}`,
    off: {
      not_allowed: '您看到的是標準版本，因為您尚未允許個人化。',
      gpc: '您看到的是標準版本，因為我們遵循您瀏覽器的全球隱私控制（GPC）訊號。',
      dnt: '您看到的是標準版本，因為我們遵循您瀏覽器的「請勿追蹤」訊號。',
      objection: '您看到的是標準版本，因為您已要求我們停止為您提供個人化內容。',
    },
    error: '個人化功能目前無法使用，因此您看到的是標準版本。',
  },
  mattered: ({ label }) => `在使用的資料中，您的${label}影響最大。`,
  counterfactual: {
    removeAnswer: ({ label, alternative }) => `如果您移除告訴我們的${label}，您將看到${alt(alternative)}。`,
    deleteData: ({ label, alternative }) => `如果您刪除${label}的資料，您將看到${alt(alternative)}。`,
    otherVisit: ({ label, alternative }) => `若本次造訪的${label}不同，您會看到${alt(alternative)}。`,
    otherGroup: ({ alternative }) => `測試中另一組的訪客看到的是${alt(alternative)}。`,
    holdout: '在相同情況下，其他訪客看到的是個人化版本。',
    allowPersonalization: '如果您允許個人化，您可能會看到為您挑選的內容。',
    nothing: '您分享或更改任何資料都不會改變這個結果。',
  },
  signal: ({ label, value, source, when, purpose, until }) =>
    `${label}：${value}。${zhHant.source[source]}${when ? `（${when}）` : ''}，${zhHant.origin}。用於${purpose}${
      until ? `，保存至 ${until}` : ''
    }。`,
  source: {
    declared: '由您告訴我們',
    observed: '在本網站觀察到',
    context: '來自本次造訪（頁面、語言或裝置）',
    inferred: '根據您在本網站的活動推測',
  },
  origin: '僅限本網站',
  excluded: {
    sensitive: '我們從不使用敏感資訊（例如健康、宗教、政治觀點或精確位置）。',
    gpc: '已遵循退出偏好訊號：不使用來自其他網站的資料，也不為行銷建立個人檔案。',
    dnt: '已遵循「請勿追蹤」訊號：不使用來自其他網站的資料，也不為行銷建立個人檔案。',
    ungranted: ({ purposes }) => `我們沒有使用用於${purposes}的資料，因為您尚未允許。`,
    notMeasured: '由於您尚未允許成效衡量，本次造訪不會計入測試結果。',
    noOtherSites: '我們沒有使用任何來自其他網站的資料。',
  },
  controls: {
    edit_answer: '修改我的回答',
    stop_using: '不要將此資料用於個人化',
    withdraw_consent: '撤回同意',
    see_all_data: '查看我的所有資料',
    download: '下載我的資料',
    delete: '刪除我的資料',
    see_standard: '查看標準版本',
  },
  decidedBy: ({ site, purpose, basis }) => `由 ${site} 為「${purpose}」決定（法律依據：${basis}）。`,
  legalBasis: {
    consent: '您的同意',
    legitimate_interest: '正當利益（您可以提出反對）',
    contract: '與您的契約',
    legal_obligation: '法律義務',
  },
  proof: ({ record, policy }) => `同意紀錄 ${record}，隱私權政策版本 ${policy}。`,
  join: (sentences) => sentences.join(''),
  yes: '是',
  no: '否',
  notProvided: '未提供',
};
