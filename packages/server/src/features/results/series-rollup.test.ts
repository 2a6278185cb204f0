// A results page reuses the stored analysis of each closed day whose inputs are unchanged, and
// never a stored point computed from other inputs: a daily series costs only what is new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../storage/sqlite/open-sqlite.js';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { runSeriesRollups } from './series-rollup-job.js';

const DAY = 86_400_000;
// Reports arrive at 20:00 on three days; the app is used on the third, so today is 2026-11-03.
const START = Date.UTC(2026, 10, 1, 20);

describe('results series rollups', () => {
  const handle = openSqlite(':memory:');
  let now = START + 2 * DAY;
  let t: TestApp;
  const results = async (query = '') => {
    const response = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/experiences/hero-dev/results?metric=signup${query}`,
      headers: t.as.viewer.headers,
    });
    expect(response.statusCode).toBe(200);
    return response.json() as { series: { at: number; variantId: string; lift: number }[] };
  };
  const stored = () => handle.db.selectFrom('series_points').selectAll().execute();

  beforeAll(async () => {
    t = await createTestApp({ handle, clock: () => now });
    await seedAndPublish(t);
    const siteId = (await t.storage.getSiteByKey(t.siteKey))!.id;
    const cell = (variantId: string, n: number, sum: number) => ({
      experienceId: 'hero-dev',
      variantId,
      metricId: 'signup',
      n,
      sum,
      sumSquares: sum,
      covariateSum: 0,
      covariateSumSquares: 0,
      crossProduct: 0,
    });
    // Three days of reports, one batch a day: days 1 and 2 are closed, day 3 is today.
    for (const day of [0, 1, 2]) {
      const batch = [cell('$holdout', 400, 40 + day), cell('dev', 3600, 500 + 20 * day)];
      expect(await t.storage.applyReportBatch(siteId, `rollup-day-${day}`, batch, START + day * DAY)).not.toBe(
        'duplicate',
      );
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores the closed days only, and a second read shows exactly what the first computed', async () => {
    const first = await results();
    expect(new Set(first.series.map((point) => point.at)).size).toBe(3);
    // Two closed days, each stored once (today's cells still grow, so today is never stored).
    expect((await stored()).length).toBe(2);
    const second = await results();
    expect(second.series).toEqual(first.series);
    expect((await stored()).length).toBe(2);
  });

  it('reads a stored point under the same inputs, and never under other inputs', async () => {
    const honest = await results();
    // Mark every stored point: a page that shows the mark read it from the store.
    const rows = await stored();
    for (const row of rows) {
      const points = (JSON.parse(row.points) as { lift: number | null }[]).map((point) => ({ ...point, lift: 42 }));
      await handle.db
        .updateTable('series_points')
        .set({ points: JSON.stringify(points) })
        .where('input_key', '=', row.input_key)
        .execute();
    }
    const reused = await results();
    const marked = reused.series.filter((point) => point.lift === 42);
    expect(marked.length).toBe(2);
    expect(new Set(marked.map((point) => point.at)).size).toBe(2);
    // Another engine is other inputs: nothing marked is shown, and its own closed days are stored apart.
    const other = await results('&engine=bayesian');
    expect(other.series.some((point) => point.lift === 42)).toBe(false);
    expect((await stored()).length).toBe(4);
    expect(honest.series.some((point) => point.lift === 42)).toBe(false);
  });

  it('a new day closes: the day that was today is stored, the older days are read, not recomputed', async () => {
    now = Date.UTC(2026, 10, 4, 0, 30);
    const before = (await stored()).length;
    const page = await results();
    // Days 1 and 2 still carry the mark; day 3 is now closed and freshly stored.
    expect(page.series.filter((point) => point.lift === 42).length).toBe(2);
    expect((await stored()).length).toBe(before + 1);
  });

  it('goes with the experience when its results are deleted', async () => {
    await t.storage.deleteAggregates((await t.storage.getSiteByKey(t.siteKey))!.id, ['hero-dev']);
    expect(await stored()).toEqual([]);
  });
});

describe('the results rollup job', () => {
  it("stores each live experience's closed days before anyone opens its page", async () => {
    const handle = openSqlite(':memory:');
    const now = Date.UTC(2026, 10, 3, 20);
    const t = await createTestApp({ handle, clock: () => now });
    try {
      await seedAndPublish(t);
      const siteId = (await t.storage.getSiteByKey(t.siteKey))!.id;
      for (const day of [2, 1]) {
        const cells = ['$holdout', 'dev'].map((variantId) => ({
          experienceId: 'hero-dev',
          variantId,
          metricId: 'signup',
          n: 500,
          sum: 60,
          sumSquares: 60,
          covariateSum: 0,
          covariateSumSquares: 0,
          crossProduct: 0,
        }));
        await t.storage.applyReportBatch(siteId, `job-day-${day}`, cells, now - day * DAY);
      }
      expect(await handle.db.selectFrom('series_points').selectAll().execute()).toEqual([]);
      const run = await runSeriesRollups(t.context);
      expect(run.warmed).toBeGreaterThan(0);
      // Two closed days of hero-dev's first goal; experiences without reports have no days.
      const rows = await handle.db
        .selectFrom('series_points')
        .selectAll()
        .where('experience_id', '=', 'hero-dev')
        .execute();
      expect(rows.length).toBe(2);
    } finally {
      await t.close();
    }
  });
});
