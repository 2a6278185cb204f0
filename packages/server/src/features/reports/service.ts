import type { Snapshot } from '@candor/core';
import type { AggregateBatch, VisitorReport } from '@candor/schema';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { grantedPurposes } from '../consent/service.js';
import type { PrivacySignals } from '../consent/signals.js';
import type { SiteRecord } from '../sites/store.js';
import type { VisitorRecord } from '../visitors/store.js';
import { checkCell, liveSegment, lookupsOf, planContributions, TRUST_METRIC_PREFIX } from './contribution.js';
import type { CellDelta } from './store.js';

export { TRUST_METRIC_PREFIX } from './contribution.js';

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

function requireSnapshot(site: SiteRecord, snapshot: Snapshot | undefined): Snapshot {
  if (snapshot === undefined)
    throw new AppError('unknown_reference', `Site ${site.siteKey} has not published: nothing to report on.`);
  return snapshot;
}

/** Whether the visitor's latest consent on this site, under the request's signals, grants one of the snapshot's measurement purposes. */
export async function grantsMeasurement(
  context: AppContext,
  site: SiteRecord,
  snapshot: Snapshot,
  visitor: VisitorRecord,
  signals: PrivacySignals,
): Promise<boolean> {
  // The grant must be this site's: another site's visitor (who granted measurement there) vouches for nothing here.
  if (visitor.siteId !== site.id) return false;
  const granted = await grantedPurposes(context, visitor.id, snapshot.purposes, signals);
  return snapshot.purposes.some((purpose) => purpose.class === 'measurement' && granted.has(purpose.id));
}

/**
 * Adds one consented visitor's report. The server, not the device, bounds the contribution: one
 * exposure per experience, each conversion metric within its cap, each trust event once
 * (`planContributions`), inside one transaction that holds the visitor's rows.
 */
export async function ingestVisitorReport(
  context: AppContext,
  site: SiteRecord,
  snapshot: Snapshot | undefined,
  visitor: VisitorRecord,
  report: VisitorReport,
  signals: PrivacySignals,
): Promise<IngestResult> {
  const live = requireSnapshot(site, snapshot);
  if (!(await grantsMeasurement(context, site, live, visitor, signals))) {
    throw new AppError(
      'consent_required',
      'This visitor has not granted a measurement purpose on this site (or withdrew it): nothing was counted.',
    );
  }
  // The plan refuses an unknown experience, variant or metric inside the transaction, which then
  // rolls back whole (batch id included): validated once, on the one path that applies the report.
  const outcome = await context.storage.applyVisitorReport(
    site.id,
    report.batchId,
    visitor.id,
    context.clock(),
    (known) => planContributions(live, known, report),
  );
  if (outcome.status === 'duplicate')
    return { batchId: report.batchId, status: 'duplicate', deltas: 0, clipped: 0, unsegmented: 0 };
  const { plan } = outcome;
  return {
    batchId: report.batchId,
    status: 'applied',
    deltas: plan.cells.length,
    clipped: plan.clipped,
    unsegmented: plan.unsegmented,
  };
}

/**
 * Adds a trusted batch of precomputed deltas (an API key with the publish permission: a server-side
 * SDK or an import). Validated against the live snapshot and clipped to each metric's cap C
 * (Σy ≤ nC, Σy² ≤ nC²; docs/privacy.md §8), added atomically, once.
 */
export async function ingestAggregateBatch(
  context: AppContext,
  site: SiteRecord,
  snapshot: Snapshot | undefined,
  batch: AggregateBatch,
): Promise<IngestResult> {
  const live = requireSnapshot(site, snapshot);
  const lookup = lookupsOf(live);
  let clipped = 0;
  let unsegmented = 0;
  const cells: CellDelta[] = batch.deltas.map((delta) => {
    const experience = checkCell(lookup, delta.experience, delta.variant);
    const segmented = liveSegment(experience, delta.segment);
    if (delta.segment !== undefined && !segmented) unsegmented += 1;
    const metric = lookup.metrics.get(delta.metric);
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
    checkCell(lookup, event.experience, event.variant);
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
