import type { DbHandle } from '../../storage/db-handle.js';
import type { CellDelta } from '../reports/store.js';

/** One differentially private release: the noisy cells shown until the next release, and the ε it spent. */
export interface PrivacyRelease {
  readonly experienceId: string;
  /** 1, 2, …: the n-th release of this experience. */
  readonly seq: number;
  readonly releasedAt: number;
  readonly epsilon: number;
  readonly cells: readonly CellDelta[];
}

/** Storage of privacy releases; the ε spent on an experience is the sum over its releases. */
export interface PrivacyReleasesStore {
  /** Releases oldest first. */
  listPrivacyReleases(siteId: string, experienceId: string): Promise<PrivacyRelease[]>;
  /**
   * Records a release under its sequence number; false when another process took that number first,
   * so two nodes answering at once cannot both spend the same release's ε.
   */
  insertPrivacyRelease(siteId: string, release: PrivacyRelease): Promise<boolean>;
}

/** Privacy releases over Kysely. */
export function createPrivacyReleasesStore({ db }: DbHandle): PrivacyReleasesStore {
  return {
    async listPrivacyReleases(siteId, experienceId) {
      const rows = await db
        .selectFrom('privacy_releases')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('experience_id', '=', experienceId)
        .orderBy('seq')
        .execute();
      return rows.map((row) => ({
        experienceId: row.experience_id,
        seq: Number(row.seq),
        releasedAt: Number(row.released_at),
        epsilon: Number(row.epsilon),
        cells: JSON.parse(row.cells) as CellDelta[],
      }));
    },
    async insertPrivacyRelease(siteId, release) {
      const result = await db
        .insertInto('privacy_releases')
        .values({
          site_id: siteId,
          experience_id: release.experienceId,
          seq: release.seq,
          released_at: release.releasedAt,
          epsilon: release.epsilon,
          cells: JSON.stringify(release.cells),
        })
        .onConflict((conflict) => conflict.columns(['site_id', 'experience_id', 'seq']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
  };
}
