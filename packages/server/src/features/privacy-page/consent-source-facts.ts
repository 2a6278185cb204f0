import type { Language, Snapshot } from '@candor/core';

/** What the trust page says about where choices are made (docs/consent.md). */
export interface ConsentSourceFacts {
  /** The declared CMP's name, or `candor` when the site uses Candor's own prompt. */
  readonly name: string;
  /** One sentence: where the visitor's choices are made (and for a CMP, that a purpose nothing maps to stays off). */
  readonly text: string;
  /** Each CMP category (or IAB/Consent Mode signal) and the purposes it counts for, in words; empty for Candor's prompt. */
  readonly mapping: readonly { readonly from: string; readonly purposes: readonly string[] }[];
  /**
   * A page may name its own source (`data-consent-source`), which wins over the site setting; the
   * server cannot see which pages do, so the page says that this can happen, never that it did.
   */
  readonly pagesMayDiffer: string;
}

const CMP: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  en: {
    callback: "the site's own consent tool",
    cookieconsent: 'the CookieConsent banner',
    'consent-mode': "the site's Google Consent Mode settings",
    klaro: 'the Klaro consent manager',
    tcf: "the site's IAB TCF consent tool",
    gpp: "the site's IAB GPP consent tool",
  },
  'zh-Hant': {
    callback: '本網站自己的同意管理工具',
    cookieconsent: 'CookieConsent 橫幅',
    'consent-mode': '本網站的 Google 同意模式設定',
    klaro: 'Klaro 同意管理工具',
    tcf: '本網站的 IAB TCF 同意管理工具',
    gpp: '本網站的 IAB GPP 同意管理工具',
  },
};

const TEXT: Readonly<Record<Language, { sentence: string; own: string; pages: string; tcf: string; gppUs: string }>> = {
  en: {
    own: 'Your privacy choices on this site are made in its own Candor prompt. If the site later changes or adds a purpose, you are asked again about that purpose only; your other choices stay.',
    pages:
      'A page of this site may name a different consent tool in its code; on such a page, your choices are made in that tool.',
    sentence:
      'Your privacy choices on this site are made in {cmp}; you are not asked again. They count for the purposes below, a purpose counts only when everything it needs was allowed, and a purpose nothing maps to stays off.',
    tcf: 'TCF purpose {n}',
    gppUs: 'US privacy sections: no opt-out of sale or sharing, and no GPC',
  },
  'zh-Hant': {
    own: '您在本網站的隱私選擇是在本網站自己的 Candor 提示中做出的。如果本網站之後變更或新增某個目的，我們只會就該目的再次詢問您；您的其他選擇維持不變。',
    pages: '本網站的個別頁面可能在程式碼中指定其他同意管理工具；在這樣的頁面上，您的選擇是在該工具中做出的。',
    sentence:
      '您在本網站的隱私選擇是在{cmp}中做出的，我們不會再次詢問。這些選擇依下列方式套用到各個目的：只有在該目的所需的項目全部獲得同意時才會生效，沒有對應項目的目的一律保持關閉。',
    tcf: 'TCF 目的 {n}',
    gppUs: '美國隱私章節：未選擇退出出售或分享，且未發出 GPC 訊號',
  },
};

/** The mapping a source uses when the site declared no map of its own (docs/consent.md). */
function defaultMapping(
  name: string,
  snapshot: Snapshot,
  language: Language,
): readonly { from: string; purposes: readonly string[] }[] {
  const optional = snapshot.purposes.filter((purpose) => purpose.class !== 'essential');
  const requires = (purpose: Snapshot['purposes'][number]): readonly string[] => {
    if (name === 'consent-mode') return purpose.consentMode ?? [];
    const tcf = (purpose.tcf?.purposes ?? []).map((n) => TEXT[language].tcf.replace('{n}', String(n)));
    if (name === 'tcf') return tcf;
    if (name === 'gpp')
      return purpose.class === 'behavioural' || purpose.class === 'cross_site' ? [...tcf, TEXT[language].gppUs] : tcf;
    return [];
  };
  const byFrom = new Map<string, string[]>();
  for (const purpose of optional)
    for (const from of requires(purpose)) byFrom.set(from, [...(byFrom.get(from) ?? []), purpose.name[language]]);
  return [...byFrom].map(([from, purposes]) => ({ from, purposes }));
}

/** Where the visitor's choices are made: the site's declared CMP with its mapping, or Candor's own prompt. */
export function consentSourceFacts(snapshot: Snapshot, language: Language): ConsentSourceFacts {
  const source = snapshot.site.consentSource;
  const pagesMayDiffer = TEXT[language].pages;
  if (source === undefined) return { name: 'candor', text: TEXT[language].own, mapping: [], pagesMayDiffer };
  const purposeName = new Map(snapshot.purposes.map((purpose) => [purpose.id, purpose.name[language]]));
  const declared = Object.entries(source.map).map(([from, ids]) => ({
    from,
    purposes: ids.map((id) => purposeName.get(id) ?? id),
  }));
  return {
    name: source.name,
    text: TEXT[language].sentence.replace('{cmp}', CMP[language][source.name] ?? source.name),
    mapping: declared.length > 0 ? declared : defaultMapping(source.name, snapshot, language),
    pagesMayDiffer,
  };
}
