import { z } from 'zod';

const Count = z.number().int().nonnegative();

/**
 * One UTC day of a site's privacy report. Consent figures come from the ledger: they count the
 * choices visitors *made*. Prompts *shown* are never counted, because nothing may be sent before a
 * choice (docs/privacy.md §5 B1). Trust figures come from the daily aggregates, so they describe only
 * visitors who allowed measurement.
 */
export const PrivacyReportDay = z.object({
  /** YYYY-MM-DD (UTC). */
  day: z.string(),
  /** Consent records appended that day (accept, reject, custom, withdraw, automatic GPC/DNT records). */
  choices: Count,
  /** Of those, how many by action (`accept_all`, `reject_all`, `custom`, `withdraw`, `gpc_auto`…). */
  actions: z.record(z.string(), Count),
  /** Of those, how many granted each purpose. */
  granted: z.record(z.string(), Count),
  /** Of those, how many carried a Global Privacy Control signal. */
  gpc: Count,
  /** Visitors enrolled in an experience and counted (among those who allowed measurement). */
  exposures: Count,
  /** "Why am I seeing this?" opened. */
  explanationOpens: Count,
  /** "Don't use this" (stop using this data) chosen. */
  dontUse: Count,
  /** "Not relevant" clicks. */
  notRelevant: Count,
  /** Preference-center visits. */
  preferenceCenter: Count,
});

/** One line of the trust score: points for a fact the configuration (or the measured opt-out rate) makes true. */
export const TrustScoreItem = z.object({
  id: z.string(),
  /** English; the dashboard translates by id. */
  label: z.string(),
  points: z.number().nonnegative(),
  max: z.number().positive(),
  /** What was found, in plain words (e.g. "2 of 3 fields explained"). */
  detail: z.string(),
});

/** `GET /v1/admin/sites/:site/privacy-report?days=30`: consent and trust figures over time, and the trust score. */
export const PrivacyReport = z.object({
  siteKey: z.string(),
  /** The live snapshot the configuration items were judged on; null when the site never published. */
  snapshotVersion: z.number().int().nullable(),
  /** Oldest day first, every day of the window (days without data are zeros). */
  days: z.array(PrivacyReportDay),
  trustScore: z.object({
    /** Points earned out of 100. */
    score: z.number().int().min(0).max(100),
    breakdown: z.array(TrustScoreItem),
  }),
  /** True when the site holds the demo's generated figures (not real visitors). */
  /** True when the figures are the demo seed's generated ones (`?data=demo`); real visitors' otherwise. */
  demoData: z.boolean(),
  /** The site also has demo figures, kept apart from real ones. */
  demoAvailable: z.boolean().optional(),
});

/** A day of the privacy report. */
export type PrivacyReportDay = z.infer<typeof PrivacyReportDay>;
/** One trust score item. */
export type TrustScoreItem = z.infer<typeof TrustScoreItem>;
/** A privacy report. */
export type PrivacyReport = z.infer<typeof PrivacyReport>;
