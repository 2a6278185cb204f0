import type { AudienceDraft, ExperienceDraft } from '@candor/schema';

/** Why a rule (or a whole feature or experiment) could not carry over. A closed list. */
export type SkipCode =
  /** The feature key cannot name a Candor slot and experience. */
  | 'invalid_key'
  /** A condition reads an attribute that is not a declared Candor field. */
  | 'undeclared_attribute'
  /** A condition reads a field in a sensitive category: Candor never targets on those. */
  | 'sensitive_attribute'
  /** A condition uses an operator Candor does not evaluate. */
  | 'unsupported_operator'
  /** A condition is not an object, or is deeper or larger than Candor compiles. */
  | 'invalid_condition'
  /** Bucketing on an attribute other than the visitor id Candor issues. */
  | 'hash_attribute'
  /** A hash version Candor does not implement. */
  | 'unsupported_hash_version'
  /** A rule property that changes who gets what and that Candor has no equivalent for. */
  | 'unsupported_property'
  /** An experiment rule with fewer than two variations (GrowthBook never enrols anyone in it). */
  | 'too_few_variations'
  /** A variation marked passthrough (its visitors fall through to the next rule). */
  | 'passthrough'
  /** A value too large to carry in a variant. */
  | 'value_too_large'
  /** A top-level (visual editor or redirect) experiment: its content is DOM changes, not values. */
  | 'visual_experiment';

/** A rule, feature or experiment that did not carry over, with what to do about it. */
export interface SkippedItem {
  /** The feature key, or the experiment key for a top-level experiment. */
  readonly feature: string;
  /** The rule's position in the feature (0-based); null when the whole feature or experiment is meant. */
  readonly rule: number | null;
  readonly code: SkipCode;
  readonly detail: string;
  readonly fix: string;
}

/** Something that carried over but may behave differently, or a property that was ignored. */
export interface ImportNote {
  readonly feature: string;
  readonly rule: number;
  readonly detail: string;
}

/** The drafts an import adds to a site. */
export interface ImportedDrafts {
  readonly audiences: readonly AudienceDraft[];
  /** In GrowthBook's rule order: the first that decides a slot wins, as the first matching rule does. */
  readonly experiences: readonly ExperienceDraft[];
  readonly savedGroups: Readonly<Record<string, readonly (string | number | boolean)[]>>;
}

/** What an import produced and everything it could not carry over. */
export interface ImportResult {
  readonly drafts: ImportedDrafts;
  readonly skipped: readonly SkippedItem[];
  readonly notes: readonly ImportNote[];
}
