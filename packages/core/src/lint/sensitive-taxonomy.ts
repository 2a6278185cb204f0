import type { SensitiveCategory } from '../types.js';
import type { LintSeverity } from './finding.js';

/** How the linter recognises one category of docs/privacy.md §3, and how hard it pushes back. */
export interface SensitiveCategoryRule {
  /** §3's default: `S.*` blocks a publish, `W.*` needs an acknowledgement (W.cross_site: see field rules). */
  readonly severity: LintSeverity;
  /** Plain words for messages ("health or medical data"). */
  readonly description: string;
  /** Whole English words or phrases, matched case-insensitively in keys, labels and questions. */
  readonly en: readonly string[];
  /** Traditional Chinese terms, matched as substrings (Chinese has no word spaces). */
  readonly zhHant: readonly string[];
  /** Words too short or ambiguous for prose, matched only as whole tokens of a field key (`q`, `lat`). */
  readonly keyOnly?: readonly string[];
}

// Keywords favour phrases over bare words where a bare word has an everyday meaning that would block
// harmless fields: "union" alone hits "European Union", "job" alone hits a B2B "jobTitle", and 酒 alone
// hits 酒店 (hotel). A field whose words slip through can still be tagged with its declared category.

/** docs/privacy.md §3 as data: every S.* and W.* category with its default severity and keywords. */
export const SENSITIVE_TAXONOMY: Readonly<Record<SensitiveCategory, SensitiveCategoryRule>> = {
  'S.race_ethnicity': {
    severity: 'error',
    description: 'racial or ethnic origin',
    en: ['race', 'racial', 'ethnicity', 'ethnic', 'ethnic origin', 'skin colour', 'skin color', 'indigenous'],
    zhHant: ['種族', '族裔', '族群認同', '膚色', '原住民'],
  },
  'S.politics': {
    severity: 'error',
    description: 'political opinions or affiliation',
    en: ['political', 'politics', 'political party', 'partisan', 'voting intention', 'voter', 'ideology'],
    zhHant: ['政治', '政黨', '黨派', '投票傾向', '政治立場'],
  },
  'S.religion_belief': {
    severity: 'error',
    description: 'religious or philosophical beliefs',
    en: ['religion', 'religious', 'faith', 'belief', 'beliefs', 'church', 'mosque', 'synagogue', 'temple', 'worship'],
    zhHant: ['宗教', '信仰', '教會', '佛教', '基督', '伊斯蘭', '道教'],
  },
  'S.union': {
    severity: 'error',
    description: 'trade-union membership',
    en: ['trade union', 'labor union', 'labour union', 'union member', 'union membership', 'unionized', 'unionised'],
    zhHant: ['工會'],
  },
  'S.health': {
    severity: 'error',
    description: 'physical or mental health, medical care, disability, pregnancy or fertility',
    en: [
      'health',
      'medical',
      'medicine',
      'disease',
      'illness',
      'diagnosis',
      'medical treatment',
      'therapy',
      'medication',
      'prescription',
      'disability',
      'disabled',
      'pregnant',
      'pregnancy',
      'fertility',
      'conceive',
      'conceiving',
      'trying to conceive',
      'expecting a baby',
      'miscarriage',
      'abortion',
      'menopause',
      'ivf',
      'mental health',
      'depression',
      'cancer',
      'diabetes',
      'hiv',
      'clinic',
      'hospital',
      'patient',
      'symptom',
    ],
    zhHant: [
      '健康',
      '醫療',
      '疾病',
      '病歷',
      '病史',
      '懷孕',
      '孕婦',
      '備孕',
      '受孕',
      '試管嬰兒',
      '流產',
      '墮胎',
      '更年期',
      '身心障礙',
      '殘障',
      '治療',
      '用藥',
      '處方',
      '診斷',
      '生育',
      '不孕',
      '癌症',
      '憂鬱',
    ],
  },
  'S.genetic': {
    severity: 'error',
    description: 'genetic data',
    en: ['genetic', 'genetics', 'gene', 'dna', 'genome', 'genotype'],
    zhHant: ['基因', '遺傳'],
  },
  'S.biometric': {
    severity: 'error',
    description: 'biometric identification',
    en: [
      'biometric',
      'biometrics',
      'fingerprint',
      'face recognition',
      'facial recognition',
      'faceprint',
      'voiceprint',
      'iris scan',
      'retina',
    ],
    zhHant: ['生物辨識', '生物特徵', '指紋', '臉部辨識', '人臉辨識', '虹膜', '聲紋'],
  },
  'S.neural': {
    severity: 'error',
    description: 'neural data',
    en: ['neural', 'brain activity', 'brainwave', 'eeg', 'neurodata'],
    zhHant: ['神經數據', '神經資料', '腦波', '腦電'],
  },
  'S.sex_life_orientation': {
    severity: 'error',
    description: 'sex life or sexual orientation',
    en: [
      'sexual orientation',
      'sex life',
      'sexuality',
      'sexual preference',
      'gay',
      'lesbian',
      'bisexual',
      'lgbt',
      'lgbtq',
    ],
    zhHant: ['性傾向', '性取向', '性生活', '性偏好', '同性戀', '雙性戀'],
  },
  'S.criminal': {
    severity: 'error',
    description: 'criminal records or offences',
    en: ['criminal', 'crime', 'conviction', 'convicted', 'offence', 'offense', 'felony', 'arrest', 'arrested'],
    zhHant: ['犯罪', '前科', '刑事', '逮捕', '定罪', '判刑'],
  },
  'S.citizenship': {
    severity: 'error',
    description: 'citizenship or immigration status',
    en: [
      'citizenship',
      'citizen status',
      'immigration',
      'immigrant',
      'nationality',
      'visa status',
      'residency status',
      'refugee',
      'asylum',
      'green card',
    ],
    zhHant: ['國籍', '移民', '公民身分', '公民身份', '居留', '簽證', '難民'],
  },
  'S.credentials': {
    severity: 'error',
    description: 'government ids, account credentials or card numbers',
    en: [
      'passport',
      'national id',
      'id number',
      'social security',
      'ssn',
      'tax id',
      'driver license',
      'drivers license',
      'driving licence',
      'credit card',
      'card number',
      'cvv',
      'password',
      'passcode',
      'security answer',
    ],
    zhHant: ['身分證', '身份證', '護照', '信用卡', '卡號', '密碼', '駕照號碼', '統一編號'],
  },
  'S.comms_content': {
    severity: 'error',
    description: 'the contents of messages or email',
    en: [
      'message content',
      'message body',
      'message text',
      'email content',
      'email body',
      'private message',
      'chat transcript',
      'chat log',
      'sms content',
      'inbox',
    ],
    zhHant: ['訊息內容', '郵件內容', '信件內容', '私訊', '聊天內容', '聊天紀錄', '簡訊內容'],
  },
  'S.precise_geo': {
    severity: 'error',
    description: 'precise location finer than 500 m, or visits to sensitive places',
    en: [
      'gps',
      'latitude',
      'longitude',
      'geolocation',
      'coordinates',
      'precise location',
      'exact location',
      'home address',
      'street address',
      'place of worship',
      'shelter',
    ],
    zhHant: ['經緯度', '精確位置', '精準位置', '精確定位', '衛星定位', '座標', '住址', '居住地址', '庇護所'],
    keyOnly: ['lat', 'lng', 'lon', 'latlng', 'latlon', 'geohash'],
  },
  'S.minor': {
    severity: 'error',
    description: 'known or likely minors',
    en: ['child', 'minor', 'minors', 'underage', 'under 18', 'teen', 'teenager'],
    zhHant: ['未成年', '兒童', '孩童', '青少年'],
  },
  'W.financial_hardship': {
    severity: 'warning',
    description: 'financial hardship such as debt, bankruptcy or low income',
    en: [
      'debt',
      'bankruptcy',
      'bankrupt',
      'insolvency',
      'low income',
      'poverty',
      'arrears',
      'overdue',
      'foreclosure',
      'payday loan',
    ],
    zhHant: ['負債', '破產', '低收入', '債務', '欠款', '欠債', '卡債', '清寒'],
  },
  'W.relationship_hardship': {
    severity: 'warning',
    description: 'relationship hardship such as divorce or bereavement',
    en: ['divorce', 'divorced', 'bereavement', 'bereaved', 'widow', 'widowed', 'widower', 'funeral', 'grief'],
    zhHant: ['離婚', '喪親', '喪偶', '喪禮', '守寡'],
  },
  'W.limited_topics': {
    severity: 'warning',
    description: 'a restricted topic such as gambling, alcohol, dating, weight loss or parenting',
    en: [
      'gambling',
      'casino',
      'betting',
      'lottery',
      'alcohol',
      'beer',
      'wine',
      'liquor',
      'dating',
      'weight loss',
      'diet pill',
      'parenting',
    ],
    zhHant: [
      '博弈',
      '賭博',
      '賭場',
      '彩券',
      '酒精',
      '飲酒',
      '酒類',
      '啤酒',
      '葡萄酒',
      '烈酒',
      '交友',
      '約會',
      '減重',
      '減肥',
      '育兒',
    ],
  },
  'W.opportunity': {
    severity: 'warning',
    description: 'housing, employment or credit offers',
    en: [
      'housing',
      'rental',
      'mortgage',
      'job offer',
      'job opening',
      'job listing',
      'job ad',
      'vacancy',
      'hiring',
      'job seeker',
      'credit offer',
      'loan',
    ],
    zhHant: ['住房', '租屋', '房屋出租', '職缺', '求職', '徵才', '貸款', '房貸', '信貸'],
  },
  'W.search_terms': {
    severity: 'warning',
    description: 'on-site search queries or referrer search keywords',
    en: [
      'search query',
      'search term',
      'search keyword',
      'search phrase',
      'keyword',
      'utm term',
      'referrer search',
      'search referrer',
    ],
    zhHant: ['搜尋', '搜索', '關鍵字', '關鍵詞', '查詢字詞'],
    keyOnly: ['q', 'query', 'search'],
  },
  'W.cross_site': {
    severity: 'error',
    description: 'data from other sites',
    en: ['third party', 'cross site', 'data broker', 'partner data', 'other sites', 'retargeting'],
    zhHant: ['第三方', '跨站', '跨網站', '其他網站', '再行銷'],
  },
  'W.coarse_geo': {
    severity: 'warning',
    description: 'city or region derived without the visitor telling you',
    en: [
      'city',
      'region',
      'province',
      'county',
      'metro area',
      'postal code',
      'zip code',
      'ip location',
      'geoip',
      'geo ip',
    ],
    zhHant: ['城市', '地區', '縣市', '鄉鎮', '郵遞區號', '所在地'],
    keyOnly: ['zip', 'geo'],
  },
  'W.proxy': {
    severity: 'warning',
    description: 'a combination of watch-listed signals',
    // A proxy is a combination, never one field: audience rules detect it.
    en: [],
    zhHant: [],
  },
};

/** Taxonomy order, so findings and tests walk the categories the way §3 lists them. */
export const SENSITIVE_CATEGORIES = Object.keys(SENSITIVE_TAXONOMY) as readonly SensitiveCategory[];

/** Whether a value is one of §3's category ids (declared categories arrive unchecked). */
export function isSensitiveCategory(value: unknown): value is SensitiveCategory {
  return typeof value === 'string' && Object.hasOwn(SENSITIVE_TAXONOMY, value);
}

/** Whether a category blocks on its own (`S.*`) rather than needing acknowledgement (`W.*`). */
export function isStrictCategory(category: SensitiveCategory): boolean {
  return category.startsWith('S.');
}
