import { z } from 'zod';

/**
 * Central differential privacy for one experience's results (PRIVACY.md §8): an ε budget split evenly
 * over a fixed number of releases made at a fixed cadence, so peeking more often cannot spend more.
 */
export const DifferentialPrivacySettings = z.object({
  /** Total ε for the experience's lifetime. */
  epsilon: z.number().positive().max(10),
  /** Releases the budget is split over; each spends epsilon / plannedReleases. */
  plannedReleases: z.number().int().min(1).max(365).default(30),
  /** Hours between releases; a request in between sees the last release again at no cost. */
  releaseEveryHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  /** Cells with fewer units than k are suppressed (Protected Audience precedent). */
  k: z.number().int().min(2).max(10_000).default(50),
});

/** Thompson-sampling settings for an experience with `allocation: 'bandit'`. */
export const BanditSettings = z.object({
  /** The goal the bandit optimises; the experience's first goal when omitted. */
  metric: z.string().min(1).max(64).optional(),
  /** Every variant keeps at least this share of the non-holdout traffic. */
  minimumShare: z.number().min(0).max(0.5).default(0.05),
  /** Units every variant needs before weights move off equal. */
  burnInUnits: z.number().int().min(1).max(1_000_000).default(100),
  /** Hours between re-weightings (a fixed cadence, so weights do not chase noise). */
  cadenceHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
});

/**
 * How an experience's results are analysed. Stored with the experience draft and published with it,
 * so the analysis plan is frozen and audited like the rest of the experience.
 */
export const ExperienceAnalysis = z.object({
  engine: z.enum(['frequentist', 'sequential', 'bayesian']).default('frequentist'),
  /** Sequential tuning N*: the total sample size at which the confidence sequence is tightest. */
  tuningN: z.number().positive().max(1e9).default(5000),
  /** Multiple-comparison correction across goal variants × metrics: Holm (FWER) or Benjamini–Hochberg (FDR). */
  correction: z.enum(['holm', 'bh', 'none']).default('holm'),
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  /** Units each arm needs before a verdict is shown. */
  minimumUnits: z.number().int().min(2).max(1_000_000).default(100),
  differentialPrivacy: DifferentialPrivacySettings.optional(),
  bandit: BanditSettings.optional(),
});

/** Differential-privacy settings as validated. */
export type DifferentialPrivacySettings = z.infer<typeof DifferentialPrivacySettings>;
/** Bandit settings as validated. */
export type BanditSettings = z.infer<typeof BanditSettings>;
/** An experience's analysis plan as validated (defaults filled in). */
export type ExperienceAnalysis = z.infer<typeof ExperienceAnalysis>;
