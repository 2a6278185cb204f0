import type { Language, Snapshot } from '@candor/core';
import { SERVER_STORAGE_PURPOSE } from '../consent/service.js';
import type { LintSummary } from '../publish/service.js';

/** The facts the public trust page states, all derived from the live snapshot (never hand-written). */
export interface PrivacyFacts {
  readonly siteKey: string;
  readonly controller: string;
  readonly policyVersion: string;
  readonly snapshotVersion: number;
  readonly publishedAt: number;
  readonly purposes: readonly { id: string; name: string; description: string; legalBasis: string; class: string }[];
  readonly fields: readonly {
    key: string;
    label: string;
    source: string;
    purpose: string;
    keptOn: 'device' | 'device and server (only with sync)';
    retentionDays: number;
    whyWeAsk: string;
  }[];
  readonly neverUsed: string;
  readonly gpc: string;
  readonly lint: {
    readonly at: number;
    readonly errors: number;
    readonly warnings: number;
    readonly acknowledged: number;
  };
}

const TEXT: Readonly<Record<Language, { neverUsed: string; gpc: string }>> = {
  en: {
    neverUsed:
      'Sensitive categories (health, religion, politics, ethnicity, sex life, union membership, genetics, biometrics, precise location, criminal records, children) are never used: the publish linter refuses them.',
    gpc: 'Global Privacy Control and Do Not Track are honoured: with the signal on, nothing is shared or sold, no cross-site data is used and no marketing profile is built. Opt-Out Preference Signal Honored.',
  },
  'zh-Hant': {
    neverUsed:
      '敏感類別（健康、宗教、政治、種族、性生活、工會、基因、生物特徵、精確位置、犯罪紀錄、兒童）絕不使用：發布時的檢查工具會拒絕它們。',
    gpc: '我們遵循全球隱私控制（GPC）與「請勿追蹤」（DNT）訊號：訊號開啟時，不分享或出售資料、不使用跨網站資料，也不建立行銷檔案。已遵循選擇退出偏好訊號。',
  },
};

/** Builds the page's facts in one language from a snapshot and its lint summary. */
export function privacyFacts(snapshot: Snapshot, lint: LintSummary, language: Language): PrivacyFacts {
  const serverSync = snapshot.purposes.some((purpose) => purpose.id === SERVER_STORAGE_PURPOSE);
  return {
    siteKey: snapshot.site.siteKey,
    controller: snapshot.site.name,
    policyVersion: snapshot.site.policyVersion,
    snapshotVersion: snapshot.version,
    publishedAt: snapshot.publishedAt,
    purposes: snapshot.purposes.map((purpose) => ({
      id: purpose.id,
      name: purpose.name[language],
      description: purpose.description[language],
      legalBasis: purpose.legalBasis,
      class: purpose.class,
    })),
    fields: snapshot.fields.map((field) => ({
      key: field.key,
      label: field.label[language],
      source: field.source,
      purpose: field.purpose,
      keptOn:
        serverSync && (field.source === 'declared' || field.source === 'observed')
          ? 'device and server (only with sync)'
          : 'device',
      retentionDays: field.retentionDays,
      whyWeAsk: field.whyWeAsk[language],
    })),
    neverUsed: TEXT[language].neverUsed,
    gpc: TEXT[language].gpc,
    lint: { at: lint.at, errors: lint.errors, warnings: lint.warnings, acknowledged: lint.acknowledged.length },
  };
}
