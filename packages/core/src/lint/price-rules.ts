import type { ExperienceView } from './draft-view.js';
import { createFinding, locate, type LintFinding } from './finding.js';
import { findKeyword, type KeywordList, type TextSource } from './keyword-match.js';
import type { LintContext } from './lint-context.js';

/** Words that say content sets a price or decides eligibility (GDPR Art. 22 territory). */
export const PRICE_KEYWORDS: KeywordList = {
  en: [
    'price',
    'pricing',
    'discount code',
    'coupon code',
    'promo code',
    'eligibility',
    'loan approval',
    'credit limit',
    'interest rate',
  ],
  zhHant: ['價格', '定價', '售價', '資格', '折扣碼', '優惠碼', '貸款核准', '信用額度', '利率'],
};

// A currency sign or code next to a number: $19, US$5, NT$ 500, €10, 19 元, 500 TWD.
const CURRENCY_AMOUNT =
  /(?:[A-Z]{1,3}\s?\$|[$€£¥₩₹])\s?\d|\d[\d,.]*\s?(?:元|圓|円|塊)|\b(?:USD|EUR|GBP|TWD|NTD|JPY|HKD|CNY|RMB)\s?\d|\d[\d,.]*\s?(?:USD|EUR|GBP|TWD|NTD|JPY|HKD|CNY|RMB)\b/;

/** Whether a text states an amount of money. */
export function mentionsCurrencyAmount(text: string): boolean {
  return CURRENCY_AMOUNT.test(text);
}

/**
 * Whether the experience's audiences read anything beyond page context: only then does its content
 * depend on who the visitor is. An undeclared key counts (nobody said it is context); an unknown
 * audience id does not (it cannot be read, and the audience rules report nothing for it).
 */
function targetsProfile(experience: ExperienceView, context: LintContext): boolean {
  return experience.audiences.some((id) => {
    const audience = context.audience(id);
    if (audience === undefined) return false;
    return context.factsOf(audience).reads.some((read) => context.fieldFor(read.path)?.source !== 'context');
  });
}

function priceFinding(experience: ExperienceView, path: string, what: string): LintFinding {
  return createFinding({
    code: 'price_personalization',
    severity: 'error',
    location: locate('experience', experience.id, path),
    message: `Experience '${experience.id}' targets visitors by profile, and ${what}. Prices and eligibility must be the same for everyone, whatever their profile.`,
    fixHint: `Show every visitor the same price and eligibility: drop the profile audience from '${experience.id}' or take the price out of its content.`,
  });
}

function keywordIn(sources: readonly TextSource[]): string | undefined {
  const hit = findKeyword(PRICE_KEYWORDS, sources);
  return hit === undefined ? undefined : `its ${hit.source.where} mentions "${hit.keyword}"`;
}

/**
 * Experiences that vary a price or eligibility by profile: price words in the experience, variant or
 * slot names or content, or a currency amount in the content. Experiences for everyone, or chosen by
 * page context only, are left alone, which keeps plain price A/B copy and "View pricing" buttons quiet.
 */
export function lintPricePersonalization(context: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const experience of context.draft.experiences) {
    if (!targetsProfile(experience, context)) continue;
    const named = keywordIn([{ where: 'name', text: experience.name, isKey: false }]);
    if (named !== undefined) findings.push(priceFinding(experience, 'name', named));
    for (const variant of experience.variants) {
      const base = `variants.${variant.id}`;
      const variantNamed = keywordIn([{ where: 'name', text: variant.name, isKey: false }]);
      if (variantNamed !== undefined) {
        findings.push(priceFinding(experience, `${base}.name`, `in variant '${variant.id}' ${variantNamed}`));
      }
      for (const slot of variant.slots) {
        const sources: TextSource[] = [
          { where: 'slot name', text: slot.slot, isKey: true },
          ...slot.texts.map((text) => ({ where: text.where, text: text.text, isKey: false })),
        ];
        const amount = slot.texts.find((text) => mentionsCurrencyAmount(text.text));
        const reason =
          keywordIn(sources) ?? (amount === undefined ? undefined : `its ${amount.where} states a currency amount`);
        if (reason !== undefined) {
          findings.push(
            priceFinding(
              experience,
              `${base}.content.${slot.slot}`,
              `in slot '${slot.slot}' of variant '${variant.id}' ${reason}`,
            ),
          );
        }
      }
    }
  }
  return findings;
}
