import type { FieldSource } from '../types.js';

/** The control actions an explanation offers (docs/privacy.md §4). */
export type ControlAction =
  'edit_answer' | 'stop_using' | 'withdraw_consent' | 'see_all_data' | 'download' | 'delete' | 'see_standard';

/** Why personalization is off, as the visitor is told. */
export type OffCause = 'not_allowed' | 'gpc' | 'dnt' | 'objection';

/** What a visitor would see instead. */
export type Alternative = 'standard' | 'other';

/** The sources a reason can rest on: every field source. */
export type ReasonSource = 'declared' | 'behavioural' | 'inferred' | 'contextual';

/**
 * Every visitor-facing sentence of an explanation, as whole sentences with parameters, so each
 * language can order words its own way (no concatenated fragments). A language that misses one
 * does not compile.
 */
export interface ExplanationMessages {
  readonly title: string;
  readonly standardVersion: string;
  /** One fact inside a reason: what the visitor told us, or a label and value seen. */
  readonly fact: {
    readonly told: (p: { label: string; value: string }) => string;
    readonly seen: (p: { label: string; value: string }) => string;
  };
  /** `facts` is one or more `fact` sentences joined the language's way. */
  readonly reason: {
    /** The data that made the visitor eligible, as a clause that follows "because". */
    readonly because: Readonly<Record<ReasonSource, (p: { facts: string }) => string>>;
    /** The visitor sees this because of `because` (contextual: and nothing is stored). */
    readonly targeted: (p: { because: string; source: ReasonSource }) => string;
    /**
     * `used`: data about the visitor touched the decision (content for particular visitors was
     * checked against it, or a frequency cap counted their impressions). Only when it did not may
     * a sentence say that nothing about them was used.
     */
    readonly everyone: (p: { used: boolean }) => string;
    /**
     * A random pick among two or more variants. `matched`: data made the visitor eligible (the
     * targeted sentence comes first); `holdout`: some visitors see the standard version.
     */
    readonly split: (p: { used: boolean; matched: boolean; holdout: boolean }) => string;
    readonly bandit: (p: { holdout: boolean; matched: boolean; used: boolean }) => string;
    /** One variant measured against a holdout, for the visitor who got the variant. */
    readonly measured: (p: { matched: boolean; small: boolean }) => string;
    /** The visitor was held out; `because` is the eligibility clause when data made them eligible. */
    readonly holdout: (p: { because: string | null; small: boolean }) => string;
    readonly none: (p: { used: boolean }) => string;
    readonly off: Readonly<Record<OffCause, string>>;
    readonly error: string;
  };
  /** Added when several signals counted. */
  readonly mattered: (p: { label: string }) => string;
  readonly counterfactual: {
    readonly removeAnswer: (p: { label: string; alternative: Alternative }) => string;
    readonly deleteData: (p: { label: string; alternative: Alternative }) => string;
    readonly otherVisit: (p: { label: string; alternative: Alternative }) => string;
    readonly otherGroup: (p: { alternative: Alternative }) => string;
    readonly holdout: string;
    readonly allowPersonalization: string;
    readonly nothing: string;
  };
  readonly signal: (p: {
    label: string;
    value: string;
    source: FieldSource;
    when: string | null;
    purpose: string;
    until: string | null;
  }) => string;
  readonly source: Readonly<Record<FieldSource, string>>;
  readonly origin: string;
  readonly excluded: {
    readonly sensitive: string;
    readonly gpc: string;
    readonly dnt: string;
    readonly ungranted: (p: { purposes: string }) => string;
    readonly notMeasured: string;
    readonly noOtherSites: string;
  };
  readonly controls: Readonly<Record<ControlAction, string>>;
  readonly decidedBy: (p: { site: string; purpose: string; basis: string }) => string;
  readonly legalBasis: Readonly<Record<'consent' | 'legitimate_interest' | 'contract' | 'legal_obligation', string>>;
  readonly proof: (p: { record: string; policy: string }) => string;
  /** Whole sentences into one paragraph, the way the language writes them. */
  readonly join: (sentences: readonly string[]) => string;
  readonly yes: string;
  readonly no: string;
  readonly notProvided: string;
}
