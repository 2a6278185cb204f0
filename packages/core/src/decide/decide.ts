import { fnv1a32 } from '../bucketing/hash.js';
import { measurementGranted } from '../consent/measurement-granted.js';
import { visibleProfile, type VisibleProfile, type VisibleSignal } from '../consent/visible-profile.js';
import {
  prepareSnapshot,
  prepareVerifiedSnapshot,
  type PreparedExperience,
  type PreparedSegment,
  type PreparedSlot,
  type PreparedSnapshot,
} from '../snapshot/prepare-snapshot.js';
import { validateConsent, validateProfile } from '../snapshot/validate-visitor-state.js';
import type { ConsentState, DecisionContext, Profile, Snapshot } from '../types.js';
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
  const report = reporter(options);
  try {
    const preparation = prepareSnapshot(snapshot);
    if (!preparation.ok) {
      report(preparation.error, preparation.detail);
      return errorDecisions(context, context.slots ?? [], preparation.error, null);
    }
    const { prepared } = preparation;
    reportConditionErrors(prepared, report);
    const profileCheck = validateProfile(profile);
    const slots = slotsToDecide(prepared, context);
    if (profileCheck.error !== undefined) {
      report('PROFILE_INVALID', profileCheck.error);
      const names = slots.map((slot) => (typeof slot === 'string' ? slot : slot.name));
      return errorDecisions(context, names, 'PROFILE_INVALID', prepared.snapshot.version);
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

/**
 * `decide` for a caller that holds a signature-verified snapshot and a profile and consent it has
 * already parsed (the browser SDK: its stores check what they read from storage). The server
 * validated and linted the snapshot before signing it, so this skips the structural check and the
 * ReDoS scan, and a bundle that imports only this function contains neither. Same contract
 * otherwise: never throws; an unexpected failure yields ERROR decisions and `onError`.
 *
 * @example const decisions = decideVerified(verified.snapshot, record, consentState, context)
 */
export function decideVerified(
  snapshot: Snapshot,
  profile: Profile | undefined,
  consent: ConsentState,
  context: DecisionContext,
  options: DecideOptions = {},
): Decision[] {
  const report = reporter(options);
  try {
    const prepared = prepareVerifiedSnapshot(snapshot);
    reportConditionErrors(prepared, report);
    return decideSlots(prepared, profile, consent, context, slotsToDecide(prepared, context));
  } catch (error) {
    report('GENERAL', error instanceof Error ? error.message : 'unexpected failure');
    return errorDecisions(context, context.slots ?? [], 'GENERAL', null);
  }
}

type Report = (code: DecisionErrorCode, message: string) => void;

function reporter(options: DecideOptions): Report {
  return (code, message) => {
    try {
      options.onError?.({ code, message });
    } catch {
      // A failing hook must not turn a decision into an exception.
    }
  };
}

function reportConditionErrors(prepared: PreparedSnapshot, report: Report): void {
  for (const { audienceId, error } of prepared.conditionErrors) {
    report('CONDITION_INVALID', `audience ${audienceId} never matches: condition is ${error.replace('_', ' ')}`);
  }
}

/** The pipeline after validation; also used by `explain` to compute counterfactuals. */
export function decideSlots(
  prepared: PreparedSnapshot,
  profile: Profile | undefined,
  consent: ConsentState,
  context: DecisionContext,
  slots: readonly (PreparedSlot | string)[],
): Decision[] {
  const visible = visibleProfile(prepared.snapshot, profile, consent, context);
  const state: VisitorState = {
    now: context.now,
    url: context.url,
    visible,
    profile,
    enrolable:
      profile?.visitorId !== undefined &&
      measurementGranted(prepared.snapshot.purposes, (id) => visible.statuses.get(id)?.granted === true),
    idPrefix: decisionIdPrefix(prepared.snapshot.version, profile?.visitorId, context.now),
  };
  // An experience spanning several slots runs once per call; its outcome is shared by its slots.
  const outcomes = new Array<ExperienceOutcome | undefined>(prepared.snapshot.experiences.length);
  return slots.map((slot) => decideSlot(prepared, state, slot, outcomes));
}

const UNTARGETED: readonly PreparedExperience[] = [];

function decideSlot(
  prepared: PreparedSnapshot,
  state: VisitorState,
  target: PreparedSlot | string,
  outcomes: (ExperienceOutcome | undefined)[],
): Decision {
  const slot = typeof target === 'string' ? target : target.name;
  const candidates =
    typeof target === 'string' ? (prepared.bySlot.get(target)?.candidates ?? UNTARGETED) : target.candidates;
  const trace: TraceEntry[] = [];
  const frame: DecisionFrame = {
    id: `${state.idPrefix}.${slot}`,
    slot,
    at: state.now,
    snapshotVersion: prepared.snapshot.version,
    trace,
  };
  for (const candidate of candidates) {
    let outcome = outcomes[candidate.index];
    if (outcome === undefined) {
      outcome = runExperience(candidate, state);
      outcomes[candidate.index] = outcome;
    }
    if (outcome.kind === 'skipped') {
      trace.push(candidate.skippedAt[outcome.step]);
      continue;
    }
    trace.push(candidate.decided);
    const { segment } = outcome;
    const signals = matchedSignals(candidate, segment, state.visible);
    if (outcome.kind === 'holdout') {
      return makeDecision(frame, {
        reason: 'HOLDOUT',
        kind: 'randomized',
        variant: null,
        candidate,
        enrolled: true,
        segment,
        signals,
      });
    }
    const variant = candidate.chosen[outcome.index]?.get(slot) ?? null;
    const reason = outcome.randomized ? 'SPLIT' : 'TARGETING_MATCH';
    const kind = outcome.randomized ? 'randomized' : kindOf(signals);
    return makeDecision(frame, { reason, kind, variant, candidate, enrolled: outcome.enrolled, segment, signals });
  }
  const off = candidates.some((candidate) => personalizationOff(prepared, candidate, state.visible));
  const reason = off ? 'PERSONALIZATION_OFF' : 'DEFAULT';
  return makeDecision(frame, {
    reason,
    kind: 'none',
    variant: null,
    candidate: null,
    enrolled: false,
    segment: undefined,
    signals: [],
  });
}

/** What every decision of one slot shares, whatever its outcome (the trace fills as candidates run). */
interface DecisionFrame {
  readonly id: string;
  readonly slot: string;
  readonly at: number;
  readonly snapshotVersion: number;
  readonly trace: readonly TraceEntry[];
}

/** How the slot was decided: the parts of a decision its outcome sets. */
interface SlotOutcome {
  readonly reason: Decision['reason'];
  readonly kind: DecisionKind;
  readonly variant: Decision['variant'];
  readonly candidate: PreparedExperience | null;
  readonly enrolled: boolean;
  readonly segment: PreparedSegment | undefined;
  readonly signals: readonly VisibleSignal[];
}

/** Every decision is built here with one fixed shape (decide is a hot path: one hidden class). */
function makeDecision(frame: DecisionFrame, outcome: SlotOutcome): Decision {
  const { candidate } = outcome;
  return {
    id: frame.id,
    slot: frame.slot,
    at: frame.at,
    snapshotVersion: frame.snapshotVersion,
    reason: outcome.reason,
    errorCode: null,
    kind: outcome.kind,
    variant: outcome.variant,
    experienceId: candidate ? candidate.experience.id : null,
    audienceIds: candidate ? candidate.experience.audiences : [],
    segment: outcome.segment?.audience ?? null,
    enrolled: outcome.enrolled,
    allocation: candidate ? candidate.experience.allocation : null,
    signals: outcome.signals,
    trace: frame.trace,
  };
}

function slotsToDecide(prepared: PreparedSnapshot, context: DecisionContext): readonly (PreparedSlot | string)[] {
  if (!context.slots || context.slots.length === 0) return prepared.slots;
  const extra = context.slots.filter((slot) => !prepared.bySlot.has(slot));
  return [...new Set(extra), ...prepared.slots];
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

/**
 * The visible data the decision read: its audiences' matched parts and, when a bandit segment set
 * the split, that segment's too — everything that influenced it is shown.
 */
function matchedSignals(
  candidate: PreparedExperience,
  segment: PreparedSegment | undefined,
  visible: VisibleProfile,
): VisibleSignal[] {
  const signals: VisibleSignal[] = [];
  const conditions = segment === undefined ? candidate.conditions : [...candidate.conditions, segment.condition];
  for (const condition of conditions) {
    for (const path of condition.matchedPaths(visible.attributes)) {
      const signal = visible.signals.get(path) ?? signalAbove(path, visible);
      if (signal && !signals.includes(signal)) signals.push(signal);
    }
  }
  return signals;
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

/** Decision ids are `<prefix>.<slot>`: deterministic, and one hash per decide call rather than per slot. */
function decisionIdPrefix(version: number | null, visitorId: string | undefined, now: number): string {
  return `d_${fnv1a32(`${version ?? '-'}|${visitorId ?? '-'}|${now}`).toString(36)}`;
}

function errorDecisions(
  context: DecisionContext,
  slots: readonly string[],
  errorCode: DecisionErrorCode,
  version: number | null,
): Decision[] {
  const prefix = decisionIdPrefix(version, undefined, context.now);
  return slots.map((slot) => ({
    id: `${prefix}.${slot}`,
    slot,
    at: context.now,
    snapshotVersion: version,
    reason: 'ERROR',
    errorCode,
    kind: 'none',
    variant: null,
    experienceId: null,
    audienceIds: [],
    segment: null,
    enrolled: false,
    allocation: null,
    signals: [],
    trace: [],
  }));
}
