// Soak and step load on 127.0.0.1 (issue 7, "Load and soak"). Not part of `npm test`.
//   npm run bench:soak -w @candor/bench                 5-minute soak, then the step load (SQLite)
//   SOAK_SECONDS=60 STEP_SECONDS=5 npm run bench:soak -w @candor/bench
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dsoak CANDOR_SECRET=x …
// The soak paces a steady mix (60 % snapshot GETs, 20 % consent events, 20 % report batches), then
// checks: zero errors, p50/p99, the server's RSS every 5 s (bound: growth after warm-up ≤ RSS_BOUND_MB),
// and aggregates in the database equal to the acknowledged batches. The step load then raises the
// offered rate (autocannon, same mix of snapshot GETs and reports) until p99 passes 100 ms.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const soakSeconds = Number(process.env['SOAK_SECONDS'] ?? 300);
const rate = Number(process.env['SOAK_RATE'] ?? 200);
const stepSeconds = Number(process.env['STEP_SECONDS'] ?? 10);
const rssBoundMb = Number(process.env['RSS_BOUND_MB'] ?? 40);
const steps = (process.env['STEP_RATES'] ?? '250,500,1000,2000,4000,8000').split(',').map(Number);
const NOTICE = 'a'.repeat(64);

const child = spawn(
  process.execPath,
  ['--conditions=@candor/source', '--import', 'tsx', resolve(root, 'bench/reliability/serve-soak.ts')],
  { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] },
);
const server = await new Promise<{ url: string; pid: number; dialect: string; reportKey: string }>((done) => {
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const line = buffer.split('\n').find((candidate) => candidate.startsWith('{'));
    if (line !== undefined) done(JSON.parse(line) as { url: string; pid: number; dialect: string; reportKey: string });
  });
});
const site = `${server.url}/v1/sites/shop`;
const rssMb = (): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
};
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

// Visitors for consent events, registered before the clock starts.
const visitors: string[] = [];
for (let i = 0; i < 50; i += 1) {
  const response = await fetch(`${site}/visitors`, { method: 'POST' });
  visitors.push(((await response.json()) as { token: string }).token);
}

let batchSeq = 0;
const acked = new Set<string>();
const latencies: number[] = [];
const errors = new Map<string, number>();
const rss: { t: number; mb: number }[] = [];
const one = async (i: number): Promise<void> => {
  const kind = i % 5;
  const started = performance.now();
  let ok = false;
  let batchId: string | undefined;
  try {
    if (kind < 3) {
      const response = await fetch(`${site}/snapshot`);
      await response.arrayBuffer();
      ok = response.status === 200;
    } else if (kind === 3) {
      const response = await fetch(`${server.url}/v1/visitor/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${visitors[i % visitors.length] ?? ''}` },
        body: JSON.stringify({
          action: 'custom',
          purposes: { personalization: i % 2 === 0 ? 'granted' : 'denied', measurement: 'granted' },
          source: 'prompt',
          uiVersion: 'soak',
          noticeVersion: 'n1',
          noticeTextHash: NOTICE,
          language: 'en',
          policyVersion: '2026-01',
        }),
      });
      await response.arrayBuffer();
      ok = response.status === 201;
    } else {
      batchSeq += 1;
      batchId = `soak-batch-${batchSeq}`;
      const response = await fetch(`${server.url}/v1/admin/sites/shop/aggregates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.reportKey}` },
        body: JSON.stringify({
          batchId,
          deltas: [{ experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 1, sum: 1, sumSquares: 1 }],
        }),
      });
      await response.arrayBuffer();
      ok = response.status === 200;
    }
    if (!ok) errors.set(`kind ${kind} status`, (errors.get(`kind ${kind} status`) ?? 0) + 1);
  } catch (error) {
    errors.set(String(error), (errors.get(String(error)) ?? 0) + 1);
  }
  if (ok && batchId !== undefined) acked.add(batchId);
  latencies.push(performance.now() - started);
};

// Paced, open-loop: requests start on schedule whether or not earlier ones finished.
const soakStart = performance.now();
const inflight = new Set<Promise<void>>();
let sent = 0;
let nextRss = 0;
while (performance.now() - soakStart < soakSeconds * 1000) {
  const elapsed = performance.now() - soakStart;
  while (sent < (elapsed / 1000) * rate) {
    const request = one(sent);
    inflight.add(request);
    void request.finally(() => inflight.delete(request));
    sent += 1;
  }
  if (elapsed >= nextRss) {
    rss.push({ t: Math.round(elapsed / 1000), mb: rssMb() });
    nextRss += 5000;
  }
  await new Promise((done) => setTimeout(done, 5));
}
await Promise.all(inflight);
rss.push({ t: soakSeconds, mb: rssMb() });

const login = await fetch(`${server.url}/v1/admin/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse battery staple' }),
});
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
const cells = (await (await fetch(`${server.url}/v1/admin/sites/shop/aggregates`, { headers: { cookie } })).json()) as {
  metricId: string;
  n: number;
}[];
const counted = cells.find((cell) => cell.metricId === 'signup')?.n ?? 0;
const sorted = [...latencies].sort((a, b) => a - b);
const warm = rss.filter((sample) => sample.t >= soakSeconds * 0.2);
const growth = (warm[warm.length - 1]?.mb ?? 0) - (warm[0]?.mb ?? 0);
const soak = {
  dialect: server.dialect,
  seconds: soakSeconds,
  offeredRate: rate,
  requests: latencies.length,
  errors: Object.fromEntries(errors),
  p50ms: Number(percentile(sorted, 50).toFixed(2)),
  p99ms: Number(percentile(sorted, 99).toFixed(2)),
  maxMs: Number((sorted[sorted.length - 1] ?? 0).toFixed(2)),
  rssMb: rss.map((sample) => sample.mb),
  rssGrowthAfterWarmupMb: growth,
  rssBoundMb,
  ackedBatches: acked.size,
  countedInDatabase: counted,
};
process.stdout.write(`soak ${JSON.stringify(soak)}\n`);
const failures: string[] = [];
if (errors.size > 0) failures.push('errors during the soak');
if (counted !== acked.size) failures.push(`database counts ${counted} ≠ acknowledged ${acked.size}`);
if (growth > rssBoundMb) failures.push(`RSS grew ${growth} MB after warm-up (bound ${rssBoundMb})`);

// Step load: the same public mix at rising offered rates until p99 passes 100 ms.
let stepSeq = 0;
for (const stepRate of steps) {
  const result = await autocannon({
    url: server.url,
    connections: 64,
    duration: stepSeconds,
    overallRate: stepRate,
    requests: [
      { method: 'GET', path: '/v1/sites/shop/snapshot' },
      {
        method: 'POST',
        path: '/v1/admin/sites/shop/aggregates',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.reportKey}` },
        setupRequest: (request) => {
          stepSeq += 1;
          return {
            ...request,
            body: JSON.stringify({
              batchId: `step-batch-${stepSeq}`,
              deltas: [{ experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 1, sum: 1, sumSquares: 1 }],
            }),
          };
        },
      },
    ],
  });
  const line = {
    offered: stepRate,
    achieved: Math.round(result.requests.average),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  process.stdout.write(`step ${JSON.stringify(line)}\n`);
  if (result.latency.p99 > 100) {
    process.stdout.write(`p99 passed 100 ms at an offered ${stepRate} req/s (achieved ${line.achieved})\n`);
    break;
  }
}
child.kill('SIGTERM');
if (failures.length > 0) {
  process.stdout.write(`FAILED: ${failures.join('; ')}\n`);
  process.exitCode = 1;
}
