import type { Snapshot } from '@candor/core';
import type { AppContext } from '../../context.js';

const DAY = 86_400_000;
/** How long batch ids are remembered for deduplication; SDK retries stop long before. */
export const BATCH_ID_RETENTION_MS = 30 * DAY;
/** How long finished webhook deliveries stay in the delivery log. */
export const DELIVERY_LOG_RETENTION_MS = 30 * DAY;
/**
 * How long a visitor's contribution rows outlive their last report: as long as a consent lasts (13
 * months) plus a margin, so a returning visitor is never counted twice while their consent holds.
 */
export const CONTRIBUTION_RETENTION_MS = 400 * DAY;

/** How many rows each retention rule removed. */
export interface RetentionReport {
  readonly values: number;
  readonly ledger: number;
  readonly aggregates: number;
  readonly sessions: number;
  readonly batchIds: number;
  readonly webhookDeliveries: number;
  readonly contributions: number;
}

/**
 * Enforces retention (docs/privacy.md §9 principle 6): server values past their field's retention, ledger
 * records past the site's legal retention, aggregates of archived experiences (in neither the live
 * snapshot nor the drafts), expired sessions, old batch ids, finished webhook deliveries and
 * visitors' contribution rows after their consent could no longer hold.
 */
export async function runRetention(context: AppContext): Promise<RetentionReport> {
  const now = context.clock();
  const { storage } = context;
  let ledger = 0;
  let aggregates = 0;
  for (const site of await storage.listSites()) {
    ledger += await storage.deleteConsentBefore(site.id, now - site.settings.ledgerRetentionDays * DAY);
    const latest = await storage.latestSnapshot(site.id);
    const live = new Set(
      latest === undefined ? [] : (JSON.parse(latest.body) as Snapshot).experiences.map((e) => e.id),
    );
    const drafted = new Set((await storage.listDrafts(site.id, 'experiences')).map((draft) => draft.id));
    const archived = [...new Set((await storage.listAggregates(site.id)).map((cell) => cell.experienceId))].filter(
      (id) => !live.has(id) && !drafted.has(id),
    );
    aggregates += await storage.deleteAggregates(site.id, archived);
  }
  return {
    values: await storage.deleteExpiredValues(now),
    ledger,
    aggregates,
    sessions: await storage.deleteExpiredSessions(now),
    batchIds: await storage.deleteBatchIdsBefore(now - BATCH_ID_RETENTION_MS),
    webhookDeliveries: await storage.deleteDeliveriesBefore(now - DELIVERY_LOG_RETENTION_MS),
    contributions: await storage.deleteContributionsBefore(now - CONTRIBUTION_RETENTION_MS),
  };
}
