import { lintAudiences } from './audience-rules.js';
import { lintConditionLiterals } from './condition-literals.js';
import { readDraft, type LintDraft } from './draft-view.js';
import { lintExperiences } from './experience-rules.js';
import { lintFields } from './field-rules.js';
import { compareFindings, type LintFinding } from './finding.js';
import { createLintContext } from './lint-context.js';
import { lintPlacements } from './placement-rules.js';
import { lintPricePersonalization } from './price-rules.js';
import { lintPurposes } from './purpose-rules.js';
import { lintSensitiveValues } from './value-rules.js';

export type { LintDraft } from './draft-view.js';
export type { LintCode, LintEntity, LintFinding, LintLocation, LintSeverity } from './finding.js';
export { SENSITIVE_TAXONOMY } from './sensitive-taxonomy.js';
export type { SensitiveCategoryRule } from './sensitive-taxonomy.js';

/**
 * Checks a draft before publish for creepy, unexplained or unsafe data use (docs/privacy.md §3, §9
 * principle 5 "No creepiness", §11 "The snapshot is public"). Never throws: a missing or malformed
 * part is read as empty. Findings come errors first, then by location, one per fingerprint.
 *
 * @example hasBlockingFindings(lint(draft)) // true when the publish must be refused
 */
export function lint(draft: LintDraft): LintFinding[] {
  const context = createLintContext(readDraft(draft));
  const findings = [
    ...lintPurposes(context),
    ...lintFields(context),
    ...lintAudiences(context),
    ...lintConditionLiterals(context),
    ...lintSensitiveValues(context),
    ...lintExperiences(context),
    ...lintPricePersonalization(context),
    ...lintPlacements(context),
  ].sort(compareFindings);
  // Duplicate ids in a draft would repeat a finding; an acknowledgement must cover exactly one.
  const seen = new Set<string>();
  return findings.filter((finding) => !seen.has(finding.fingerprint) && seen.add(finding.fingerprint));
}

/** Whether a publish must be refused: any error blocks, warnings only need acknowledging. */
export function hasBlockingFindings(findings: readonly LintFinding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}

/** The warnings a publish still has to acknowledge, matched by fingerprint so acknowledgements survive edits elsewhere. */
export function unacknowledgedWarnings(
  findings: readonly LintFinding[],
  acknowledged: readonly string[],
): LintFinding[] {
  const done = new Set(acknowledged);
  return findings.filter((finding) => finding.severity === 'warning' && !done.has(finding.fingerprint));
}
