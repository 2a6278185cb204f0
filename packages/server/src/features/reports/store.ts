import { sql } from 'kysely';
import type { AggregatesTable } from '../../storage/database.js';
import type { DbHandle } from '../../storage/db-handle.js';

/** One cell's increment, already validated and clipped. */
export interface CellDelta {
  /** The per-audience bandit segment the visitor was split in, when there was one. */
  readonly segment?: string;
  readonly experienceId: string;
  readonly variantId: string;
  readonly metricId: string;
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
  readonly covariateSum: number;
  readonly covariateSumSquares: number;
  readonly crossProduct: number;
}

/** One cell's running totals. */
export interface CellTotals extends CellDelta {
  readonly updatedAt: number;
}

/** One per-audience bandit cell's running totals (the bandit needs no CUPED sums). */
export interface SegmentCell {
  readonly segment: string;
  readonly variantId: string;
  readonly metricId: string;
  readonly n: number;
  readonly sum: number;
  readonly sumSquares: number;
}

/** One cell's increments received on one UTC day. */
export interface DailyCell extends CellDelta {
  /** YYYY-MM-DD (UTC) of receipt. */
  readonly day: string;
}

/** The UTC day (YYYY-MM-DD) an epoch-ms instant falls on; the daily series is keyed by it. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Storage of aggregate measurement. */
export interface ReportsStore {
  /** Adds every delta and records the batch id in one transaction; a known batch id changes nothing. */
  applyReportBatch(
    siteId: string,
    batchId: string,
    deltas: readonly CellDelta[],
    now: number,
  ): Promise<'applied' | 'duplicate'>;
  listAggregates(siteId: string, experienceId?: string): Promise<CellTotals[]>;
  /** An experience's per-audience bandit cells. */
  listSegmentAggregates(siteId: string, experienceId: string): Promise<SegmentCell[]>;
  /** Per-day increments of one experience's cells, oldest day first (the series cumulates them). */
  listDailyAggregates(siteId: string, experienceId: string): Promise<DailyCell[]>;
  deleteAggregates(siteId: string, experienceIds: readonly string[]): Promise<number>;
  deleteBatchIdsBefore(cutoff: number): Promise<number>;
}

/** Two increments of one cell added together (the first one's ids kept). */
export function addCells(a: CellDelta, b: CellDelta): CellDelta {
  return {
    ...a,
    n: a.n + b.n,
    sum: a.sum + b.sum,
    sumSquares: a.sumSquares + b.sumSquares,
    covariateSum: a.covariateSum + b.covariateSum,
    covariateSumSquares: a.covariateSumSquares + b.covariateSumSquares,
    crossProduct: a.crossProduct + b.crossProduct,
  };
}

/**
 * Sums deltas that address the same cell, keeping first-seen order. `bySegment` keeps segments apart
 * (and drops deltas without one) for the per-audience table; otherwise segments are summed together.
 */
export function mergeCells(deltas: readonly CellDelta[], bySegment = false): CellDelta[] {
  const cells = new Map<string, CellDelta>();
  for (const delta of deltas) {
    if (bySegment && delta.segment === undefined) continue;
    const key = JSON.stringify([bySegment ? delta.segment : '', delta.experienceId, delta.variantId, delta.metricId]);
    const seen = cells.get(key);
    cells.set(key, seen === undefined ? delta : addCells(seen, delta));
  }
  return [...cells.values()];
}

/** A stored cell's sums as numbers (PostgreSQL answers some numeric types as strings). */
function toCell(row: Omit<AggregatesTable, 'updated_at' | 'site_id'>): CellDelta {
  return {
    experienceId: row.experience_id,
    variantId: row.variant_id,
    metricId: row.metric_id,
    n: Number(row.n),
    sum: Number(row.sum),
    sumSquares: Number(row.sum_squares),
    covariateSum: Number(row.covariate_sum),
    covariateSumSquares: Number(row.covariate_sum_squares),
    crossProduct: Number(row.cross_product),
  };
}

/** Aggregates over Kysely. */
export function createReportsStore({ db }: DbHandle): ReportsStore {
  return {
    async applyReportBatch(siteId, batchId, deltas, now) {
      return db.transaction().execute(async (trx) => {
        const claimed = await trx
          .insertInto('report_batches')
          .values({ site_id: siteId, batch_id: batchId, received_at: now })
          .onConflict((conflict) => conflict.columns(['site_id', 'batch_id']).doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return 'duplicate';
        // One statement for the whole batch; deltas for the same cell are merged first, because
        // PostgreSQL refuses to update one row twice within a single INSERT … ON CONFLICT.
        const rows = mergeCells(deltas).map((delta) => ({
          site_id: siteId,
          experience_id: delta.experienceId,
          variant_id: delta.variantId,
          metric_id: delta.metricId,
          n: delta.n,
          sum: delta.sum,
          sum_squares: delta.sumSquares,
          covariate_sum: delta.covariateSum,
          covariate_sum_squares: delta.covariateSumSquares,
          cross_product: delta.crossProduct,
          updated_at: now,
        }));
        if (rows.length > 0) {
          await trx
            .insertInto('aggregates')
            .values(rows)
            .onConflict((conflict) =>
              conflict.columns(['site_id', 'experience_id', 'variant_id', 'metric_id']).doUpdateSet({
                n: sql`aggregates.n + excluded.n`,
                sum: sql`aggregates.sum + excluded.sum`,
                sum_squares: sql`aggregates.sum_squares + excluded.sum_squares`,
                covariate_sum: sql`aggregates.covariate_sum + excluded.covariate_sum`,
                covariate_sum_squares: sql`aggregates.covariate_sum_squares + excluded.covariate_sum_squares`,
                cross_product: sql`aggregates.cross_product + excluded.cross_product`,
                updated_at: now,
              }),
            )
            .execute();
          const segmentRows = mergeCells(deltas, true).map((delta) => ({
            site_id: siteId,
            experience_id: delta.experienceId,
            segment: delta.segment ?? '',
            variant_id: delta.variantId,
            metric_id: delta.metricId,
            n: delta.n,
            sum: delta.sum,
            sum_squares: delta.sumSquares,
            updated_at: now,
          }));
          if (segmentRows.length > 0) {
            await trx
              .insertInto('segment_aggregates')
              .values(segmentRows)
              .onConflict((conflict) =>
                conflict.columns(['site_id', 'experience_id', 'segment', 'variant_id', 'metric_id']).doUpdateSet({
                  n: sql`segment_aggregates.n + excluded.n`,
                  sum: sql`segment_aggregates.sum + excluded.sum`,
                  sum_squares: sql`segment_aggregates.sum_squares + excluded.sum_squares`,
                  updated_at: now,
                }),
              )
              .execute();
          }
          // The same increments by day of receipt, in the same transaction so the series sums to the totals.
          const day = utcDay(now);
          await trx
            .insertInto('aggregates_daily')
            .values(rows.map(({ updated_at: _updatedAt, ...row }) => ({ ...row, day })))
            .onConflict((conflict) =>
              conflict.columns(['site_id', 'experience_id', 'variant_id', 'metric_id', 'day']).doUpdateSet({
                n: sql`aggregates_daily.n + excluded.n`,
                sum: sql`aggregates_daily.sum + excluded.sum`,
                sum_squares: sql`aggregates_daily.sum_squares + excluded.sum_squares`,
                covariate_sum: sql`aggregates_daily.covariate_sum + excluded.covariate_sum`,
                covariate_sum_squares: sql`aggregates_daily.covariate_sum_squares + excluded.covariate_sum_squares`,
                cross_product: sql`aggregates_daily.cross_product + excluded.cross_product`,
              }),
            )
            .execute();
        }
        return 'applied';
      });
    },
    async listAggregates(siteId, experienceId) {
      let query = db.selectFrom('aggregates').selectAll().where('site_id', '=', siteId);
      if (experienceId !== undefined) query = query.where('experience_id', '=', experienceId);
      const rows = await query.orderBy('experience_id').orderBy('variant_id').orderBy('metric_id').execute();
      return rows.map((row) => ({ ...toCell(row), updatedAt: Number(row.updated_at) }));
    },
    async listSegmentAggregates(siteId, experienceId) {
      const rows = await db
        .selectFrom('segment_aggregates')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('experience_id', '=', experienceId)
        .orderBy('segment')
        .orderBy('variant_id')
        .orderBy('metric_id')
        .execute();
      return rows.map((row) => ({
        segment: row.segment,
        variantId: row.variant_id,
        metricId: row.metric_id,
        n: Number(row.n),
        sum: Number(row.sum),
        sumSquares: Number(row.sum_squares),
      }));
    },
    async listDailyAggregates(siteId, experienceId) {
      const rows = await db
        .selectFrom('aggregates_daily')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('experience_id', '=', experienceId)
        .orderBy('day')
        .orderBy('variant_id')
        .orderBy('metric_id')
        .execute();
      return rows.map((row) => ({ ...toCell(row), day: row.day }));
    },
    async deleteAggregates(siteId, experienceIds) {
      if (experienceIds.length === 0) return 0;
      // Series, privacy releases and bandit runs are derived from the cells and go with them.
      for (const table of ['aggregates_daily', 'segment_aggregates', 'privacy_releases', 'bandit_runs'] as const) {
        await db
          .deleteFrom(table)
          .where('site_id', '=', siteId)
          .where('experience_id', 'in', [...experienceIds])
          .execute();
      }
      const result = await db
        .deleteFrom('aggregates')
        .where('site_id', '=', siteId)
        .where('experience_id', 'in', [...experienceIds])
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteBatchIdsBefore(cutoff) {
      return Number(
        (await db.deleteFrom('report_batches').where('received_at', '<', cutoff).executeTakeFirst()).numDeletedRows,
      );
    },
  };
}
