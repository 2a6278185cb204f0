import { sql, type Transaction } from 'kysely';
import type { TrustEventName } from '@candor/schema';
import type { AggregatesTable, Database, VisitorContributionsTable } from '../../storage/database.js';
import type { DbHandle } from '../../storage/db-handle.js';
import type { Contribution, ContributionPlan } from './contribution.js';

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

/**
 * Where cells come from: real visitors (and trusted sources), or the demo's generated figures. They
 * never share a table, so a results page is either real or demo, never a mix.
 */
export type CellSource = 'real' | 'demo';

const TOTALS = { real: 'aggregates', demo: 'demo_aggregates' } as const;
const DAILY = { real: 'aggregates_daily', demo: 'demo_aggregates_daily' } as const;

/** Storage of aggregate measurement. */
export interface ReportsStore {
  /** Adds every delta and records the batch id in one transaction; a known batch id changes nothing. */
  applyReportBatch(
    siteId: string,
    batchId: string,
    deltas: readonly CellDelta[],
    now: number,
    source?: CellSource,
  ): Promise<'applied' | 'duplicate'>;
  /** Real visitors' cells by default; `'demo'` reads the demo's generated ones. */
  listAggregates(siteId: string, experienceId?: string, source?: CellSource): Promise<CellTotals[]>;
  /** An experience's per-audience bandit cells. */
  listSegmentAggregates(siteId: string, experienceId: string): Promise<SegmentCell[]>;
  /** Per-day increments of one experience's cells, oldest day first (the series cumulates them). */
  listDailyAggregates(siteId: string, experienceId: string, source?: CellSource): Promise<DailyCell[]>;
  deleteAggregates(siteId: string, experienceIds: readonly string[]): Promise<number>;
  deleteBatchIdsBefore(cutoff: number): Promise<number>;
  /**
   * Applies one visitor's report in one transaction that holds that visitor's contribution rows:
   * `plan` sees what the visitor already contributed and returns the increments; a known batch id
   * changes nothing.
   */
  applyVisitorReport(
    siteId: string,
    batchId: string,
    visitorId: string,
    now: number,
    plan: (known: readonly Contribution[]) => ContributionPlan,
  ): Promise<{ status: 'applied'; plan: ContributionPlan } | { status: 'duplicate' }>;
  /** Counts a report that could not be attributed to a consented visitor (never added to a cell). */
  countUnattributed(siteId: string, now: number, events: number): Promise<void>;
  /** Unattributable reports per UTC day, oldest first. */
  listUnattributed(siteId: string): Promise<UnattributedDay[]>;
  /** Retention: contribution rows untouched since `cutoff`. */
  deleteContributionsBefore(cutoff: number): Promise<number>;
}

/** Reports of one UTC day that no consented visitor could be found for. */
export interface UnattributedDay {
  readonly day: string;
  readonly reports: number;
  readonly events: number;
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

/** Adds increments to the totals, the per-audience cells and the daily series, inside a transaction. */
async function writeCells(
  trx: Transaction<Database>,
  siteId: string,
  deltas: readonly CellDelta[],
  now: number,
  source: CellSource = 'real',
): Promise<void> {
  const totals = TOTALS[source];
  const daily = DAILY[source];
  const add = (table: string, column: string) =>
    sql<number>`${sql.ref(`${table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`;
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
      .insertInto(totals)
      .values(rows)
      .onConflict((conflict) =>
        conflict.columns(['site_id', 'experience_id', 'variant_id', 'metric_id']).doUpdateSet({
          n: add(totals, 'n'),
          sum: add(totals, 'sum'),
          sum_squares: add(totals, 'sum_squares'),
          covariate_sum: add(totals, 'covariate_sum'),
          covariate_sum_squares: add(totals, 'covariate_sum_squares'),
          cross_product: add(totals, 'cross_product'),
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
    // Per-audience cells feed the bandit, which learns from real visitors only.
    if (segmentRows.length > 0 && source === 'real') {
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
      .insertInto(daily)
      .values(rows.map(({ updated_at: _updatedAt, ...row }) => ({ ...row, day })))
      .onConflict((conflict) =>
        conflict.columns(['site_id', 'experience_id', 'variant_id', 'metric_id', 'day']).doUpdateSet({
          n: add(daily, 'n'),
          sum: add(daily, 'sum'),
          sum_squares: add(daily, 'sum_squares'),
          covariate_sum: add(daily, 'covariate_sum'),
          covariate_sum_squares: add(daily, 'covariate_sum_squares'),
          cross_product: add(daily, 'cross_product'),
        }),
      )
      .execute();
  }
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toContribution(row: VisitorContributionsTable): Contribution {
  return {
    experienceId: row.experience_id,
    variantId: row.variant_id,
    ...(row.segment === '' ? {} : { segment: row.segment }),
    values: parseJson<Record<string, number>>(row.metric_values, {}),
    trust: parseJson<TrustEventName[]>(row.trust_events, []),
    active: Number(row.active) === 1,
  };
}

/** Aggregates over Kysely. */
export function createReportsStore({ db, dialect }: DbHandle): ReportsStore {
  return {
    async applyReportBatch(siteId, batchId, deltas, now, source = 'real') {
      return db.transaction().execute(async (trx) => {
        const claimed = await trx
          .insertInto('report_batches')
          .values({ site_id: siteId, batch_id: batchId, received_at: now })
          .onConflict((conflict) => conflict.columns(['site_id', 'batch_id']).doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return 'duplicate';
        await writeCells(trx, siteId, deltas, now, source);
        return 'applied';
      });
    },
    async listAggregates(siteId, experienceId, source = 'real') {
      let query = db.selectFrom(TOTALS[source]).selectAll().where('site_id', '=', siteId);
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
    async listDailyAggregates(siteId, experienceId, source = 'real') {
      const rows = await db
        .selectFrom(DAILY[source])
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
      for (const table of [
        'aggregates_daily',
        'segment_aggregates',
        'privacy_releases',
        'bandit_runs',
        'series_points',
        'visitor_contributions',
        'demo_aggregates',
        'demo_aggregates_daily',
      ] as const) {
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
    async applyVisitorReport(siteId, batchId, visitorId, now, plan) {
      return db.transaction().execute(async (trx) => {
        const claimed = await trx
          .insertInto('report_batches')
          .values({ site_id: siteId, batch_id: batchId, received_at: now })
          .onConflict((conflict) => conflict.columns(['site_id', 'batch_id']).doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return { status: 'duplicate' as const };
        // Two reports of one visitor must not both see "not yet exposed": PostgreSQL locks the visitor
        // row for the transaction; SQLite runs one write transaction at a time anyway.
        if (dialect === 'postgres')
          await trx.selectFrom('visitors').select('id').where('id', '=', visitorId).forUpdate().execute();
        const rows = await trx
          .selectFrom('visitor_contributions')
          .selectAll()
          .where('site_id', '=', siteId)
          .where('visitor_id', '=', visitorId)
          .execute();
        const created = new Map(rows.map((row) => [row.experience_id, Number(row.created_at)]));
        const result = plan(rows.map(toContribution));
        for (const contribution of result.changed) {
          const row = {
            site_id: siteId,
            visitor_id: visitorId,
            experience_id: contribution.experienceId,
            variant_id: contribution.variantId,
            segment: contribution.segment ?? '',
            metric_values: JSON.stringify(contribution.values),
            trust_events: JSON.stringify(contribution.trust),
            active: contribution.active ? 1 : 0,
            created_at: created.get(contribution.experienceId) ?? now,
            updated_at: now,
          };
          await trx
            .insertInto('visitor_contributions')
            .values(row)
            .onConflict((conflict) =>
              conflict.columns(['site_id', 'visitor_id', 'experience_id']).doUpdateSet({
                metric_values: row.metric_values,
                trust_events: row.trust_events,
                active: row.active,
                updated_at: now,
              }),
            )
            .execute();
        }
        await writeCells(trx, siteId, result.cells, now);
        return { status: 'applied' as const, plan: result };
      });
    },
    async countUnattributed(siteId, now, events) {
      await db
        .insertInto('unattributed_reports')
        .values({ site_id: siteId, day: utcDay(now), reports: 1, events })
        .onConflict((conflict) =>
          conflict.columns(['site_id', 'day']).doUpdateSet({
            reports: sql`unattributed_reports.reports + 1`,
            events: sql`unattributed_reports.events + excluded.events`,
          }),
        )
        .execute();
    },
    async listUnattributed(siteId) {
      const rows = await db
        .selectFrom('unattributed_reports')
        .selectAll()
        .where('site_id', '=', siteId)
        .orderBy('day')
        .execute();
      return rows.map((row) => ({ day: row.day, reports: Number(row.reports), events: Number(row.events) }));
    },
    async deleteContributionsBefore(cutoff) {
      const result = await db.deleteFrom('visitor_contributions').where('updated_at', '<', cutoff).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteBatchIdsBefore(cutoff) {
      return Number(
        (await db.deleteFrom('report_batches').where('received_at', '<', cutoff).executeTakeFirst()).numDeletedRows,
      );
    },
  };
}
