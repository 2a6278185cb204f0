import type { Experience, Metric, Snapshot } from '@candor/core';
import { HOLDOUT_VARIANT, MAX_CONVERSION_VALUE, type TrustEventName, type VisitorReport } from '@candor/schema';
import { AppError } from '../../http/app-error.js';
import type { CellDelta } from './store.js';

/** Metric ids under which trust events are counted beside the metrics they guard. */
export const TRUST_METRIC_PREFIX = '$trust.';

/**
 * What one visitor has contributed to one experience so far. The server keeps it so that it, not the
 * device, bounds the visitor's influence: one exposure per experience, each metric's running value
 * within its cap, each trust event once. This is also the sensitivity differential privacy assumes.
 */
export interface Contribution {
  readonly experienceId: string;
  readonly variantId: string;
  /** The per-audience bandit segment the visitor was counted in, when it was live at exposure. */
  readonly segment?: string;
  /** Metric id → the visitor's running value, already clipped to the metric's bound. */
  readonly values: Readonly<Record<string, number>>;
  readonly trust: readonly TrustEventName[];
  /** False once the visitor left (withdrew the data the decision used): conversions no longer count. */
  readonly active: boolean;
}

/** What a report changes: cell increments, the contributions to store, and what was cut. */
export interface ContributionPlan {
  readonly cells: CellDelta[];
  readonly changed: Contribution[];
  /** Events beyond what one visitor may contribute, or values cut to a bound. */
  readonly clipped: number;
  /** Increments whose segment the live snapshot no longer lists: counted in the totals only. */
  readonly unsegmented: number;
}

interface Lookups {
  readonly experiences: ReadonlyMap<string, Experience>;
  readonly metrics: ReadonlyMap<string, Metric>;
}

// Built once per snapshot object (the route keeps one parsed snapshot per live body), not per report.
const lookups = new WeakMap<Snapshot, Lookups>();

/** The experiences and metrics of a snapshot by id. */
export function lookupsOf(snapshot: Snapshot): Lookups {
  let found = lookups.get(snapshot);
  if (found === undefined) {
    found = {
      experiences: new Map(snapshot.experiences.map((experience) => [experience.id, experience])),
      metrics: new Map(snapshot.metrics.map((metric) => [metric.id, metric])),
    };
    lookups.set(snapshot, found);
  }
  return found;
}

/** The most one visitor can add to a metric: 1 for a proportion, the cap (or a fixed bound) for a mean. */
export function visitorBound(metric: Metric): number {
  return metric.kind === 'proportion' ? 1 : Math.min(metric.cap ?? MAX_CONVERSION_VALUE, MAX_CONVERSION_VALUE);
}

/** The metrics an experience is counted on: its goals and guardrails, once each. */
export function watchedMetrics(experience: Experience): string[] {
  return [...new Set([...experience.goals, ...(experience.guardrails ?? [])])];
}

/** Refuses a reference the live snapshot does not have (a stale device or a forged report). */
export function checkCell(lookup: Lookups, experienceId: string, variantId: string): Experience {
  const experience = lookup.experiences.get(experienceId);
  if (experience === undefined)
    throw new AppError('unknown_reference', `Unknown experience "${experienceId}" in the live snapshot.`);
  if (variantId !== HOLDOUT_VARIANT && !experience.variants.some((variant) => variant.id === variantId)) {
    throw new AppError('unknown_reference', `Experience ${experienceId} has no variant "${variantId}".`);
  }
  return experience;
}

/** Whether a segment (an audience id) still splits a bandit experience in the live snapshot. */
export function liveSegment(experience: Experience | undefined, segment: string | undefined): boolean {
  return (
    segment !== undefined &&
    experience?.allocation === 'bandit' &&
    experience.segments?.some((known) => known.audience === segment) === true
  );
}

function cell(
  contribution: Pick<Contribution, 'experienceId' | 'variantId'>,
  segment: string | undefined,
  metricId: string,
  n: number,
  sum: number,
  sumSquares: number,
): CellDelta {
  return {
    ...(segment === undefined ? {} : { segment }),
    experienceId: contribution.experienceId,
    variantId: contribution.variantId,
    metricId,
    n,
    sum,
    sumSquares,
    covariateSum: 0,
    covariateSumSquares: 0,
    crossProduct: 0,
  };
}

/**
 * Turns one visitor's report into cell increments, given what that visitor already contributed.
 * Pure: the store runs it inside the transaction that holds the visitor's rows. Order within a report:
 * exposures, conversions, trust events, then leaving (a conversion sent just before a withdrawal counts).
 */
export function planContributions(
  snapshot: Snapshot,
  known: readonly Contribution[],
  report: VisitorReport,
): ContributionPlan {
  const lookup = lookupsOf(snapshot);
  const state = new Map(known.map((contribution) => [contribution.experienceId, contribution]));
  const changed = new Set<string>();
  const cells: CellDelta[] = [];
  let clipped = 0;
  let unsegmented = 0;
  const segmentOf = (contribution: Contribution): string | undefined => {
    if (contribution.segment === undefined) return undefined;
    if (liveSegment(lookup.experiences.get(contribution.experienceId), contribution.segment))
      return contribution.segment;
    unsegmented += 1;
    return undefined;
  };

  for (const exposure of report.exposures) {
    const experience = checkCell(lookup, exposure.experience, exposure.variant);
    if (state.has(experience.id)) {
      // One exposure per visitor and experience: a repeat (or a claim of another variant) adds nothing.
      clipped += 1;
      continue;
    }
    const segmented = liveSegment(experience, exposure.segment);
    if (exposure.segment !== undefined && !segmented) unsegmented += 1;
    const contribution: Contribution = {
      experienceId: experience.id,
      variantId: exposure.variant,
      ...(segmented && exposure.segment !== undefined ? { segment: exposure.segment } : {}),
      values: {},
      trust: [],
      active: true,
    };
    state.set(experience.id, contribution);
    changed.add(experience.id);
    for (const metricId of watchedMetrics(experience)) {
      cells.push(cell(contribution, contribution.segment, metricId, 1, 0, 0));
    }
  }

  for (const conversion of report.conversions) {
    const metric = lookup.metrics.get(conversion.metric);
    if (metric === undefined)
      throw new AppError('unknown_reference', `Unknown metric "${conversion.metric}" in the live snapshot.`);
    const bound = visitorBound(metric);
    const added = metric.kind === 'proportion' ? 1 : conversion.value;
    for (const contribution of state.values()) {
      const experience = lookup.experiences.get(contribution.experienceId);
      if (!contribution.active || experience === undefined || !watchedMetrics(experience).includes(metric.id)) continue;
      const before = contribution.values[metric.id] ?? 0;
      const after = Math.min(bound, before + added);
      if (before + added > bound) clipped += 1;
      if (after <= before) continue;
      state.set(contribution.experienceId, {
        ...contribution,
        values: { ...contribution.values, [metric.id]: after },
      });
      changed.add(contribution.experienceId);
      cells.push(
        cell(contribution, segmentOf(contribution), metric.id, 0, after - before, after * after - before * before),
      );
    }
  }

  for (const event of report.trust) {
    const contribution = state.get(event.experience);
    if (contribution === undefined || contribution.trust.includes(event.event)) {
      // Not counted in this experience, or already counted: one visitor moves a trust rate once.
      clipped += 1;
      continue;
    }
    state.set(contribution.experienceId, { ...contribution, trust: [...contribution.trust, event.event] });
    changed.add(contribution.experienceId);
    cells.push(cell(contribution, undefined, `${TRUST_METRIC_PREFIX}${event.event}`, 1, 1, 1));
  }

  for (const experienceId of report.left) {
    const contribution = state.get(experienceId);
    if (contribution === undefined || !contribution.active) continue;
    state.set(experienceId, { ...contribution, active: false });
    changed.add(experienceId);
  }

  return {
    cells,
    changed: [...changed].flatMap((id) => {
      const contribution = state.get(id);
      return contribution === undefined ? [] : [contribution];
    }),
    clipped,
    unsegmented,
  };
}
