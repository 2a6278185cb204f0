// Snapshot serving and report ingestion beside a bare Fastify JSON route, on 127.0.0.1, in one run.
// Usage: npm run -w bench bench:server   (DATABASE_URL=postgres://… for PostgreSQL)
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const duration = Number(process.env['BENCH_SECONDS'] ?? 10);
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
// Every delta addresses its own cell (20 experiences × 2 variants × 2 metrics): no merging helps.
const deltasPerBatch = 80;

const child = spawn(
  process.execPath,
  ['--conditions=@candor/source', '--import', 'tsx', resolve(root, 'bench/server/serve.ts')],
  {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const urls = await new Promise<{ bare: string; candor: string; dialect: string; reportKey: string }>((done, fail) => {
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const line = buffer.split('\n').find((candidate) => candidate.startsWith('{'));
    if (line !== undefined) done(JSON.parse(line) as { bare: string; candor: string; dialect: string });
  });
  child.once('exit', (code) => fail(new Error(`bench server exited with ${String(code)}`)));
});

interface Row {
  name: string;
  rps: number;
  p99: number;
  non2xx: number;
  /** The bare route serving the same bytes (issue 17 §2 compares each public route with it). */
  baseline?: string;
}

async function measure(name: string, options: autocannon.Options, baseline?: string): Promise<Row> {
  const result = await autocannon({ connections, duration, ...options });
  return {
    name,
    rps: result.requests.average,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    ...(baseline === undefined ? {} : { baseline }),
  };
}

const snapshotUrl = `${urls.candor}/v1/sites/shop/snapshot`;
const etag = (await fetch(snapshotUrl)).headers.get('etag') ?? '';
const delta = (variant: string, metric: string) => ({
  experience: 'exp-0',
  variant,
  metric,
  n: 1,
  sum: 1,
  sumSquares: 1,
});
const batchBody = () =>
  JSON.stringify({
    batchId: randomUUID(),
    deltas: Array.from({ length: deltasPerBatch }, (_, i) =>
      delta(i % 2 === 0 ? 'a' : 'b', i % 3 === 0 ? 'revenue' : 'signup'),
    ),
  });

const rows: Row[] = [];
// Each public route beside its bare twin (the bare route serving the same bytes), measured in
// alternating short slices: on a shared machine the load changes within seconds, so a ratio is
// only worth reading between two slices taken back to back. Median and range over the rounds.
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 0);
if (rounds > 0) {
  const slice = Number(process.env['BENCH_SLICE_SECONDS'] ?? 2);
  const pairs: { name: string; candor: autocannon.Options; bare: autocannon.Options }[] = [
    { name: '/healthz vs bare JSON', candor: { url: `${urls.candor}/healthz` }, bare: { url: `${urls.bare}/json` } },
    { name: 'snapshot 200 vs bare same bytes', candor: { url: snapshotUrl }, bare: { url: `${urls.bare}/snapshot` } },
    {
      name: 'snapshot 200 br vs bare same brotli bytes',
      candor: { url: snapshotUrl, headers: { 'accept-encoding': 'br' } },
      bare: { url: `${urls.bare}/snapshot-br`, headers: { 'accept-encoding': 'br' } },
    },
    {
      name: 'snapshot 304 vs bare JSON',
      candor: { url: snapshotUrl, headers: { 'if-none-match': etag } },
      bare: { url: `${urls.bare}/json` },
    },
  ];
  const rps = async (options: autocannon.Options) =>
    (await autocannon({ connections, duration: slice, ...options })).requests.average;
  process.stdout.write(`\n${connections} connections, ${rounds} rounds of ${slice} s slices, alternating\n\n`);
  process.stdout.write(
    '| pair | median ratio | range | median Candor req/s | median bare req/s |\n|---|---:|---:|---:|---:|\n',
  );
  const median = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  };
  for (const pair of pairs) {
    const ratios: number[] = [];
    const candorRps: number[] = [];
    const bareRps: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      // Alternate which goes first, so a trend in the machine's load favours neither.
      const first = round % 2 === 0;
      const a = await rps(first ? pair.bare : pair.candor);
      const b = await rps(first ? pair.candor : pair.bare);
      const [bareValue, candorValue] = first ? [a, b] : [b, a];
      bareRps.push(bareValue);
      candorRps.push(candorValue);
      ratios.push(candorValue / bareValue);
    }
    const fmt = (value: number) => `${value.toFixed(2)}x`;
    process.stdout.write(
      `| ${pair.name} | ${fmt(median(ratios))} | ${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))} | ${Math.round(median(candorRps)).toLocaleString('en')} | ${Math.round(median(bareRps)).toLocaleString('en')} |\n`,
    );
  }
  child.kill('SIGTERM');
  process.exit(0);
}

rows.push(await measure('bare Fastify GET /json', { url: `${urls.bare}/json` }));
rows.push(await measure('bare Fastify GET, same snapshot bytes', { url: `${urls.bare}/snapshot` }));
rows.push(
  await measure('bare Fastify GET, same brotli bytes', {
    url: `${urls.bare}/snapshot-br`,
    headers: { 'accept-encoding': 'br' },
  }),
);
// No database, no body to speak of: the floor every Candor route shares (hooks, logger, metrics).
rows.push(await measure('Candor GET /healthz', { url: `${urls.candor}/healthz` }, 'bare Fastify GET /json'));
rows.push(await measure('snapshot GET 200', { url: snapshotUrl }, 'bare Fastify GET, same snapshot bytes'));
// What a browser asks for: the pre-compressed brotli body (about 1.4 KB instead of 11 KB).
rows.push(
  await measure(
    'snapshot GET 200, Accept-Encoding: br',
    { url: snapshotUrl, headers: { 'accept-encoding': 'br' } },
    'bare Fastify GET, same brotli bytes',
  ),
);
// A 304 has no body: its bare twin is the 17-byte JSON route.
rows.push(
  await measure('snapshot GET 304', { url: snapshotUrl, headers: { 'if-none-match': etag } }, 'bare Fastify GET /json'),
);
rows.push(
  await measure(`reports POST (${deltasPerBatch} deltas/batch, ${urls.dialect})`, {
    // Precomputed batches from a trusted source (an API key): the ingestion path without per-visitor bounds.
    url: `${urls.candor}/v1/admin/sites/shop/aggregates`,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${urls.reportKey}` },
        setupRequest: (request) => ({ ...request, body: batchBody() }),
      },
    ],
  }),
);
child.kill('SIGTERM');

const baseline = rows[0]?.rps ?? 1;
process.stdout.write(`\n${connections} connections, ${duration} s each, ${new Date().toISOString().slice(0, 10)}\n\n`);
process.stdout.write(
  '| workload | req/s | p99 ms | non-2xx (304 counts here) | vs bare JSON | vs bare twin | deltas/s |\n|---|---:|---:|---:|---:|---:|---:|\n',
);
const twin = (row: Row): string => {
  const bare = rows.find((candidate) => candidate.name === row.baseline);
  return bare === undefined ? '' : `${(row.rps / bare.rps).toFixed(2)}x`;
};
for (const row of rows) {
  const deltas = row.name.startsWith('reports') ? Math.round(row.rps * deltasPerBatch).toLocaleString('en') : '';
  process.stdout.write(
    `| ${row.name} | ${Math.round(row.rps).toLocaleString('en')} | ${row.p99} | ${row.non2xx} | ${(row.rps / baseline).toFixed(2)}x | ${twin(row)} | ${deltas} |\n`,
  );
}
