import { sql } from 'kysely';
import { createAuditStore, type AuditStore } from '../features/audit/store.js';
import { createAuthStore, type AuthStore } from '../features/auth/store.js';
import { createBanditRunsStore, type BanditRunsStore } from '../features/bandit/store.js';
import { createConsentStore, type ConsentStore } from '../features/consent/store.js';
import { createDraftsStore, type DraftsStore } from '../features/drafts/store.js';
import { createPrivacyReportStore, type PrivacyReportStore } from '../features/privacy-report/store.js';
import { createSnapshotsStore, type SnapshotsStore } from '../features/publish/store.js';
import { createReportsStore, type ReportsStore } from '../features/reports/store.js';
import { createSeriesPointsStore, type SeriesPointsStore } from '../features/results/series-points-store.js';
import { createPrivacyReleasesStore, type PrivacyReleasesStore } from '../features/results/store.js';
import { createSitesStore, type SitesStore } from '../features/sites/store.js';
import { createVisitorsStore, type VisitorsStore } from '../features/visitors/store.js';
import { createWebhooksStore, type WebhooksStore } from '../features/webhooks/store.js';
import type { DbHandle, DialectName } from './db-handle.js';
import { migrateToLatest } from './migrate.js';
import { maintainDailyPartitions, type PartitionRun } from './postgres/daily-partitions.js';

/**
 * Everything the service persists, behind one narrow interface: each feature owns its part, both
 * dialects implement all of it, and `storage.contract.ts` holds them to the same behaviour.
 */
export interface Storage
  extends
    SitesStore,
    DraftsStore,
    SnapshotsStore,
    AuthStore,
    AuditStore,
    VisitorsStore,
    ConsentStore,
    ReportsStore,
    WebhooksStore,
    PrivacyReleasesStore,
    SeriesPointsStore,
    BanditRunsStore,
    PrivacyReportStore {
  readonly dialect: DialectName;
  /** Resolves when the database answers a trivial query; `/readyz` uses it. */
  ping(): Promise<void>;
  migrate(): Promise<string[]>;
  /**
   * PostgreSQL with `CANDOR_PG_PARTITIONS=daily`: converts the daily cells to day partitions and keeps
   * partitions ready ahead of time (see `daily-partitions.ts`). SQLite: nothing to do, undefined.
   */
  maintainDailyPartitions(now: number): Promise<PartitionRun | undefined>;
  /** After an erasure: leaves no copy of deleted rows in the database's files (see `DbHandle.purgeResidue`). */
  purgeResidue(): Promise<void>;
  /** Tells other processes a site has a new snapshot. */
  notifySnapshot(siteId: string): Promise<void>;
  /** Calls back when another process published; returns a function that stops listening. */
  onSnapshot(listener: (siteId: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Builds the storage of a database handle. */
export function createStorage(handle: DbHandle): Storage {
  return {
    ...createSitesStore(handle),
    ...createDraftsStore(handle),
    ...createSnapshotsStore(handle),
    ...createAuthStore(handle),
    ...createAuditStore(handle),
    ...createVisitorsStore(handle),
    ...createConsentStore(handle),
    ...createReportsStore(handle),
    ...createWebhooksStore(handle),
    ...createPrivacyReleasesStore(handle),
    ...createSeriesPointsStore(handle),
    ...createBanditRunsStore(handle),
    ...createPrivacyReportStore(handle),
    dialect: handle.dialect,
    async ping() {
      await sql`select 1`.execute(handle.db);
    },
    migrate: () => migrateToLatest(handle),
    maintainDailyPartitions: async (now) =>
      handle.dialect === 'postgres' ? maintainDailyPartitions(handle.db, now) : undefined,
    purgeResidue: () => handle.purgeResidue(),
    async notifySnapshot(siteId) {
      await handle.notify?.(siteId);
    },
    async onSnapshot(listener) {
      return handle.listen === undefined ? async () => undefined : handle.listen(listener);
    },
    async close() {
      await handle.db.destroy();
    },
  };
}
