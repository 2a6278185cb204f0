import type { DecisionKind } from '../decide/decision.js';
import type { DecisionReason } from '../decide/reasons.js';
import type { Alternative, ControlAction } from '../messages/catalog.js';
import type { AttributeValue, FieldSource, Language, LegalBasis } from '../types.js';

/** One piece of data an explanation shows, as the visitor gave it. */
export interface ExplainedSignal {
  readonly key: string;
  readonly label: string;
  /** The value for display (an option's label, a localized yes/no, a list). */
  readonly value: string;
  readonly rawValue: AttributeValue;
  readonly source: FieldSource;
  readonly origin: 'this_site_only';
  /** Epoch ms; null for context values, which belong to this visit. */
  readonly collectedAt: number | null;
  readonly expiresAt: number | null;
  readonly purposeId: string;
  readonly purposeName: string;
  readonly text: string;
}

/** What change would show something else (CJEU C-203/22). */
export interface Counterfactual {
  readonly change:
    | 'remove_answer'
    | 'delete_data'
    | 'other_visit'
    | 'other_group'
    | 'leave_holdout'
    | 'allow_personalization'
    | 'none';
  /** The fields whose change flips the decision (together, when there are several). */
  readonly fields?: readonly string[];
  readonly alternative: Alternative | null;
  readonly text: string;
}

/** Something that was deliberately not used. */
export type ExcludedCode = 'sensitive' | 'gpc' | 'dnt' | 'ungranted' | 'not_measured' | 'no_other_sites';

/** The visitor-facing account of one decision (docs/privacy.md §4): structured data plus rendered text. */
export interface Explanation {
  readonly decisionId: string;
  readonly at: number;
  readonly slot: string;
  readonly language: Language;
  readonly reason: DecisionReason;
  readonly kind: DecisionKind;
  readonly variant: { readonly id: string; readonly name: string } | null;
  /** The default alternative ("see the standard version"). */
  readonly defaultAlternative: string;
  readonly site: { readonly name: string; readonly privacyPageUrl: string | null };
  readonly purposes: readonly { readonly id: string; readonly name: string; readonly legalBasis: LegalBasis }[];
  readonly signals: readonly ExplainedSignal[];
  /** The key of the signal that mattered most, when one did. */
  readonly mainSignal: string | null;
  readonly counterfactual: Counterfactual;
  readonly excluded: readonly { readonly code: ExcludedCode; readonly text: string }[];
  readonly controls: readonly { readonly action: ControlAction; readonly label: string; readonly field?: string }[];
  /** Proof: the consent-ledger record and the policy version in force (null when unknown). */
  readonly consent: { readonly recordId: string | null; readonly policyVersion: string | null };
  readonly text: {
    readonly title: string;
    readonly mainReason: string;
    readonly mattered: string | null;
    readonly decidedBy: string | null;
    readonly signals: readonly string[];
    readonly counterfactual: string;
    readonly excluded: readonly string[];
    readonly proof: string | null;
  };
}
