import { z } from 'zod';
import { EntityId } from './common.js';

/** The variant id reports use for visitors kept on default content by a holdout. */
export const HOLDOUT_VARIANT = '$holdout';

/** The trust events counted beside an experience's metrics (docs/privacy.md §9 principle 8). */
export const TRUST_EVENTS = ['opt_out', 'not_relevant', 'preference_center', 'explanation_open'] as const;

/** The largest value one conversion may carry; a mean metric without a cap is bounded per visitor too. */
export const MAX_CONVERSION_VALUE = 1_000_000;

/** The most events of each kind one visitor report may carry: what one device can plausibly send. */
export const MAX_REPORT_EVENTS = 100;

const Finite = z.number().finite();
/** Sums a trusted aggregate may carry: far beyond any real cell, and never near Infinity when squared. */
const BoundedSum = Finite.min(-1e15).max(1e15);
const BoundedSquares = Finite.min(0).max(1e30);

const BatchId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'use a random URL-safe id (e.g. a UUID)');

const ReportVariant = z.union([EntityId, z.literal(HOLDOUT_VARIANT)]);

/** One aggregate delta for an (experience, variant, metric) cell: sufficient statistics only (docs/privacy.md §8). */
export const AggregateDelta = z.object({
  experience: EntityId,
  variant: ReportVariant,
  metric: EntityId,
  n: z.number().int().min(0).max(100_000),
  sum: BoundedSum,
  sumSquares: BoundedSquares,
  covariateSum: BoundedSum.optional(),
  covariateSumSquares: BoundedSquares.optional(),
  crossProduct: BoundedSum.optional(),
  /** The per-audience bandit segment (an audience id) the visitor was split in, from the decision. */
  segment: EntityId.optional(),
});

/** Trust events counted per experience and variant, in a trusted aggregate batch. */
export const TrustEvent = z.object({
  experience: EntityId,
  variant: ReportVariant,
  event: z.enum(TRUST_EVENTS),
  count: z.number().int().min(1).max(100_000),
});

/**
 * A batch of precomputed deltas from a trusted source holding an API key (a server-side SDK, an
 * import); visitors' devices send `VisitorReport` instead. The batch id makes a retried batch count once.
 */
export const AggregateBatch = z.object({
  batchId: BatchId,
  deltas: z.array(AggregateDelta).max(500).default([]),
  trust: z.array(TrustEvent).max(100).default([]),
});

/** A visitor's first exposure to an experience, in the variant (or holdout) their decision chose. */
export const ExposureEvent = z.object({
  experience: EntityId,
  variant: ReportVariant,
  segment: EntityId.optional(),
});

/** A conversion; the server adds it to every experience this visitor was counted in that watches the metric. */
export const ConversionEvent = z.object({
  metric: EntityId,
  /** Ignored for proportion metrics (a conversion is 1); a mean metric's value, clipped to its cap. */
  value: Finite.min(0).max(MAX_CONVERSION_VALUE).default(1),
});

/** A trust event of a visitor in an experience they were counted in (each counts once per visitor). */
export const VisitorTrustEvent = z.object({
  experience: EntityId,
  event: z.enum(TRUST_EVENTS),
});

/**
 * What a consented visitor's device reports, under `Authorization: Bearer <visitor token>`. Events, not
 * sums: the server bounds the contribution itself (one exposure per experience, conversions capped per
 * metric, each trust event once) from what this visitor already contributed.
 */
export const VisitorReport = z.object({
  batchId: BatchId,
  exposures: z.array(ExposureEvent).max(MAX_REPORT_EVENTS).default([]),
  conversions: z.array(ConversionEvent).max(MAX_REPORT_EVENTS).default([]),
  trust: z.array(VisitorTrustEvent).max(MAX_REPORT_EVENTS).default([]),
  /** Experiences whose decision used data the visitor has since withdrawn: later conversions no longer count there. */
  left: z.array(EntityId).max(MAX_REPORT_EVENTS).default([]),
});

/** What ingestion answers. */
export const ReportResult = z.object({
  batchId: z.string(),
  status: z.enum(['applied', 'duplicate']),
  /** Cell increments the batch produced. */
  deltas: z.number().int(),
  /** Values cut to a metric's cap (or events beyond what one visitor may contribute). */
  clipped: z.number().int(),
  /** Deltas whose segment the live snapshot no longer lists: counted in the totals, not in a segment. */
  unsegmented: z.number().int(),
});

/** A trusted batch as validated. */
export type AggregateBatch = z.infer<typeof AggregateBatch>;
/** One delta as validated. */
export type AggregateDelta = z.infer<typeof AggregateDelta>;
/** One trusted trust event as validated. */
export type TrustEvent = z.infer<typeof TrustEvent>;
/** A visitor report as validated. */
export type VisitorReport = z.infer<typeof VisitorReport>;
/** One of the trust events. */
export type TrustEventName = (typeof TRUST_EVENTS)[number];
