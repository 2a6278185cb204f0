import { messagesFor, type Language, type Snapshot } from '@candor/core';
import { SERVER_STORAGE_PURPOSE } from '../consent/service.js';
import type { LintSummary } from '../publish/service.js';
import { consentSourceFacts, type ConsentSourceFacts } from './consent-source-facts.js';

/** The facts the public trust page states, all derived from the live snapshot (never hand-written). */
export interface PrivacyFacts {
  readonly siteKey: string;
  readonly controller: string;
  /** The languages the site writes its texts in: the page offers a switch among these only. */
  readonly languages: readonly Language[];
  readonly policyVersion: string;
  readonly snapshotVersion: number;
  readonly publishedAt: number;
  /** Codes (`legalBasis`, `class`, `source`, `purpose`, `keptOn`) are for machines; `…Text` for people. */
  readonly purposes: readonly {
    id: string;
    name: string;
    description: string;
    legalBasis: string;
    legalBasisText: string;
    class: string;
  }[];
  readonly fields: readonly {
    key: string;
    label: string;
    source: string;
    sourceText: string;
    purpose: string;
    purposeName: string;
    keptOn: 'device' | 'device and server (only with sync)';
    keptOnText: string;
    retentionDays: number;
    whyWeAsk: string;
  }[];
  readonly neverUsed: string;
  readonly gpc: string;
  /** Where the visitor's choices are made: the site's declared CMP, or Candor's own prompt. */
  readonly consentSource: ConsentSourceFacts;
  readonly lint: {
    readonly at: number;
    readonly errors: number;
    readonly warnings: number;
    readonly acknowledged: number;
  };
}

const TEXT: Readonly<Record<Language, { neverUsed: string; gpc: string; device: string; synced: string }>> = {
  en: {
    device: 'Only in your browser',
    synced: 'In your browser, and on our server only if you turn on sync',
    neverUsed:
      'Sensitive categories (health, religion, politics, ethnicity, sex life, union membership, genetics, biometrics, precise location, criminal records, children) are never used: the publish linter refuses them.',
    gpc: 'Global Privacy Control and Do Not Track are honoured: with the signal on, nothing is shared or sold, no cross-site data is used and no marketing profile is built. Opt-Out Preference Signal Honored.',
  },
  'zh-Hant': {
    device: '僅在您的瀏覽器中',
    synced: '在您的瀏覽器中；只有在您開啟同步時才會存放在我們的伺服器',
    neverUsed:
      '敏感類別（健康、宗教、政治、種族、性生活、工會、基因、生物特徵、精確位置、犯罪紀錄、兒童）絕不使用：發布時的檢查工具會拒絕它們。',
    gpc: '我們遵循全球隱私控制（GPC）與「請勿追蹤」（DNT）訊號：訊號開啟時，不分享或出售資料、不使用跨網站資料，也不建立行銷檔案。已遵循選擇退出偏好訊號。',
  },
};

/** Builds the page's facts in one language from a snapshot and its lint summary. */
export function privacyFacts(snapshot: Snapshot, lint: LintSummary, language: Language): PrivacyFacts {
  const serverSync = snapshot.purposes.some((purpose) => purpose.id === SERVER_STORAGE_PURPOSE);
  const words = messagesFor(language);
  const text = TEXT[language];
  const purposeName = new Map(snapshot.purposes.map((purpose) => [purpose.id, purpose.name[language]]));
  return {
    siteKey: snapshot.site.siteKey,
    controller: snapshot.site.name,
    languages: snapshot.site.languages ?? ['en', 'zh-Hant'],
    policyVersion: snapshot.site.policyVersion,
    snapshotVersion: snapshot.version,
    publishedAt: snapshot.publishedAt,
    purposes: snapshot.purposes.map((purpose) => ({
      id: purpose.id,
      name: purpose.name[language],
      description: purpose.description[language],
      legalBasis: purpose.legalBasis,
      legalBasisText: words.legalBasis[purpose.legalBasis],
      class: purpose.class,
    })),
    fields: snapshot.fields.map((field) => {
      const synced = serverSync && (field.source === 'declared' || field.source === 'observed');
      return {
        key: field.key,
        label: field.label[language],
        source: field.source,
        sourceText: words.source[field.source],
        purpose: field.purpose,
        purposeName: purposeName.get(field.purpose) ?? field.purpose,
        keptOn: synced ? 'device and server (only with sync)' : 'device',
        keptOnText: synced ? text.synced : text.device,
        retentionDays: field.retentionDays,
        whyWeAsk: field.whyWeAsk[language],
      };
    }),
    neverUsed: text.neverUsed,
    gpc: text.gpc,
    consentSource: consentSourceFacts(snapshot, language),
    lint: { at: lint.at, errors: lint.errors, warnings: lint.warnings, acknowledged: lint.acknowledged.length },
  };
}
