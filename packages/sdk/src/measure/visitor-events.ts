import type { Decision, Snapshot } from '@candor/core';
import type { DeviceRecord, MeasuredExperience } from '../profile/profile-store.js';

/** The report variant id of visitors kept on default content by a holdout (schema's HOLDOUT_VARIANT). */
export const HOLDOUT_VARIANT = '$holdout';

/** The largest value one conversion carries (the server's bound too). */
export const MAX_CONVERSION_VALUE = 1_000_000;

/** A first exposure to an experience, in the variant (or holdout) the decision chose. */
export interface ExposureEvent {
  readonly experience: string;
  readonly variant: string;
  /** The per-audience bandit segment (audience id) the visitor was split in, if any. */
  readonly segment?: string;
}

/** A conversion; the server adds it to the experiences this visitor was counted in, within the metric's cap. */
export interface ConversionEvent {
  readonly metric: string;
  readonly value: number;
}

/** A trust guardrail event (docs/privacy.md §9 principle 8); the server counts each once per visitor and experience. */
export interface TrustEvent {
  readonly experience: string;
  readonly event: 'opt_out' | 'not_relevant' | 'preference_center' | 'explanation_open';
}

/** What one report carries: events of this visitor only; the server turns them into bounded aggregates. */
export interface VisitorEvents {
  readonly exposures?: readonly ExposureEvent[];
  readonly conversions?: readonly ConversionEvent[];
  readonly trust?: readonly TrustEvent[];
  /** Experiences whose decision used data the visitor has since withdrawn. */
  readonly left?: readonly string[];
}

/** The variant a decision counts under in reports, or undefined when it is not counted. */
export function reportVariant(decision: Decision): string | undefined {
  if (!decision.enrolled || decision.experienceId === null) return undefined;
  if (decision.reason === 'HOLDOUT') return HOLDOUT_VARIANT;
  return decision.variant?.id;
}

/** The first exposure of this device to a decision's experience; nothing when it was already counted. */
export function exposureEvent(
  record: DeviceRecord,
  decision: Decision,
): { event: ExposureEvent | undefined; record: DeviceRecord } {
  const variant = reportVariant(decision);
  const experience = decision.experienceId;
  if (variant === undefined || experience === null || record.measured?.[experience])
    return { event: undefined, record };
  const segment = decision.segment ? { segment: decision.segment } : {};
  const measured: MeasuredExperience = { variant, ...segment };
  return {
    event: { experience, variant, ...segment },
    record: { ...record, measured: { ...record.measured, [experience]: measured } },
  };
}

/**
 * A conversion worth sending: the metric is known and an experience this device is still counted in
 * watches it. The value is clipped to [0, MAX_CONVERSION_VALUE]; the server applies the metric's cap.
 */
export function conversionEvent(
  snapshot: Snapshot,
  record: DeviceRecord,
  metricId: string,
  value: number,
): ConversionEvent | undefined {
  if (!Number.isFinite(value) || !snapshot.metrics.some((metric) => metric.id === metricId)) return undefined;
  const watched = snapshot.experiences.some(
    (experience) =>
      record.measured?.[experience.id]?.left !== true &&
      record.measured?.[experience.id] !== undefined &&
      [...experience.goals, ...(experience.guardrails ?? [])].includes(metricId),
  );
  return watched ? { metric: metricId, value: Math.min(MAX_CONVERSION_VALUE, Math.max(0, value)) } : undefined;
}

/**
 * The experiences this device was counted in whose current decision no longer shows what it was
 * counted under (the visitor withdrew or removed the data it used): later conversions must not be
 * credited to content the visitor no longer sees because of data they took back.
 */
export function leftExperiences(
  record: DeviceRecord,
  decisions: Iterable<Decision>,
): { left: string[]; record: DeviceRecord } {
  const current = new Map<string, string | undefined>();
  for (const decision of decisions) {
    if (decision.experienceId !== null) current.set(decision.experienceId, reportVariant(decision));
  }
  const left: string[] = [];
  const measured: Record<string, MeasuredExperience> = { ...record.measured };
  for (const [experience, state] of Object.entries(measured)) {
    if (state.left === true || current.get(experience) === state.variant) continue;
    left.push(experience);
    measured[experience] = { ...state, left: true };
  }
  return left.length === 0 ? { left, record } : { left, record: { ...record, measured } };
}
