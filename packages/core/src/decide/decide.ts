import { fnv1a32 } from '../bucketing/hash.js';
import { visibleProfile, type VisibleProfile, type VisibleSignal } from '../consent/visible-profile.js';
import { prepareSnapshot, type PreparedExperience, type PreparedSnapshot } from '../snapshot/prepare-snapshot.js';
import { validateConsent, validateProfile } from '../snapshot/validate-visitor-state.js';
import type { ConsentState, DecisionContext, Profile } from '../types.js';
import type { Decision, DecisionKind, TraceEntry } from './decision.js';
import type { DecisionErrorCode } from './reasons.js';
import { runExperience, type ExperienceOutcome, type VisitorState } from './steps.js';

/** Detail handed to `onError`: never visitor values, only what went wrong and where. */
export interface DecisionErrorDetail {
  readonly code: DecisionErrorCode;
  readonly message: string;
}

/** Options of `decide`. */
export interface DecideOptions {
  /** Receives what was wrong whenever a decision falls back to ERROR or data was dropped. */
  readonly onError?: (detail: DecisionErrorDetail) => void;
}

/**
 * One decision per slot: for each slot on the page and each slot the snapshot targets, the first
 * experience (in priority order) whose steps pass decides. Never throws: a malformed snapshot,
 * profile or consent yields default content with reason ERROR and `onError` gets the detail.
 *
 * @example
 * const [hero] = decide(snapshot, profile, consent, { now: Date.now(), attributes: {}, slots: ['hero'] });
 * hero.variant?.content // what to render; null keeps the page's default
 */
export function decide(
  snapshot: unknown,
  profile: unknown,
  consent: unknown,
  context: DecisionContext,
  options: DecideOptions = {},
): Decision[] {
  const report = (code: DecisionErrorCode, message: string): void => {
    try {
      options.onError?.({ code, message });
    } catch {
      // A failing hook must not turn a decision into an exception.
    }
  };
  try {
    const preparation = prepareSnapshot(snapshot);
    if (!preparation.ok) {
      report(preparation.error, preparation.detail);
      return errorDecisions(context, context.slots ?? [], preparation.error, null);
    }
    const { prepared } = preparation;
    for (const { audienceId, error } of prepared.conditionErrors) {
      report('CONDITION_INVALID', `audience ${audienceId} never matches: condition is ${error.replace('_', ' ')}`);
    }
    const profileCheck = validateProfile(profile);
    const slots = slotsToDecide(prepared, context);
    if (profileCheck.error !== undefined) {
      report('PROFILE_INVALID', profileCheck.error);
      return errorDecisions(context, slots, 'PROFILE_INVALID', prepared.snapshot.version);
    }
    if (profileCheck.dropped.length > 0) {
      report('PROFILE_INVALID', `dropped ${profileCheck.dropped.length} malformed profile value(s)`);
    }
    const consentCheck = validateConsent(consent);
    if (consentCheck.error !== undefined)
      report('CONSENT_INVALID', `${consentCheck.error}; treating every purpose as pending`);
    return decideSlots(prepared, profileCheck.profile, consentCheck.consent, context, slots);
  } catch (error) {
    report('GENERAL', error instanceof Error ? error.message : 'unexpected failure');
    return errorDecisions(context, context.slots ?? [], 'GENERAL', null);
  }
}

/** The pipeline after validation; also used by `explain` to compute counterfactuals. */
export function decideSlots(
  prepared: PreparedSnapshot,
  profile: Profile | undefined,
  consent: ConsentState,
  context: DecisionContext,
  slots: readonly string[],
): Decision[] {
  const visible = visibleProfile(prepared.snapshot, profile, consent, context);
  const state: VisitorState = {
    now: context.now,
    visible,
    profile,
    enrolable: profile?.visitorId !== undefined && measurementGranted(prepared, visible),
  };
  const outcomes = new Map<string, ExperienceOutcome>();
  return slots.map((slot) => decideSlot(prepared, state, slot, outcomes));
}

function decideSlot(
  prepared: PreparedSnapshot,
  state: VisitorState,
  slot: string,
  outcomes: Map<string, ExperienceOutcome>,
): Decision {
  const candidates = prepared.bySlot.get(slot) ?? [];
  const trace: TraceEntry[] = [];
  const base = { slot, at: state.now, snapshotVersion: prepared.snapshot.version, trace };
  for (const candidate of candidates) {
    const { experience } = candidate;
    let outcome = outcomes.get(experience.id);
    if (outcome === undefined) {
      outcome = runExperience(candidate, state);
      outcomes.set(experience.id, outcome);
    }
    if (outcome.kind === 'skipped') {
      trace.push({ experienceId: experience.id, step: outcome.step, passed: false });
      continue;
    }
    trace.push({ experienceId: experience.id, step: 'assignment', passed: true });
    const signals = matchedSignals(candidate, state.visible);
    const shared = {
      ...base,
      id: decisionId(slot, prepared.snapshot.version, state),
      experienceId: experience.id,
      audienceIds: experience.audiences,
      allocation: experience.allocation,
      signals,
    };
    if (outcome.kind === 'holdout') {
      return { ...shared, reason: 'HOLDOUT', kind: 'randomized', variant: null, enrolled: true };
    }
    const content = outcome.variant.content[slot];
    return {
      ...shared,
      reason: outcome.randomized ? 'SPLIT' : 'TARGETING_MATCH',
      kind: outcome.randomized ? 'randomized' : kindOf(signals),
      variant: content ? { id: outcome.variant.id, name: outcome.variant.name, content } : null,
      enrolled: outcome.enrolled,
    };
  }
  const off = candidates.some((candidate) => personalizationOff(prepared, candidate, state.visible));
  return {
    ...base,
    id: decisionId(slot, prepared.snapshot.version, state),
    reason: off ? 'PERSONALIZATION_OFF' : 'DEFAULT',
    kind: 'none',
    variant: null,
    audienceIds: [],
    enrolled: false,
    signals: [],
  };
}

function slotsToDecide(prepared: PreparedSnapshot, context: DecisionContext): string[] {
  return [...new Set([...(context.slots ?? []), ...prepared.slots])];
}

function measurementGranted(prepared: PreparedSnapshot, visible: VisibleProfile): boolean {
  return prepared.snapshot.purposes.some(
    (purpose) => purpose.class === 'measurement' && visible.statuses.get(purpose.id)?.granted === true,
  );
}

/** A behavioural purpose this experience's audience reads is off: the visitor is told personalization is off. */
function personalizationOff(
  prepared: PreparedSnapshot,
  candidate: PreparedExperience,
  visible: VisibleProfile,
): boolean {
  for (const purpose of candidate.purposesRead) {
    const behavioural = prepared.purposes.get(purpose)?.class === 'behavioural';
    if (behavioural && visible.statuses.get(purpose)?.granted !== true) return true;
  }
  return false;
}

function matchedSignals(candidate: PreparedExperience, visible: VisibleProfile): VisibleSignal[] {
  if (candidate.conditions.length === 0) return [];
  const signals = new Map<string, VisibleSignal>();
  for (const condition of candidate.conditions) {
    for (const path of condition.matchedPaths(visible.attributes)) {
      const signal = visible.signals.get(path) ?? signalAbove(path, visible);
      if (signal) signals.set(signal.key, signal);
    }
  }
  return [...signals.values()];
}

/** A condition may reach inside a field's value (`utm.source` in a `utm` field). */
function signalAbove(path: string, visible: VisibleProfile): VisibleSignal | undefined {
  for (let end = path.lastIndexOf('.'); end > 0; end = path.lastIndexOf('.', end - 1)) {
    const signal = visible.signals.get(path.slice(0, end));
    if (signal) return signal;
  }
  return undefined;
}

function kindOf(signals: readonly VisibleSignal[]): DecisionKind {
  if (signals.some((signal) => signal.source === 'declared')) return 'declared';
  if (signals.some((signal) => signal.source === 'observed' || signal.source === 'inferred')) return 'behavioural';
  return signals.length > 0 ? 'contextual' : 'none';
}

function decisionId(slot: string, version: number | null, state: Pick<VisitorState, 'now' | 'profile'>): string {
  const key = `${slot}|${version ?? '-'}|${state.profile?.visitorId ?? '-'}|${state.now}`;
  return `d_${fnv1a32(key).toString(36)}${fnv1a32(`${key}|2`).toString(36)}`;
}

function errorDecisions(
  context: DecisionContext,
  slots: readonly string[],
  errorCode: DecisionErrorCode,
  version: number | null,
): Decision[] {
  return slots.map((slot) => ({
    id: decisionId(slot, version, { now: context.now, profile: undefined }),
    slot,
    at: context.now,
    snapshotVersion: version,
    reason: 'ERROR',
    errorCode,
    kind: 'none',
    variant: null,
    audienceIds: [],
    enrolled: false,
    signals: [],
    trace: [],
  }));
}
