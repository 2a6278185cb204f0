import { chooseVariation } from '../bucketing/bucket-ranges.js';
import { hash } from '../bucketing/hash.js';
import { inNamespace } from '../bucketing/namespace.js';
import type { VisibleProfile } from '../consent/visible-profile.js';
import type { PreparedExperience, PreparedSegment } from '../snapshot/prepare-snapshot.js';
import { redirectedBy } from '../pages/redirect-marker.js';
import type { Profile, Variant } from '../types.js';

/** The named steps an experience passes through; their names become the decision's trace. */
export type StepName =
  'schedule' | 'page' | 'audience' | 'frequency_cap' | 'enrolment' | 'namespace' | 'coverage' | 'assignment';

/** What the steps may read about this visitor. */
export interface VisitorState {
  readonly now: number;
  /** The page's path plus query string; absent when the caller did not say (no page gate applies). */
  readonly url: string | undefined;
  readonly visible: VisibleProfile;
  readonly profile: Profile | undefined;
  /** Measurement is granted and there is a pseudonymous id to bucket on. */
  readonly enrolable: boolean;
  /** Shared start of this call's decision ids. */
  readonly idPrefix: string;
}

/** The result of running an experience's steps for one visitor. */
export type ExperienceOutcome =
  | { readonly kind: 'skipped'; readonly step: StepName }
  | { readonly kind: 'holdout'; readonly segment?: PreparedSegment | undefined }
  | {
      readonly kind: 'variant';
      readonly variant: Variant;
      /** Position in `experience.variants`. */
      readonly index: number;
      readonly randomized: boolean;
      readonly enrolled: boolean;
      /** The bandit segment whose weights split this visitor, if one matched. */
      readonly segment?: PreparedSegment | undefined;
    };

type Gate = (prepared: PreparedExperience, state: VisitorState) => boolean;

const DAY_MS = 86_400_000;

/** Running only between the schedule's start (inclusive) and end (exclusive). */
export const inSchedule: Gate = ({ experience }, { now }) =>
  (experience.schedule?.start === undefined || now >= experience.schedule.start) &&
  (experience.schedule?.end === undefined || now < experience.schedule.end);

/**
 * The page is one the experience runs on, or the visitor landed here through this experience's own
 * redirect (the landing URL carries its marker): the landing page must re-derive the same decision
 * so that its "Why?" can say the visitor was sent here. A caller without a URL gets no page gate.
 */
export const onPage: Gate = ({ experience, page }, { url }) =>
  url === undefined || page(url) || redirectedBy(url) === experience.id;

/** Every audience matches the visible profile (and nothing else: ungranted data is absent). */
export const inAudience: Gate = ({ conditions }, { visible }) => {
  for (const condition of conditions) if (!condition.test(visible.attributes)) return false;
  return true;
};

/**
 * Interruptive content respects its cap, counted from the visitor's own history. Without a place
 * to keep that history (no stored profile) the cap cannot be honoured, so the content is not shown.
 */
export const underFrequencyCap: Gate = ({ experience, interruptive }, { now, profile }) => {
  const cap = experience.frequencyCap;
  if (!interruptive || cap === undefined) return true;
  if (profile?.visitorId === undefined) return false;
  const since = now - cap.perDays * DAY_MS;
  const seen = profile.impressions?.[experience.id]?.filter((time) => time > since).length ?? 0;
  return seen < cap.maxImpressions;
};

// Outcomes without a variant are constants: decide runs every experience for every visitor.
const SKIPPED = Object.fromEntries(
  (['schedule', 'page', 'audience', 'frequency_cap', 'enrolment', 'namespace', 'coverage', 'assignment'] as const).map(
    (step) => [step, { kind: 'skipped', step }],
  ),
) as Readonly<Record<StepName, ExperienceOutcome>>;
const HOLDOUT: ExperienceOutcome = { kind: 'holdout' };

/** Run an experience's gates (schedule, page, audience, frequency cap) in order, then assign an arm. */
export function runExperience(prepared: PreparedExperience, state: VisitorState): ExperienceOutcome {
  if (!inSchedule(prepared, state)) return SKIPPED.schedule;
  if (!onPage(prepared, state)) return SKIPPED.page;
  if (!inAudience(prepared, state)) return SKIPPED.audience;
  if (!underFrequencyCap(prepared, state)) return SKIPPED.frequency_cap;
  return assign(prepared, state);
}

/**
 * Holdout and traffic split by hash on the pseudonymous id, for visitors who allow measurement.
 * Others are never enrolled: an experiment skips them; a personalization shows its first variant,
 * unmeasured (docs/privacy.md §10).
 */
export function assign(prepared: PreparedExperience, state: VisitorState): ExperienceOutcome {
  const { experience } = prepared;
  const visitorId = state.profile?.visitorId;
  if (!state.enrolable || visitorId === undefined) {
    const first = experience.variants[0];
    return experience.kind === 'experiment' || first === undefined
      ? SKIPPED.enrolment
      : { kind: 'variant', variant: first, index: 0, randomized: false, enrolled: false };
  }
  if (experience.namespace && !inNamespace(visitorId, experience.namespace))
    return { kind: 'skipped', step: 'namespace' };
  const n = hash(experience.seed, visitorId, experience.hashVersion) ?? -1;
  const segment = matchingSegment(prepared, state);
  const arm = chooseVariation(n, segment?.ranges ?? prepared.ranges);
  if (arm < 0) return SKIPPED.coverage;
  if (prepared.hasHoldout && arm === 0) return segment ? { kind: 'holdout', segment } : HOLDOUT;
  const index = prepared.hasHoldout ? arm - 1 : arm;
  const variant = experience.variants[index];
  if (variant === undefined) return SKIPPED.assignment;
  return { kind: 'variant', variant, index, randomized: prepared.randomized, enrolled: true, segment };
}

/** The first bandit segment whose audience the visible profile matches (ungranted data is absent). */
function matchingSegment({ segments }: PreparedExperience, { visible }: VisitorState): PreparedSegment | undefined {
  for (const segment of segments) if (segment.condition.test(visible.attributes)) return segment;
  return undefined;
}
