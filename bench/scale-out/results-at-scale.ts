// Results at scale: 100 experiences × 5 variants × 10 metrics with 90 days of daily cells (450,000
// daily rows), generated in the database, on three stores: PostgreSQL with one `aggregates_daily`
// table, PostgreSQL with daily partitions (CANDOR_PG_PARTITIONS=daily, converted after generation,
// as an existing site would be), and SQLite. For each, every experience's results page is read
// through the admin API the dashboard uses, one after another: cold (no stored series points), then
// the rollup job runs once, then warm. Plain timings, no sampling. Not part of `npm test`.
//   npm run -w bench bench:results-at-scale      (PG_URL; DAYS, EXPERIENCES; TARGETS=postgres,partitioned,sqlite)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { openPostgres, openSqlite } from '@candor/server';
import { createTestApp, publishDraft, runSeriesRollups, type TestApp } from '@candor/server/testing';

const PG_URL = process.env['PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const EXPERIENCES = Number(process.env['EXPERIENCES'] ?? 100);
const DAYS = Number(process.env['DAYS'] ?? 90);
const TARGETS = (process.env['TARGETS'] ?? 'postgres,partitioned,sqlite').split(',');
const VARIANTS = 5;
const METRICS = 10;
const HALF = METRICS / 2;
const FIRST_DAY = '2026-09-01';
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function publishExperiences(t: TestApp): Promise<void> {
  const base = `/v1/admin/sites/${t.siteKey}/drafts`;
  const put = async (url: string, payload: object): Promise<void> => {
    const response = await t.app.inject({ method: 'PUT', url, payload, headers: t.as.editor.headers });
    if (response.statusCode !== 200) throw new Error(`PUT ${url}: ${response.statusCode} ${response.body}`);
  };
  const metricIds = Array.from({ length: METRICS }, (_, i) => `m${i}`);
  for (const [i, id] of metricIds.entries())
    await put(
      `${base}/metrics/${id}`,
      i < HALF
        ? { id, name: `Conversion ${i}`, kind: 'proportion' }
        : { id, name: `Revenue ${i}`, kind: 'mean', cap: 500 },
    );
  for (let e = 0; e < EXPERIENCES; e++) {
    const id = `exp-${e}`;
    await put(`${base}/experiences/${id}`, {
      id,
      name: `Experiment ${e}`,
      kind: 'experiment',
      audiences: [],
      variants: Array.from({ length: VARIANTS }, (_, v) => ({
        id: `v${v}`,
        name: `Variant ${v}`,
        content: { hero: { type: 'text', text: { en: `Headline ${v}`, 'zh-Hant': `標題 ${v}` } } },
      })),
      holdout: 0,
      coverage: 1,
      allocation: 'fixed',
      hashVersion: 2,
      seed: id,
      goals: metricIds.slice(0, 3),
      guardrails: metricIds.slice(3),
    });
  }
  await publishDraft(t);
}

// Daily cells: 2,000 visitors per variant and day, proportions near 5%, capped revenue near 40.
async function generatePostgres(db: Kysely<unknown>, siteId: string): Promise<void> {
  await sql`insert into aggregates_daily (site_id, experience_id, variant_id, metric_id, day, n, sum, sum_squares,
       covariate_sum, covariate_sum_squares, cross_product)
     select ${siteId}, 'exp-' || e, 'v' || v, 'm' || m, to_char(date ${sql.lit(FIRST_DAY)} + d, 'YYYY-MM-DD'),
       2000, s.sum, case when m < ${HALF} then s.sum else s.sum * 60 end, 0, 0, 0
     from generate_series(0, ${EXPERIENCES - 1}) e, generate_series(0, ${VARIANTS - 1}) v,
          generate_series(0, ${METRICS - 1}) m, generate_series(0, ${DAYS - 1}) d,
          lateral (select case when m < ${HALF} then round(100 + random() * 10)
                   else round(2000 * (40 + random())) end as sum) s`.execute(db);
}

async function generateSqlite(db: Kysely<unknown>, siteId: string): Promise<void> {
  const upTo = (name: string, last: number) =>
    sql`${sql.raw(name)}(x) as (select 0 union all select x + 1 from ${sql.raw(name)} where x < ${last})`;
  await sql`with recursive ${upTo('e', EXPERIENCES - 1)}, ${upTo('v', VARIANTS - 1)}, ${upTo('m', METRICS - 1)},
       ${upTo('d', DAYS - 1)}
     insert into aggregates_daily (site_id, experience_id, variant_id, metric_id, day, n, sum, sum_squares,
       covariate_sum, covariate_sum_squares, cross_product)
     select ${siteId}, 'exp-' || ex, 'v' || vx, 'm' || mx, strftime('%Y-%m-%d', ${FIRST_DAY}, '+' || dx || ' days'),
       2000, s, case when mx < ${HALF} then s else s * 60 end, 0, 0, 0
     from (select e.x as ex, v.x as vx, m.x as mx, d.x as dx,
             case when m.x < ${HALF} then 100 + abs(random()) % 11 else 80000 + abs(random()) % 2001 end as s
           from e, v, m, d)`.execute(db);
}

interface Timings {
  readonly times: number[];
  readonly total: number;
}

async function readEveryPage(t: TestApp): Promise<Timings> {
  const times: number[] = [];
  const started = performance.now();
  for (let e = 0; e < EXPERIENCES; e++) {
    const before = performance.now();
    const response = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/experiences/exp-${e}/results`,
      headers: t.as.viewer.headers,
    });
    times.push(performance.now() - before);
    if (response.statusCode !== 200) throw new Error(`results exp-${e}: ${response.statusCode} ${response.body}`);
  }
  return { times, total: performance.now() - started };
}

function summary({ times, total }: Timings): { p50: number; p95: number; max: number; total: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
  return { p50: at(0.5), p95: at(0.95), max: at(1), total };
}

const ms = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`);
const rows: string[] = [];

async function measure(target: string): Promise<void> {
  let dispose: () => Promise<void>;
  let handle: ReturnType<typeof openSqlite>;
  if (target === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'candor-results-'));
    handle = openSqlite(join(dir, 'candor.db'));
    dispose = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `candor_results_${randomBytes(4).toString('hex')}`;
    await admin(`create schema ${schema}`);
    handle = openPostgres({ connectionString: PG_URL, schema });
    dispose = () => admin(`drop schema if exists ${schema} cascade`);
  }
  const t = await createTestApp({ handle });
  const { db } = handle;
  try {
    await publishExperiences(t);
    const siteId = (await t.context.storage.getSiteByKey(t.siteKey))?.id;
    if (siteId === undefined) throw new Error('no site');
    let started = performance.now();
    if (target === 'sqlite') await generateSqlite(db, siteId);
    else await generatePostgres(db, siteId);
    await sql`insert into aggregates (site_id, experience_id, variant_id, metric_id, n, sum, sum_squares,
         covariate_sum, covariate_sum_squares, cross_product, updated_at)
       select site_id, experience_id, variant_id, metric_id, sum(n), sum(sum), sum(sum_squares), 0, 0, 0, ${Date.now()}
       from aggregates_daily where site_id = ${siteId} group by site_id, experience_id, variant_id, metric_id`.execute(
      db,
    );
    const count = await sql<{ count: number }>`select count(*) as count from aggregates_daily`.execute(db);
    log(
      `[${target}] generated ${Number(count.rows[0]?.count).toLocaleString('en')} daily rows in ${ms(performance.now() - started)}`,
    );
    if (target === 'partitioned') {
      started = performance.now();
      const run = await t.context.storage.maintainDailyPartitions(Date.now());
      log(`[${target}] converted to ${run?.created.length ?? 0} day partitions in ${ms(performance.now() - started)}`);
    }
    await sql`analyze`.execute(db);

    const cold = summary(await readEveryPage(t));
    // The cold pass stored its points; forget them so the rollup job does the work a new day brings.
    await db.deleteFrom('series_points').execute();
    started = performance.now();
    const rollup = await runSeriesRollups(t.context);
    const rollupMs = performance.now() - started;
    const warm = summary(await readEveryPage(t));
    for (const [pass, s] of [
      ['cold', cold],
      ['warm', warm],
    ] as const) {
      const line = `| ${target} | ${pass} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} | ${s.max < 1000 ? 'yes' : 'no'} |`;
      rows.push(line);
      log(
        `[${target}] ${pass}: p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)}; all ${EXPERIENCES} ${ms(s.total)}`,
      );
    }
    log(`[${target}] rollup job: ${rollup.warmed} experiences warmed in ${ms(rollupMs)}`);
  } finally {
    await t.close();
    await dispose();
  }
}

for (const target of TARGETS) await measure(target);
log(`\n${EXPERIENCES} experiences × ${DAYS} days, results page per experience:\n`);
log('| store | pass | p50 | p95 | max | max < 1 s |');
log('| ----- | ---- | --- | --- | --- | --------- |');
for (const row of rows) log(row);
