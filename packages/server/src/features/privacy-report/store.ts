import type { DbHandle } from '../../storage/db-handle.js';
import type { CellSource } from '../reports/store.js';

/** One consent-ledger record of a site, as the report reads it (erased records have no payload and are skipped). */
export interface LedgerEntry {
  readonly createdAt: number;
  readonly payload: string;
}

/** One daily aggregate cell, as the report reads it. */
export interface DailyCount {
  readonly day: string;
  readonly experienceId: string;
  readonly variantId: string;
  readonly metricId: string;
  readonly n: number;
}

/** What the privacy report reads: the ledger and the daily aggregates of a window. */
export interface PrivacyReportStore {
  /** A site's ledger records created at or after `since` (epoch ms), oldest first. */
  listConsentSince(siteId: string, since: number): Promise<LedgerEntry[]>;
  /** A site's daily aggregate counts (every experience and metric) from `fromDay` (YYYY-MM-DD) on, real or demo. */
  listDailyCountsSince(siteId: string, fromDay: string, source?: CellSource): Promise<DailyCount[]>;
}

/** The report's reads over Kysely. */
export function createPrivacyReportStore({ db }: DbHandle): PrivacyReportStore {
  return {
    async listConsentSince(siteId, since) {
      const rows = await db
        .selectFrom('consent_ledger')
        .select(['created_at', 'payload'])
        .where('site_id', '=', siteId)
        .where('created_at', '>=', since)
        .where('payload', 'is not', null)
        .orderBy('seq')
        .execute();
      return rows.flatMap((row) =>
        row.payload === null ? [] : [{ createdAt: Number(row.created_at), payload: row.payload }],
      );
    },
    async listDailyCountsSince(siteId, fromDay, source = 'real') {
      const rows = await db
        .selectFrom(source === 'demo' ? 'demo_aggregates_daily' : 'aggregates_daily')
        .select(['day', 'experience_id', 'variant_id', 'metric_id', 'n'])
        .where('site_id', '=', siteId)
        .where('day', '>=', fromDay)
        .orderBy('day')
        .execute();
      return rows.map((row) => ({
        day: row.day,
        experienceId: row.experience_id,
        variantId: row.variant_id,
        metricId: row.metric_id,
        n: Number(row.n),
      }));
    },
  };
}
