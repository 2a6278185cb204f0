import { z } from 'zod';
import { EntityId } from './common.js';

/** The variant id reports use for visitors kept on default content by a holdout. */
export const HOLDOUT_VARIANT = '$holdout';

const Finite = z.number().finite();

/** One aggregate delta for an (experience, variant, metric) cell: sufficient statistics only (PRIVACY.md §8). */
export const AggregateDelta = z.object({
  experience: EntityId,
  variant: z.union([EntityId, z.literal(HOLDOUT_VARIANT)]),
  metric: EntityId,
  n: z.number().int().min(0).max(100_000),
  sum: Finite,
  sumSquares: Finite.nonnegative(),
  covariateSum: Finite.optional(),
  covariateSumSquares: Finite.nonnegative().optional(),
  crossProduct: Finite.optional(),
  /** The per-audience bandit segment (an audience id) the visitor was split in, from the decision. */
  segment: EntityId.optional(),
});

/** Trust events counted per experience and variant (DESIGN.md principle 8): the guardrails and "Why?" opens. */
export const TrustEvent = z.object({
  experience: EntityId,
  variant: z.union([EntityId, z.literal(HOLDOUT_VARIANT)]),
  event: z.enum(['opt_out', 'not_relevant', 'preference_center', 'explanation_open']),
  count: z.number().int().min(1).max(100_000),
});

/** A batch of deltas; the batch id makes a retried batch count once. */
export const ReportBatch = z.object({
  batchId: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'use a random URL-safe id (e.g. a UUID)'),
  deltas: z.array(AggregateDelta).max(500).default([]),
  trust: z.array(TrustEvent).max(100).default([]),
  /** Accepted only when the visitor granted a measurement purpose; never stored with the aggregates. */
  visitorId: z.string().max(64).optional(),
});

/** What ingestion answers. */
export const ReportResult = z.object({
  batchId: z.string(),
  status: z.enum(['applied', 'duplicate']),
  deltas: z.number().int(),
  clipped: z.number().int(),
  /** Deltas whose segment the live snapshot no longer lists: counted in the totals, not in a segment. */
  unsegmented: z.number().int(),
});

/** A batch as validated. */
export type ReportBatch = z.infer<typeof ReportBatch>;
/** One delta as validated. */
export type AggregateDelta = z.infer<typeof AggregateDelta>;
/** One trust event as validated. */
export type TrustEvent = z.infer<typeof TrustEvent>;
