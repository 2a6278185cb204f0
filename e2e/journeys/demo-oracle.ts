import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/candor-process.js';

/** The visitor languages the demo ships. */
export type Lang = 'en' | 'zh-Hant';

interface SeedField {
  readonly key: string;
  readonly label: Record<Lang, string>;
  readonly options?: readonly { readonly value: string; readonly label: Record<Lang, string> }[];
}

interface SeedExperience {
  readonly id: string;
  readonly goals: readonly string[];
  readonly variants: readonly {
    readonly id: string;
    readonly content: Record<
      string,
      { readonly type: string; readonly html?: Record<Lang, string>; readonly text?: Record<Lang, string> }
    >;
  }[];
}

/** The demo's configuration as a fresh clone seeds it: the oracle the journeys judge the page by. */
export const SEED = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/demo/seed.json'), 'utf8')) as {
  readonly fields: readonly SeedField[];
  readonly experiences: readonly SeedExperience[];
};

/** A field's visitor-facing label, from the seed (not from the SDK under test). */
export function fieldLabel(key: string, lang: Lang): string {
  const field = SEED.fields.find((candidate) => candidate.key === key);
  if (field === undefined) throw new Error(`the demo seed has no field ${key}`);
  return field.label[lang];
}

/** An option's visitor-facing label, from the seed. */
export function optionLabel(key: string, value: string, lang: Lang): string {
  return (
    SEED.fields.find((field) => field.key === key)?.options?.find((option) => option.value === value)?.label[lang] ??
    value
  );
}

/** The heading a variant puts in a slot (its first `<h1>`, or its whole text), from the seed. */
export function variantHeading(experience: string, variant: string, slot: string, lang: Lang): string {
  const content = SEED.experiences.find((e) => e.id === experience)?.variants.find((v) => v.id === variant)?.content[
    slot
  ];
  const raw = content?.html?.[lang] ?? content?.text?.[lang];
  if (raw === undefined) throw new Error(`the demo seed has no ${slot} content for ${experience}/${variant}`);
  return (/<h1>(.*?)<\/h1>/.exec(raw)?.[1] ?? raw).replace(/<[^>]*>/g, '');
}

/** What the SDK says a slot's decision is (`window.candor.decide(slot)`), as much as the oracle reads. */
export interface SeenDecision {
  readonly slot: string;
  readonly reason: string;
  readonly kind: string;
  readonly variant: { readonly id: string } | null;
  readonly experienceId: string | null;
  readonly enrolled: boolean;
  readonly segment: string | null;
  readonly signals: readonly { readonly key: string; readonly value: unknown }[];
}

/** What the "Why?" popover shows, part by part. */
export interface SeenExplanation {
  readonly reason: string;
  readonly signals: readonly string[];
  readonly counterfactual: string;
  readonly all: string;
}

// The claims an explanation may make, in each language. A claim of "nothing about you was used"
// is a promise about the decision; a removal counterfactual is a promise about another decision.
const NOTHING_ABOUT_YOU: Record<Lang, readonly string[]> = {
  en: ["doesn't depend on who you are", 'Nothing about you was used'],
  'zh-Hant': ['與您是誰無關', '沒有使用任何關於您的資料'],
};
// "Visitors like you" claims the decision used data about the visitor.
const LIKE_YOU: Record<Lang, string> = { en: 'like you', 'zh-Hant': '與您相似' };
const REMOVAL: Record<Lang, RegExp> = {
  en: /^(If you remove|If you delete|On a visit with a different)/,
  'zh-Hant': /^(如果您移除|如果您刪除|若本次造訪)/,
};
const SHARE_SEES_STANDARD: Record<Lang, RegExp> = {
  en: /share of (those )?visitors.*standard version|standard version.*share of (those )?visitors|see the standard version/s,
  'zh-Hant': /標準版本/,
};

/**
 * Checks an explanation's claims against the decision it explains and returns every untrue claim:
 * each piece of data the decision read is named with the visitor's value and nothing else is; a
 * "remove this and you'd see something else" counterfactual appears exactly when removing the data
 * would change what is shown (a demo personalization shown because of data); "nothing about you was
 * used" appears only when the decision read no visitor data; a held-out visitor is told which data
 * made them eligible and that a share of eligible visitors see the standard version.
 */
export function untrueClaims(decision: SeenDecision, explanation: SeenExplanation, lang: Lang): string[] {
  const problems: string[] = [];
  const used = decision.signals;
  for (const signal of used) {
    const label = fieldLabel(signal.key, lang);
    const value = typeof signal.value === 'string' ? optionLabel(signal.key, signal.value, lang) : undefined;
    const named = explanation.signals.some(
      (line) => line.startsWith(label) && (value === undefined || line.includes(value)),
    );
    if (!named)
      problems.push(
        `the data used (${signal.key}) is not named with its value: ${JSON.stringify(explanation.signals)}`,
      );
  }
  if (explanation.signals.length !== used.length)
    problems.push(
      `it lists ${explanation.signals.length} pieces of data, the decision read ${used.length}: ${JSON.stringify(explanation.signals)}`,
    );
  const claimsNothing = NOTHING_ABOUT_YOU[lang].some((claim) => explanation.all.includes(claim));
  if (claimsNothing && used.length > 0)
    problems.push(
      `it says nothing about the visitor was used, but the decision read ${used.map((s) => s.key).join(', ')}`,
    );
  if (explanation.all.includes(LIKE_YOU[lang]) && used.length === 0)
    problems.push(`it speaks of visitors like the visitor, but the decision read no data about them`);
  // Every demo personalization has one audience and one variant: without the data, the standard
  // version. A per-audience bandit segment is different: without the data the visitor is split by the
  // experience's overall weights, which may or may not give another arm, so either answer is true.
  const segmented = decision.segment !== null;
  const removalChanges = decision.variant !== null && used.length > 0 && !segmented;
  const hasRemoval = REMOVAL[lang].test(explanation.counterfactual);
  if (removalChanges && !hasRemoval)
    problems.push(
      `removing the data would show the standard version, but the counterfactual says: "${explanation.counterfactual}"`,
    );
  if (!removalChanges && !segmented && hasRemoval)
    problems.push(
      `removing the data would change nothing, but the counterfactual says: "${explanation.counterfactual}"`,
    );
  if (decision.variant === null && decision.experienceId !== null && used.length > 0) {
    // Held out of a personalization: eligible because of the data, shown the standard version to measure.
    for (const signal of used)
      if (!explanation.reason.includes(fieldLabel(signal.key, lang)))
        problems.push(`a held-out visitor is not told that ${signal.key} made them eligible: "${explanation.reason}"`);
    if (!SHARE_SEES_STANDARD[lang].test(explanation.reason))
      problems.push(
        `a held-out visitor is not told that a share of eligible visitors see the standard version: "${explanation.reason}"`,
      );
  }
  return problems;
}
