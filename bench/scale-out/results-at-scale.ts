// Results at scale on PostgreSQL: 100 experiences × 5 variants × 10 metrics with 90 days of daily
// cells (450,000 daily rows), generated in the database, then every experience's results page read
// through the admin API the dashboard uses, one after another. Not part of `npm test`.
//   npm run -w bench bench:results-at-scale      (PG_URL to change; DAYS, EXPERIENCES)
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openPostgres } from '@candor/server';
import { createTestApp, publishDraft } from '@candor/server/testing';

const PG_URL = process.env['PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const EXPERIENCES = Number(process.env['EXPERIENCES'] ?? 100);
const DAYS = Number(process.env['DAYS'] ?? 90);
const VARIANTS = 5;
const METRICS = 10;
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

const schema = `candor_results_${randomBytes(4).toString('hex')}`;
await admin(`create schema ${schema}`);
const t = await createTestApp({ handle: openPostgres({ connectionString: PG_URL, schema }) });
try {
  const base = `/v1/admin/sites/${t.siteKey}/drafts`;
  const put = async (url: string, payload: object): Promise<void> => {
    const response = await t.app.inject({ method: 'PUT', url, payload, headers: t.as.editor.headers });
    if (response.statusCode !== 200) throw new Error(`PUT ${url}: ${response.statusCode} ${response.body}`);
  };
  const metricIds = Array.from({ length: METRICS }, (_, i) => `m${i}`);
  for (const [i, id] of metricIds.entries())
    await put(
      `${base}/metrics/${id}`,
      i < METRICS / 2
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

  // Daily cells: ~2,000 visitors per variant and day, proportions near 5%, capped revenue near 40.
  const generated = performance.now();
  const siteId = (await t.context.storage.getSiteByKey(t.siteKey))?.id;
  if (siteId === undefined) throw new Error('no site');
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`set search_path = ${schema}`);
  await client.query(
    `insert into aggregates_daily (site_id, experience_id, variant_id, metric_id, day, n, sum, sum_squares,
       covariate_sum, covariate_sum_squares, cross_product)
     select $1, 'exp-' || e, 'v' || v, 'm' || m,
       to_char(date '2026-09-01' + d, 'YYYY-MM-DD'),
       2000, s.sum, case when m < $2 then s.sum else s.sum * 60 end, 0, 0, 0
     from generate_series(0, $3 - 1) e, generate_series(0, $4 - 1) v, generate_series(0, $2 * 2 - 1) m,
          generate_series(0, $5 - 1) d,
          lateral (select case when m < $2 then round(100 + random() * 10) else round(2000 * (40 + random())) end as sum) s`,
    [siteId, METRICS / 2, EXPERIENCES, VARIANTS, DAYS],
  );
  await client.query(
    `insert into aggregates (site_id, experience_id, variant_id, metric_id, n, sum, sum_squares, covariate_sum,
       covariate_sum_squares, cross_product, updated_at)
     select site_id, experience_id, variant_id, metric_id, sum(n), sum(sum), sum(sum_squares), 0, 0, 0, $2
     from aggregates_daily where site_id = $1 group by site_id, experience_id, variant_id, metric_id`,
    [siteId, Date.now()],
  );
  const rows = await client.query<{ count: string }>('select count(*) from aggregates_daily');
  await client.query('analyze');
  await client.end();
  log(
    `generated ${Number(rows.rows[0]?.count).toLocaleString('en')} daily rows (${EXPERIENCES} experiences × ${VARIANTS} variants × ${METRICS} metrics × ${DAYS} days) in ${Math.round(performance.now() - generated)} ms`,
  );

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
  const total = performance.now() - started;
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
  log(
    `results page per experience (${DAYS}-day series): p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${at(1).toFixed(0)} ms; all ${EXPERIENCES} one after another ${(total / 1000).toFixed(1)} s`,
  );
} finally {
  await t.close();
  await admin(`drop schema if exists ${schema} cascade`);
}
