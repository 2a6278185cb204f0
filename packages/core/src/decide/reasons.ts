/** Why a slot shows what it shows. A closed union: every exit of `decide` names one. */
export type DecisionReason =
  /** The visitor is in the audience; no randomization was involved. */
  | 'TARGETING_MATCH'
  /** A variant chosen by hash among several arms (experiment, split or bandit). */
  | 'SPLIT'
  /** The visitor fell in the holdout group and sees default content so the lift can be measured. */
  | 'HOLDOUT'
  /** No experience applies: default content. */
  | 'DEFAULT'
  /** Default content because a purpose personalization needs is off (not granted, GPC/DNT, objection). */
  | 'PERSONALIZATION_OFF'
  /** Something was wrong (see the error code): default content. */
  | 'ERROR';

/** What was wrong when the reason is ERROR. */
export type DecisionErrorCode =
  | 'SNAPSHOT_INVALID'
  | 'SNAPSHOT_VERSION_UNSUPPORTED'
  | 'PROFILE_INVALID'
  | 'CONSENT_INVALID'
  | 'CONDITION_INVALID'
  | 'GENERAL';

/** OpenFeature's standard resolution reasons. */
export type OpenFeatureReason =
  'STATIC' | 'DEFAULT' | 'TARGETING_MATCH' | 'SPLIT' | 'CACHED' | 'DISABLED' | 'UNKNOWN' | 'ERROR';

const OPEN_FEATURE: Readonly<Record<DecisionReason, OpenFeatureReason>> = {
  TARGETING_MATCH: 'TARGETING_MATCH',
  SPLIT: 'SPLIT',
  HOLDOUT: 'SPLIT',
  DEFAULT: 'DEFAULT',
  PERSONALIZATION_OFF: 'DISABLED',
  ERROR: 'ERROR',
};

/** The OpenFeature reason a Candor reason maps onto, so a provider can report it unchanged. */
export function toOpenFeatureReason(reason: DecisionReason): OpenFeatureReason {
  return OPEN_FEATURE[reason];
}
