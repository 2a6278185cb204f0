/**
 * Requests per second of a Next.js route handler that decides 20 slots per request: Candor's server
 * SDK (`@candor/node`, as examples/next uses it) beside GrowthBook's Node SDK evaluating the same 20
 * experiences as features, for the same visitors, in one `next start`, one run.
 *
 *   npm run -w bench bench:next     (BENCH_SECONDS=5 for a quicker run)
 *
 * Each request carries one visitor: for Candor in its first-party cookie (consent and profile), for
 * GrowthBook as a JSON cookie of the same attributes; the context (country, campaign, path) is in
 * the query for both. Both routes answer the slots' variants as JSON.
 */
import { encodeVisitorCookie, type ConsentState, type Profile } from '@candor/core';
import { createCandorClient } from '@candor/node';
import { GrowthBookClient } from '@growthbook/growthbook';
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSnapshot, buildVisitors, growthbookFeatures } from '../decide/workload.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const NEXT_BIN = join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const SLOT_COUNT = 20;
const VISITORS = 1_000;
const duration = Number(process.env['BENCH_SECONDS'] ?? 10);
const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 20);

// The workload's first 20 experiences, each with its own slot and audience.
const full = buildSnapshot();
const snapshot = {
  ...full,
  audiences: full.audiences.slice(0, SLOT_COUNT),
  experiences: full.experiences.slice(0, SLOT_COUNT),
};
const slots = snapshot.experiences.map((_, i) => `slot-${i}`);

// Signed as the Candor server signs (ECDSA P-256, IEEE P1363, base64url), verified by the client.
const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
const body = JSON.stringify(snapshot);
const signature = Buffer.from(
  await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(body)),
).toString('base64url');
const data = mkdtempSync(join(tmpdir(), 'candor-bench-next-'));
writeFileSync(join(data, 'snapshot.json'), body);
writeFileSync(join(data, 'snapshot.sig'), signature);
writeFileSync(join(data, 'public-key.json'), JSON.stringify(await crypto.subtle.exportKey('jwk', keys.publicKey)));
writeFileSync(join(data, 'growthbook-features.json'), JSON.stringify(growthbookFeatures(snapshot)));
writeFileSync(join(data, 'slots.json'), JSON.stringify(slots));

// One visitor per request, rotating: the same stored values and context for both engines.
const now = Date.now();
const consent: ConsentState = {
  purposes: {
    personalization: { status: 'granted', at: now - 86_400_000 },
    measurement: { status: 'granted', at: now - 86_400_000 },
  },
  signals: {},
};
const requests = buildVisitors(VISITORS).map((visitor) => {
  const profile: Profile = {
    version: 1,
    visitorId: visitor.id,
    values: Object.fromEntries(
      Object.entries(visitor.stored).map(([key, value]) => [
        key,
        { value, source: 'declared' as const, collectedAt: now - 86_400_000, expiresAt: now + 30 * 86_400_000 },
      ]),
    ),
  };
  const written = encodeVisitorCookie({ consent, profile, snapshotVersion: 1 }, snapshot);
  if (!written.ok) throw new Error(`visitor cookie not written: ${written.message}`);
  const json = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return {
    query: `?c=${json(visitor.context)}`,
    candorCookie: `candor_bench=${written.value}`,
    growthbookCookie: `gb_bench=${json({ id: visitor.id, ...visitor.stored })}`,
  };
});

// The handlers' own work without HTTP or Next.js: the same per-request code, in this process, median of
// 5 passes over the visitors after a warm-up pass. On a shared machine this is the steadier figure.
const publicKey = await crypto.subtle.exportKey('jwk', keys.publicKey);
const inProcessCandor = createCandorClient({
  serverUrl: 'http://candor.invalid',
  siteKey: 'bench',
  publicKey,
  liveUpdates: false,
  fetch: async () => new Response(body, { headers: { 'candor-signature': signature } }),
});
const inProcessGrowthbook = new GrowthBookClient({});
inProcessGrowthbook.initSync({ payload: { features: growthbookFeatures(snapshot) as never } });
const cookieJson = (cookie: string) =>
  JSON.parse(Buffer.from(cookie.slice(cookie.indexOf('=') + 1), 'base64url').toString('utf8')) as object;
const queryJson = (query: string) =>
  JSON.parse(Buffer.from(query.slice('?c='.length), 'base64url').toString('utf8')) as Record<string, string>;
async function perRequestMs(work: (visitor: (typeof requests)[number]) => Promise<unknown> | unknown) {
  const samples: number[] = [];
  for (let pass = 0; pass < 6; pass++) {
    const start = performance.now();
    for (const visitor of requests) await work(visitor);
    if (pass > 0) samples.push((performance.now() - start) / requests.length);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;
}
const inProcess = {
  growthbook: await perRequestMs((visitor) => {
    // What the route does: read the attributes cookie and the context, evaluate every feature.
    const attributes = { ...cookieJson(visitor.growthbookCookie), ...queryJson(visitor.query) };
    return slots.map((slot) => inProcessGrowthbook.evalFeature(slot, { attributes }).value);
  }),
  candor: await perRequestMs((visitor) =>
    inProcessCandor.decide(
      { headers: new Headers({ cookie: visitor.candorCookie }) },
      { slots, attributes: queryJson(visitor.query) },
    ),
  ),
};

function run(args: readonly string[], env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<number> } {
  const child = spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: HERE,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, exited: new Promise((done) => child.on('exit', (code) => done(code ?? 1))) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 0;
}

const env = { BENCH_NEXT_DATA: data };
if ((await run(['build'], env).exited) !== 0) throw new Error('next build failed');
const port = await freePort();
const app = run(['start', '--port', String(port), '--hostname', '127.0.0.1'], env).child;
const base = `http://127.0.0.1:${port}`;
for (let attempt = 0; ; attempt++) {
  if ((await fetch(`${base}/candor${requests[0]?.query}`).catch(() => undefined))?.ok) break;
  if (attempt > 300) throw new Error('next start did not answer');
  await new Promise((done) => setTimeout(done, 200));
}

/** Over the first 100 visitors, how many slots each route filled (a route that decides nothing is not measured). */
async function filled(engine: 'candor' | 'growthbook'): Promise<number> {
  let count = 0;
  for (const visitor of requests.slice(0, 100)) {
    const response = await fetch(`${base}/${engine}${visitor.query}`, {
      headers: { cookie: engine === 'candor' ? visitor.candorCookie : visitor.growthbookCookie },
    });
    const answers = (await response.json()) as [string, string | null][];
    count += answers.filter(([, value]) => value !== null && value !== 'default' && value !== 'holdout').length;
  }
  if (count === 0) throw new Error(`${engine} filled no slot: the workload did not reach it`);
  return count;
}
const filledSlots = { candor: await filled('candor'), growthbook: await filled('growthbook') };

async function measure(engine: 'candor' | 'growthbook', seconds: number) {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const visitor = requests[next++ % requests.length]!;
          return {
            ...request,
            path: `/${engine}${visitor.query}`,
            headers: { cookie: engine === 'candor' ? visitor.candorCookie : visitor.growthbookCookie },
          };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${engine}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

// Warm both (JIT, Next's route compilation), then alternate so drift on a shared machine hits both.
await measure('candor', 2);
await measure('growthbook', 2);
const runs = {
  candor: [] as Awaited<ReturnType<typeof measure>>[],
  growthbook: [] as Awaited<ReturnType<typeof measure>>[],
};
for (let round = 0; round < 2; round++) {
  runs.candor.push(await measure('candor', duration));
  runs.growthbook.push(await measure('growthbook', duration));
}
app.kill('SIGTERM');

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const summary = (engine: 'candor' | 'growthbook') => ({
  rps: mean(runs[engine].map((r) => r.rps)),
  p50: mean(runs[engine].map((r) => r.p50)),
  p99: mean(runs[engine].map((r) => r.p99)),
});
const gb = summary('growthbook');
const candor = summary('candor');
const row = (label: string, r: typeof gb) =>
  `| ${label} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.rps / gb.rps).toFixed(2)}x |`;
process.stdout.write(
  [
    `Node ${process.version}, Next.js route handlers, ${SLOT_COUNT} slots per request, ${VISITORS.toLocaleString('en')} rotating visitors, ${connections} connections, 2 × ${duration} s per engine (alternating)`,
    '',
    '| route handler | requests/s | p50 ms | p99 ms | throughput vs GrowthBook |',
    '|---|---:|---:|---:|---:|',
    row(`GrowthBook Node SDK, evalFeature × ${SLOT_COUNT}`, gb),
    row(`Candor @candor/node decide (${SLOT_COUNT} slots)`, candor),
    '',
    `The handlers' work in process, without HTTP (median ms per request of ${SLOT_COUNT} slots): GrowthBook ${inProcess.growthbook.toFixed(3)}, Candor ${inProcess.candor.toFixed(3)} (${(inProcess.growthbook / inProcess.candor).toFixed(2)}x GrowthBook's speed).`,
    '',
    `Slots showing a variant for the first 100 visitors: Candor ${filledSlots.candor}, GrowthBook ${filledSlots.growthbook}.`,
    '',
  ].join('\n'),
);
