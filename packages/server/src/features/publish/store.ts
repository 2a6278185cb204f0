import type { DbHandle } from '../../storage/db-handle.js';

/** A stored snapshot: the exact bytes served and their signature. */
export interface SnapshotRecord {
  readonly siteId: string;
  readonly version: number;
  readonly body: string;
  readonly signature: string;
  readonly keyId: string;
  readonly lintSummary: string;
  readonly publishedAt: number;
  readonly publishedBy: string;
  /** When an owner withdrew the public copy; the public route then answers 410 Gone. */
  readonly withdrawnAt?: number;
}

/** A published version as the history lists it. */
export interface SnapshotVersion {
  readonly version: number;
  readonly publishedAt: number;
  readonly publishedBy: string;
  readonly withdrawnAt?: number;
}

/** Storage of immutable snapshots. */
export interface SnapshotsStore {
  /** Inserts vN; resolves false when that version already exists (a concurrent publish won). */
  insertSnapshot(snapshot: SnapshotRecord): Promise<boolean>;
  latestSnapshot(siteId: string): Promise<SnapshotRecord | undefined>;
  getSnapshot(siteId: string, version: number): Promise<SnapshotRecord | undefined>;
  listSnapshotVersions(siteId: string): Promise<SnapshotVersion[]>;
  /** Marks a version's public copy withdrawn; resolves false when it was already withdrawn or does not exist. */
  withdrawSnapshot(siteId: string, version: number, at: number, by: string): Promise<boolean>;
}

interface SnapshotRow {
  site_id: string;
  version: number;
  body: string;
  signature: string;
  key_id: string;
  lint_summary: string;
  published_at: number;
  published_by: string;
  withdrawn_at: number | null;
}

function toSnapshot(row: SnapshotRow): SnapshotRecord {
  return {
    siteId: row.site_id,
    version: Number(row.version),
    body: row.body,
    signature: row.signature,
    keyId: row.key_id,
    lintSummary: row.lint_summary,
    publishedAt: Number(row.published_at),
    publishedBy: row.published_by,
    ...(row.withdrawn_at === null ? {} : { withdrawnAt: Number(row.withdrawn_at) }),
  };
}

/** Snapshots over Kysely. */
export function createSnapshotsStore({ db }: DbHandle): SnapshotsStore {
  return {
    async insertSnapshot(snapshot) {
      const result = await db
        .insertInto('snapshots')
        .values({
          site_id: snapshot.siteId,
          version: snapshot.version,
          body: snapshot.body,
          signature: snapshot.signature,
          key_id: snapshot.keyId,
          lint_summary: snapshot.lintSummary,
          published_at: snapshot.publishedAt,
          published_by: snapshot.publishedBy,
          withdrawn_at: null,
          withdrawn_by: null,
        })
        .onConflict((conflict) => conflict.columns(['site_id', 'version']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async latestSnapshot(siteId) {
      const row = await db
        .selectFrom('snapshots')
        .selectAll()
        .where('site_id', '=', siteId)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? undefined : toSnapshot(row);
    },
    async getSnapshot(siteId, version) {
      const row = await db
        .selectFrom('snapshots')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('version', '=', version)
        .executeTakeFirst();
      return row === undefined ? undefined : toSnapshot(row);
    },
    async listSnapshotVersions(siteId) {
      const rows = await db
        .selectFrom('snapshots')
        .select(['version', 'published_at', 'published_by', 'withdrawn_at'])
        .where('site_id', '=', siteId)
        .orderBy('version', 'desc')
        .execute();
      return rows.map((row) => ({
        version: Number(row.version),
        publishedAt: Number(row.published_at),
        publishedBy: row.published_by,
        ...(row.withdrawn_at === null ? {} : { withdrawnAt: Number(row.withdrawn_at) }),
      }));
    },
    async withdrawSnapshot(siteId, version, at, by) {
      const result = await db
        .updateTable('snapshots')
        .set({ withdrawn_at: at, withdrawn_by: by })
        .where('site_id', '=', siteId)
        .where('version', '=', version)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
