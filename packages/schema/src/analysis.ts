import { z } from 'zod';

/**
 * Central differential privacy for one experience's results (docs/privacy.md §8): an ε budget split evenly
 * over a fixed number of releases made at a fixed cadence, so peeking more often cannot spend more.
 */
export const DifferentialPrivacySettings = z.object({
  /**
   * Total ε for the experience's lifetime. At least 0.01 so every release's Laplace scale stays finite
   * (a tiny ε would release n = Infinity).
   */
  epsilon: z.number().min(0.01).max(10),
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
  /** Attributable visitors the experience needs in total before any re-weighting. */
  minimumVisitors: z.number().int().min(0).max(10_000_000).default(200),
  /** The most one run may move any arm's weight (a share of traffic): forged or lucky data cannot swing it at once. */
  maxStep: z.number().min(0.01).max(1).default(0.1),
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
  /**
   * Multiple-comparison correction across every alarm one results page shows (goal verdicts, guardrail
   * harm, trust harm; SRM has its own slice of alpha): Holm (FWER), Benjamini–Hochberg (FDR) or none.
   */
  correction: z.enum(['holm', 'bh', 'none']).default('holm'),
  /**
   * Relative lift: `log_ratio` (calibrated at small counts and on skewed metrics) or `delta` (the delta
   * method, equal to GrowthBook's gbstats, for comparing the two).
   */
  relativeMethod: z.enum(['log_ratio', 'delta']).default('log_ratio'),
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
