import type { Decision, Metric, Snapshot } from '@candor/core';
import type { DeviceRecord } from '../profile/profile-store.js';

/** The report variant id of visitors kept on default content by a holdout (schema's HOLDOUT_VARIANT). */
export const HOLDOUT_VARIANT = '$holdout';

/** One aggregate delta: sufficient statistics for an (experience, variant, metric) cell (PRIVACY.md §8). */
export interface Delta {
  readonly experience: string;
  readonly variant: string;
  readonly metric: string;
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
  /** The per-audience bandit segment (audience id) the visitor was split in, if any. */
  readonly segment?: string;
}

/** The variant a decision counts under in reports, or undefined when it is not counted. */
export function reportVariant(decision: Decision): string | undefined {
  if (!decision.enrolled || decision.experienceId === null) return undefined;
  if (decision.reason === 'HOLDOUT') return HOLDOUT_VARIANT;
  return decision.variant?.id;
}

/**
 * The first exposure of this device to an experience: n + 1 in each goal and guardrail cell, with
 * value 0 until a conversion. A device counts once per experience (bounded contribution).
 */
export function exposureDeltas(
  snapshot: Snapshot,
  record: DeviceRecord,
  decision: Decision,
): { deltas: Delta[]; record: DeviceRecord } {
  const variant = reportVariant(decision);
  const experience = snapshot.experiences.find((candidate) => candidate.id === decision.experienceId);
  if (variant === undefined || !experience || record.measured?.[experience.id]) return { deltas: [], record };
  const metrics = [...new Set([...experience.goals, ...(experience.guardrails ?? [])])];
  const segment = decision.segment ? { segment: decision.segment } : {};
  const deltas = metrics.map((metric) => ({
    experience: experience.id,
    variant,
    metric,
    n: 1,
    sum: 0,
    sumSquares: 0,
    ...segment,
  }));
  const measured = { ...record.measured, [experience.id]: { variant, ...segment, values: {} } };
  return { deltas, record: { ...record, measured } };
}

/**
 * A conversion: in every experience this device was counted in that watches the metric, its value
 * rises to min(cap, old + value), and the delta of Σy and Σy² is sent. Values are clipped to [0, C]
 * (a proportion's C is 1), so one visitor's influence on a cell is bounded.
 */
export function conversionDeltas(
  snapshot: Snapshot,
  record: DeviceRecord,
  metricId: string,
  value: number,
): { deltas: Delta[]; record: DeviceRecord } {
  const metric: Metric | undefined = snapshot.metrics.find((candidate) => candidate.id === metricId);
  if (!metric || !record.measured || !Number.isFinite(value)) return { deltas: [], record };
  const cap = metric.kind === 'proportion' ? 1 : (metric.cap ?? Number.POSITIVE_INFINITY);
  const deltas: Delta[] = [];
  const measured = { ...record.measured };
  for (const experience of snapshot.experiences) {
    const state = measured[experience.id];
    if (!state || ![...experience.goals, ...(experience.guardrails ?? [])].includes(metricId)) continue;
    const before = state.values[metricId] ?? 0;
    const after = Math.min(cap, before + Math.max(0, metric.kind === 'proportion' ? 1 : value));
    if (after === before) continue;
    deltas.push({
      experience: experience.id,
      variant: state.variant,
      metric: metricId,
      n: 0,
      sum: after - before,
      sumSquares: after * after - before * before,
      ...(state.segment ? { segment: state.segment } : {}),
    });
    measured[experience.id] = { ...state, values: { ...state.values, [metricId]: after } };
  }
  return { deltas, record: { ...record, measured } };
}

/** Adds deltas of the same cell together so a batch carries each cell once. */
export function mergeDeltas(deltas: readonly Delta[]): Delta[] {
  const cells = new Map<string, Delta>();
  for (const delta of deltas) {
    const key = `${delta.experience}\u0000${delta.variant}\u0000${delta.metric}\u0000${delta.segment ?? ''}`;
    const seen = cells.get(key);
    cells.set(
      key,
      seen
        ? { ...seen, n: seen.n + delta.n, sum: seen.sum + delta.sum, sumSquares: seen.sumSquares + delta.sumSquares }
        : delta,
    );
  }
  return [...cells.values()];
}
