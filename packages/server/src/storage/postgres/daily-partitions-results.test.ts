import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { isDailyPartitioned } from './daily-partitions.js';
import { createTestPostgres, testPostgresUrl, type TestPostgres } from './test-database.js';

// The results page itself, not only the cells: the same reports, received on the same days, give
// the same answer whether the daily cells sit in one table or in day partitions.

const DAY = 86_400_000;
const START = Date.parse('2026-11-01T10:00:00Z');

interface Run {
  readonly t: TestApp;
  readonly database: TestPostgres;
  readonly clock: { now: number };
}

async function open(partitioned: boolean): Promise<Run> {
  const database = await createTestPostgres();
  const clock = { now: START };
  // Sessions outlive the weeks the clock is moved through.
  const config = { ...loadConfig({ LOG_LEVEL: 'warn', CANDOR_SCRYPT_LOG_N: '14' }), sessionTtlMs: 365 * DAY };
  const t = await createTestApp({ handle: database.handle, clock: () => clock.now, config });
  if (partitioned) await t.storage.maintainDailyPartitions(clock.now);
  await seedAndPublish(t);
  return { t, database, clock };
}

async function resultsOf({ t }: Run): Promise<unknown> {
  const response = await t.app.inject({
    url: `/v1/admin/sites/${t.siteKey}/experiences/hero-dev/results?metric=signup`,
    headers: t.as.viewer.headers,
  });
  expect(response.statusCode).toBe(200);
  const { computedAt: _computedAt, ...body } = response.json() as Record<string, unknown>;
  return body;
}

describe(`results over daily partitions (${testPostgresUrl() === undefined ? 'PGlite: CANDOR_TEST_PG_URL unset' : 'PostgreSQL server'})`, () => {
  it('property: a results page over partitioned cells equals the one over one table', async () => {
    const report = fc.record({
      day: fc.integer({ min: 0, max: 20 }),
      holdout: fc.record({ n: fc.integer({ min: 1, max: 40 }), conversions: fc.nat({ max: 1 }) }),
      dev: fc.record({ n: fc.integer({ min: 1, max: 300 }), rate: fc.double({ min: 0, max: 0.5, noNaN: true }) }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(report, { minLength: 1, maxLength: 8 }), async (reports) => {
        const runs = [await open(true), await open(false)] as const;
        try {
          const sorted = [...reports].sort((a, b) => a.day - b.day);
          for (const run of runs) {
            for (const [i, r] of sorted.entries()) {
              run.clock.now = START + r.day * DAY;
              const conversions = Math.floor(r.dev.n * r.dev.rate);
              const payload = {
                batchId: `batch-0000${i}`,
                deltas: [
                  {
                    experience: 'hero-dev',
                    variant: '$holdout',
                    metric: 'signup',
                    n: r.holdout.n,
                    sum: r.holdout.conversions,
                    sumSquares: r.holdout.conversions,
                  },
                  {
                    experience: 'hero-dev',
                    variant: 'dev',
                    metric: 'signup',
                    n: r.dev.n,
                    sum: conversions,
                    sumSquares: conversions,
                  },
                ],
                trust: [],
              };
              const sent = await run.t.app.inject({
                method: 'POST',
                url: `/v1/admin/sites/${run.t.siteKey}/aggregates`,
                headers: run.t.as.editor.headers,
                payload,
              });
              expect(sent.statusCode, sent.body).toBeLessThan(300);
            }
            run.clock.now = START + 25 * DAY;
          }
          // Days past the first week fell into the default partition until maintenance moved them.
          expect(await resultsOf(runs[0])).toEqual(await resultsOf(runs[1]));
          await runs[0].t.storage.maintainDailyPartitions(runs[0].clock.now);
          expect(await resultsOf(runs[0])).toEqual(await resultsOf(runs[1]));
          // And the cells really are spread over one partition per day of receipt.
          const { db } = runs[0].database.handle;
          expect(await isDailyPartitioned(db)).toBe(true);
          const { rows } = await sql<{ days: number; parts: number }>`select count(distinct day)::int as days,
            count(distinct tableoid)::int as parts from aggregates_daily`.execute(db);
          expect(rows[0]).toEqual({ days: new Set(reports.map((r) => r.day)).size, parts: rows[0]?.days });
        } finally {
          for (const run of runs) {
            await run.t.close();
            await run.database.drop();
          }
        }
      }),
      { numRuns: 4 },
    );
  }, 240_000);
});
