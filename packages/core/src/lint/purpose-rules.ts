import { createFinding, type LintFinding } from './finding.js';
import type { LintContext } from './lint-context.js';

// TCF v2.2 purposes 3–6 (profiles, personalised content) and the measurement and cross-site purposes
// Candor maps onto them allow consent only; legitimate interest would switch them on without asking.
const CONSENT_ONLY_CLASSES: ReadonlySet<string> = new Set(['behavioural', 'measurement', 'cross_site']);

/** Purposes that claim legitimate interest where only consent is lawful. */
export function lintPurposes(context: LintContext): LintFinding[] {
  return context.draft.purposes
    .filter((purpose) => CONSENT_ONLY_CLASSES.has(purpose.class) && purpose.legalBasis === 'legitimate_interest')
    .map((purpose) =>
      createFinding({
        code: 'purpose_legitimate_interest',
        severity: 'error',
        location: { entity: 'purpose', id: purpose.id, path: 'legalBasis' },
        message: `Purpose '${purpose.id}' is ${purpose.class.replace('_', '-')} but rests on legitimate interest; this kind of purpose may only run with the visitor's consent (TCF v2.2 purposes 3–6).`,
        fixHint: `Set the legal basis of '${purpose.id}' to 'consent', or reclassify it as 'contextual' if it builds no profile.`,
      }),
    );
}
