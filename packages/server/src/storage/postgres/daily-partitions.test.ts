import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellDelta } from '../../features/reports/store.js';
import type { SiteRecord } from '../../features/sites/store.js';
import { createStorage, type Storage } from '../storage.js';
import { isDailyPartitioned, maintainDailyPartitions, partitionName } from './daily-partitions.js';
import { openPostgres } from './open-postgres.js';
import { createTestPostgres, testPostgresUrl, type TestPostgres } from './test-database.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');

let counter = 0;
function site(): SiteRecord {
  counter += 1;
  return {
    id: `site_${counter}_${Math.random().toString(36).slice(2)}`,
    siteKey: `key-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    settings: {
      name: 'Example',
      defaultLanguage: 'en',
      policyVersion: '1',
      explainDefaults: true,
      allowedOrigins: ['https://example.com'],
      ledgerRetentionDays: 365,
    },
    signingPublicJwk: '{}',
    signingPrivateSealed: 'sealed',
    createdAt: 1,
  };
}

function delta(experienceId: string, variantId: string, metricId: string, n: number, sum: number): CellDelta {
  return {
    experienceId,
    variantId,
    metricId,
    n,
    sum,
    sumSquares: sum,
    covariateSum: 0,
    covariateSumSquares: 0,
    crossProduct: 0,
  };
}

async function open(): Promise<{ database: TestPostgres; storage: Storage }> {
  const database = await createTestPostgres();
  const storage = createStorage(database.handle);
  await storage.migrate();
  return { database, storage };
}

/** Which partition holds each of a site's daily rows, by day. */
async function partitionsOfRows(database: TestPostgres, siteId: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ day: string; part: string }>`select day, tableoid::regclass::text as part
    from aggregates_daily where site_id = ${siteId}`.execute(database.handle.db);
  return new Map(rows.map((row) => [row.day, row.part.replace(/^.*\./, '')]));
}

describe(`daily partitions of aggregates_daily (${testPostgresUrl() === undefined ? 'PGlite: CANDOR_TEST_PG_URL unset' : 'PostgreSQL server'})`, () => {
  let partitioned: { database: TestPostgres; storage: Storage };
  let plain: { database: TestPostgres; storage: Storage };

  beforeAll(async () => {
    partitioned = await open();
    plain = await open();
  }, 60_000);
  afterAll(async () => {
    await partitioned.database.drop();
    await plain.database.drop();
  });

  it('converts a table with rows: every row kept, each day in its own partition, upserts still add', async () => {
    const a = site();
    await partitioned.storage.createSite(a);
    for (let d = 0; d < 5; d++) {
      await partitioned.storage.applyReportBatch(a.id, `before-${d}`, [delta('e', 'v', 'm', 1, d)], NOW - d * DAY);
    }
    const before = await partitioned.storage.listDailyAggregates(a.id, 'e');
    const run = await partitioned.storage.maintainDailyPartitions(NOW);
    expect(run?.converted).toBe(true);
    expect(await isDailyPartitioned(partitioned.database.handle.db)).toBe(true);
    expect(await partitioned.storage.listDailyAggregates(a.id, 'e')).toEqual(before);
    for (const [day, part] of await partitionsOfRows(partitioned.database, a.id)) {
      expect(part).toBe(partitionName(day));
    }
    // The same cell and day again: ON CONFLICT on the partitioned table adds to the row.
    await partitioned.storage.applyReportBatch(a.id, 'after-0', [delta('e', 'v', 'm', 2, 5)], NOW);
    const today = (await partitioned.storage.listDailyAggregates(a.id, 'e')).find((c) => c.day === '2026-12-06');
    expect(today).toMatchObject({ n: 3, sum: 5 });
  });

  it('is idempotent, and two nodes running it at once take turns (advisory lock)', async () => {
    const second = await maintainDailyPartitions(partitioned.database.handle.db, NOW);
    expect(second).toEqual({ converted: false, created: [], moved: [], dropped: [] });
    if (partitioned.database.url === undefined) return; // PGlite has a single connection
    const nodes = [0, 1].map(() =>
      openPostgres({
        connectionString: partitioned.database.url as string,
        ...(partitioned.database.schema === undefined ? {} : { schema: partitioned.database.schema }),
        max: 2,
      }),
    );
    try {
      const later = NOW + 20 * DAY;
      const runs = await Promise.all(nodes.map((node) => maintainDailyPartitions(node.db, later)));
      // Exactly one node created the new days; the other found them there.
      const created = runs.map((run) => run.created.length).sort((a, b) => a - b);
      expect(created[0]).toBe(0);
      expect(created[1]).toBeGreaterThan(0);
    } finally {
      await Promise.all(nodes.map((node) => node.db.destroy()));
    }
  });

  it('a row beyond the prepared days lands in the default partition and is moved to its own later', async () => {
    const a = site();
    await partitioned.storage.createSite(a);
    const far = NOW + 60 * DAY;
    await partitioned.storage.applyReportBatch(a.id, 'far', [delta('e', 'v', 'm', 1, 1)], far);
    const day = new Date(far).toISOString().slice(0, 10);
    expect((await partitionsOfRows(partitioned.database, a.id)).get(day)).toBe('aggregates_daily_default');
    const run = await partitioned.storage.maintainDailyPartitions(NOW);
    expect(run?.moved).toEqual([day]);
    expect((await partitionsOfRows(partitioned.database, a.id)).get(day)).toBe(partitionName(day));
    expect(await partitioned.storage.listDailyAggregates(a.id, 'e')).toEqual([
      expect.objectContaining({ day, n: 1, sum: 1 }),
    ]);
  });

  it('property: the same reports give the same cells partitioned and unpartitioned; retried batches count once', async () => {
    const report = fc.record({
      dayOffset: fc.integer({ min: -40, max: 12 }),
      experience: fc.constantFrom('e1', 'e2'),
      variant: fc.constantFrom('a', 'b'),
      metric: fc.constantFrom('m1', 'm2'),
      n: fc.integer({ min: 1, max: 5 }),
      sum: fc.integer({ min: 0, max: 50 }),
      retried: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(report, { minLength: 1, maxLength: 25 }), async (reports) => {
        const a = site();
        await partitioned.storage.createSite(a);
        await plain.storage.createSite(a);
        for (const [i, r] of reports.entries()) {
          const cells = [delta(r.experience, r.variant, r.metric, r.n, r.sum)];
          const at = NOW + r.dayOffset * DAY;
          for (const storage of [partitioned.storage, plain.storage]) {
            await storage.applyReportBatch(a.id, `b${i}`, cells, at);
            if (r.retried) expect(await storage.applyReportBatch(a.id, `b${i}`, cells, at)).toBe('duplicate');
          }
        }
        // Days outside the prepared range went to the default partition; maintenance moves them.
        await partitioned.storage.maintainDailyPartitions(NOW);
        for (const experience of ['e1', 'e2']) {
          expect(await partitioned.storage.listDailyAggregates(a.id, experience)).toEqual(
            await plain.storage.listDailyAggregates(a.id, experience),
          );
        }
        const daily = await partitioned.storage.listDailyAggregates(a.id, 'e1');
        const totals = await partitioned.storage.listAggregates(a.id, 'e1');
        for (const cell of totals) {
          const summed = daily
            .filter((d) => d.variantId === cell.variantId && d.metricId === cell.metricId)
            .reduce((n, d) => n + d.n, 0);
          expect(summed).toBe(cell.n);
        }
        for (const [day, part] of await partitionsOfRows(partitioned.database, a.id)) {
          expect(part).toBe(partitionName(day));
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it('drops past partitions retention emptied, never one that still holds a row', async () => {
    const a = site();
    await partitioned.storage.createSite(a);
    const old = NOW - 300 * DAY;
    const kept = NOW - 301 * DAY;
    await partitioned.storage.applyReportBatch(a.id, 'old', [delta('archived', 'v', 'm', 1, 1)], old);
    await partitioned.storage.applyReportBatch(a.id, 'kept', [delta('live', 'v', 'm', 1, 1)], kept);
    await partitioned.storage.maintainDailyPartitions(NOW);
    await partitioned.storage.deleteAggregates(a.id, ['archived']);
    const run = await partitioned.storage.maintainDailyPartitions(NOW);
    const oldDay = new Date(old).toISOString().slice(0, 10);
    const keptDay = new Date(kept).toISOString().slice(0, 10);
    expect(run?.dropped).toContain(oldDay);
    expect(run?.dropped).not.toContain(keptDay);
    expect(await partitioned.storage.listDailyAggregates(a.id, 'live')).toHaveLength(1);
  });
});
