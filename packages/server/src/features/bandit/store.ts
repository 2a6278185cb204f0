import type { DbHandle } from '../../storage/db-handle.js';

/** The last bandit run of an experience. */
export interface BanditRun {
  readonly experienceId: string;
  readonly ranAt: number;
  /** What the run did, as JSON-able data (weights, reason). */
  readonly outcome: unknown;
}

/** Storage of bandit runs, so every process keeps the same cadence. */
export interface BanditRunsStore {
  getBanditRun(siteId: string, experienceId: string): Promise<BanditRun | undefined>;
  /**
   * Claims the run due after `previousRanAt` (undefined: the first run); false when another process
   * claimed it first, so two nodes never re-weight the same experience twice in one cadence.
   */
  claimBanditRun(siteId: string, run: BanditRun, previousRanAt: number | undefined): Promise<boolean>;
  /** Replaces the outcome of the run made at `ranAt` (a proposal approved or dismissed); false when another run replaced it. */
  setBanditRunOutcome(siteId: string, experienceId: string, ranAt: number, outcome: unknown): Promise<boolean>;
}

/** Bandit runs over Kysely. */
export function createBanditRunsStore({ db }: DbHandle): BanditRunsStore {
  return {
    async getBanditRun(siteId, experienceId) {
      const row = await db
        .selectFrom('bandit_runs')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('experience_id', '=', experienceId)
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : { experienceId: row.experience_id, ranAt: Number(row.ran_at), outcome: JSON.parse(row.outcome) as unknown };
    },
    async claimBanditRun(siteId, run, previousRanAt) {
      const outcome = JSON.stringify(run.outcome);
      if (previousRanAt === undefined) {
        const inserted = await db
          .insertInto('bandit_runs')
          .values({ site_id: siteId, experience_id: run.experienceId, ran_at: run.ranAt, outcome })
          .onConflict((conflict) => conflict.columns(['site_id', 'experience_id']).doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
      }
      const updated = await db
        .updateTable('bandit_runs')
        .set({ ran_at: run.ranAt, outcome })
        .where('site_id', '=', siteId)
        .where('experience_id', '=', run.experienceId)
        .where('ran_at', '=', previousRanAt)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) > 0;
    },
    async setBanditRunOutcome(siteId, experienceId, ranAt, outcome) {
      const updated = await db
        .updateTable('bandit_runs')
        .set({ outcome: JSON.stringify(outcome) })
        .where('site_id', '=', siteId)
        .where('experience_id', '=', experienceId)
        .where('ran_at', '=', ranAt)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) > 0;
    },
  };
}
