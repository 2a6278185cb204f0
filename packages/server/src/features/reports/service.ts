import type { Experience, Metric, Snapshot } from '@candor/core';
import { HOLDOUT_VARIANT, type ReportBatch } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { grantedPurposes } from '../consent/service.js';
import type { SiteRecord } from '../sites/store.js';
import type { CellDelta } from './store.js';

/** Metric ids under which trust events are counted beside the metrics they guard. */
export const TRUST_METRIC_PREFIX = '$trust.';

/** What ingestion did with a batch. */
export interface IngestResult {
  readonly batchId: string;
  readonly status: 'applied' | 'duplicate';
  readonly deltas: number;
  readonly clipped: number;
  readonly unsegmented: number;
}

function clip(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

interface Lookups {
  readonly experiences: ReadonlyMap<string, Experience>;
  readonly metrics: ReadonlyMap<string, Metric>;
}

// Built once per snapshot object (the route keeps one parsed snapshot per live body), not per batch.
const lookups = new WeakMap<Snapshot, Lookups>();
function lookupsOf(snapshot: Snapshot): Lookups {
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

/**
 * Validates a batch against the live snapshot (known experience, variant and metric), clips each
 * delta to the metric's cap C (Σy ≤ nC, Σy² ≤ nC²; PRIVACY.md §8) and adds it atomically, once.
 */
export async function ingestReport(
  context: AppContext,
  site: SiteRecord,
  snapshot: Snapshot | undefined,
  batch: ReportBatch,
): Promise<IngestResult> {
  if (snapshot === undefined)
    throw new AppError('unknown_reference', `Site ${site.siteKey} has not published: nothing to report on.`);
  if (batch.visitorId !== undefined) {
    const measurement = snapshot.purposes
      .filter((purpose) => purpose.class === 'measurement')
      .map((purpose) => purpose.id);
    // The grant must be this site's: another site's visitor id (who granted measurement there) is
    // refused like one who granted nothing, so one site's ids cannot vouch for reports to another.
    const visitor = await context.storage.getVisitor(batch.visitorId);
    const granted = visitor?.siteId === site.id ? await grantedPurposes(context, batch.visitorId) : new Set<string>();
    if (!measurement.some((purpose) => granted.has(purpose))) {
      throw new AppError(
        'consent_required',
        'A visitor id may be sent only when that visitor granted a measurement purpose; send the batch without it.',
      );
    }
  }
  const { experiences, metrics } = lookupsOf(snapshot);
  const checkCell = (experienceId: string, variantId: string): void => {
    const experience = experiences.get(experienceId);
    if (experience === undefined)
      throw new AppError('unknown_reference', `Unknown experience "${experienceId}" in the live snapshot.`);
    if (variantId !== HOLDOUT_VARIANT && !experience.variants.some((variant) => variant.id === variantId)) {
      throw new AppError('unknown_reference', `Experience ${experienceId} has no variant "${variantId}".`);
    }
  };
  // A device may remember a segment a later publish removed: its delta still counts in the totals,
  // only not in that segment, so a stale tag never costs the batch.
  const liveSegment = (experienceId: string, segment: string | undefined): boolean => {
    const experience = experiences.get(experienceId);
    return (
      segment !== undefined &&
      experience?.allocation === 'bandit' &&
      experience.segments?.some((known) => known.audience === segment) === true
    );
  };
  let clipped = 0;
  let unsegmented = 0;
  const cells: CellDelta[] = batch.deltas.map((delta) => {
    checkCell(delta.experience, delta.variant);
    const segmented = liveSegment(delta.experience, delta.segment);
    if (delta.segment !== undefined && !segmented) unsegmented += 1;
    const metric = metrics.get(delta.metric);
    if (metric === undefined)
      throw new AppError('unknown_reference', `Unknown metric "${delta.metric}" in the live snapshot.`);
    const cap = metric.kind === 'proportion' ? 1 : (metric.cap ?? Number.POSITIVE_INFINITY);
    const sum = clip(delta.sum, 0, delta.n * cap);
    const sumSquares = clip(delta.sumSquares, 0, delta.n * cap * cap);
    if (sum !== delta.sum || sumSquares !== delta.sumSquares) clipped += 1;
    return {
      ...(segmented && delta.segment !== undefined ? { segment: delta.segment } : {}),
      experienceId: delta.experience,
      variantId: delta.variant,
      metricId: delta.metric,
      n: delta.n,
      sum,
      sumSquares,
      covariateSum: delta.covariateSum ?? 0,
      covariateSumSquares: delta.covariateSumSquares ?? 0,
      crossProduct: delta.crossProduct ?? 0,
    };
  });
  for (const event of batch.trust) {
    checkCell(event.experience, event.variant);
    cells.push({
      experienceId: event.experience,
      variantId: event.variant,
      metricId: `${TRUST_METRIC_PREFIX}${event.event}`,
      n: event.count,
      sum: event.count,
      sumSquares: event.count,
      covariateSum: 0,
      covariateSumSquares: 0,
      crossProduct: 0,
    });
  }
  const status = await context.storage.applyReportBatch(site.id, batch.batchId, cells, context.clock());
  return { batchId: batch.batchId, status, deltas: cells.length, clipped, unsegmented };
}
