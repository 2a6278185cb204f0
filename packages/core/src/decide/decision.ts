import type { VisibleSignal } from '../consent/visible-profile.js';
import type { SlotContent } from '../types.js';
import type { DecisionErrorCode, DecisionReason } from './reasons.js';
import type { StepName } from './steps.js';

/** What kind of explanation a decision needs (docs/privacy.md §4). */
export type DecisionKind = 'contextual' | 'declared' | 'behavioural' | 'randomized' | 'none';

/** One experience's last step while deciding a slot: where it stopped, or that it decided. */
export interface TraceEntry {
  readonly experienceId: string;
  readonly step: StepName;
  readonly passed: boolean;
}

/** The variant a slot shows; `null` in a decision means the page's own default content. */
export interface ChosenVariant {
  readonly id: string;
  readonly name: string;
  readonly content: SlotContent;
}

/** The outcome for one slot, with everything its explanation is built from. */
export interface Decision {
  /** Deterministic id for "Why am I seeing this?" and trust events. */
  readonly id: string;
  readonly slot: string;
  /** Epoch ms the decision was made. */
  readonly at: number;
  readonly snapshotVersion: number | null;
  readonly reason: DecisionReason;
  /** Set only when the reason is ERROR. */
  readonly errorCode: DecisionErrorCode | null;
  readonly kind: DecisionKind;
  readonly variant: ChosenVariant | null;
  /** The experience that decided; null for default content. */
  readonly experienceId: string | null;
  /** The audiences the visitor matched (the rule that fired). */
  readonly audienceIds: readonly string[];
  /** The audience whose per-audience bandit weights split this visitor; null when none did. */
  readonly segment: string | null;
  /** Whether this visitor counts in the experience's results (measurement granted, bucketed). */
  readonly enrolled: boolean;
  readonly allocation: 'fixed' | 'bandit' | null;
  /** The visible data the matching condition parts read: what the explanation shows. */
  readonly signals: readonly VisibleSignal[];
  readonly trace: readonly TraceEntry[];
}
