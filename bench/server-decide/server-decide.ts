/**
 * Server-side decide, per request: @candor/node deciding 20 slots from the visitor's Candor cookie
 * beside GrowthBook's Node SDK evaluating 20 features from an attribute cookie, on the same workload
 * in the same run. Measured twice: in process (the per-request work alone) and over HTTP (a Fastify
 * route each, autocannon against 127.0.0.1).
 *
 *   npm run -w bench bench:server-decide
 *
 * Both engines see the same 20 conditions, weights, seeds and hash version 2 (bench/decide/workload.ts),
 * and both read the visitor from a cookie per request: Candor its consent-gated `candor_<site>` cookie,
 * GrowthBook a base64url JSON of the same attributes (what a GrowthBook app keeps in a session).
 */
import { GrowthBookClient } from '@growthbook/growthbook';
import { createCandorClient, type PublicJwk } from '@candor/node';
import type { Profile } from '@candor/core';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildSnapshot, buildVisitors, growthbookFeatures } from '../decide/workload.js';

const SLOTS = 20;
const VISITORS = Number(process.env['BENCH_VISITORS'] ?? 2_000);
const PASSES = Number(process.env['BENCH_PASSES'] ?? 5);
const REQUESTS_PER_PASS = Number(process.env['BENCH_REQUESTS'] ?? 20_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 20);
const DAY = 86_400_000;
const now = Date.now();

// The workload: the first 20 of the decide bench's experiences (one slot each).
const full = buildSnapshot();
const snapshot = {
  ...full,
  site: { ...full.site, siteKey: 'bench' },
  audiences: full.audiences.slice(0, SLOTS),
  experiences: full.experiences.slice(0, SLOTS),
};
const slots = snapshot.experiences.map((_, i) => `slot-${i}`);
const visitors = buildVisitors(VISITORS);

// A signed snapshot served as the Candor server serves it (same signature format), so @candor/node
// verifies it with WebCrypto exactly as in production; only the transport is in memory.
const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
  'sign',
  'verify',
])) as CryptoKeyPair;
const body = JSON.stringify(snapshot);
const signature = Buffer.from(
  await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(body)),
).toString('base64url');
const publicKey = (await crypto.subtle.exportKey('jwk', keys.publicKey)) as PublicJwk;
const candor = createCandorClient({
  serverUrl: 'https://candor.invalid',
  siteKey: 'bench',
  publicKey,
  liveUpdates: false,
  fetch: () => Promise.resolve(new Response(body, { headers: { 'candor-signature': signature, etag: '"bench-1"' } })),
});
const status = await candor.ready();
if (status.version === null) throw new Error('the bench snapshot was not verified');

const granted = { status: 'granted' as const, at: now - DAY };
const candorCookies = visitors.map((visitor) => {
  const profile: Profile = {
    version: 1,
    visitorId: visitor.id,
    values: Object.fromEntries(
      Object.entries(visitor.stored).map(([key, value]) => [
        key,
        { value, source: 'declared' as const, collectedAt: now - DAY, expiresAt: now + 30 * DAY },
      ]),
    ),
  };
  const written = candor.setCookie({
    consent: { purposes: { personalization: granted, measurement: granted, storage: granted }, signals: {} },
    profile,
  });
  if (!written.ok) throw new Error(`cookie: ${written.message}`);
  return written.header.split(';')[0]!;
});

const growthbook = new GrowthBookClient({});
growthbook.initSync({
  payload: {
    features: growthbookFeatures(snapshot),
  },
});
const growthbookCookies = visitors.map(
  (visitor) => `gb_attrs=${Buffer.from(JSON.stringify({ id: visitor.id, ...visitor.stored })).toString('base64url')}`,
);

/** The per-request work with Candor: read the cookie, decide 20 slots. */
async function candorRequest(cookie: string, context: Record<string, string>): Promise<number> {
  const { decisions } = await candor.decide({ headers: { cookie } }, { slots, attributes: context });
  let shown = 0;
  for (const decision of decisions) if (decision.variant !== null) shown++;
  return shown;
}

/** The per-request work with GrowthBook: read the attribute cookie, evaluate 20 features. */
function growthbookRequest(cookie: string, context: Record<string, string>): number {
  const encoded = cookie.slice(cookie.indexOf('=') + 1);
  const attributes = { ...(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as object), ...context };
  let shown = 0;
  for (const key of slots) if (growthbook.evalFeature(key, { attributes }).value !== 'default') shown++;
  return shown;
}

/** Per-request work timed in passes that alternate between the engines, so machine noise hits both alike. */
async function inProcess(
  engines: readonly { readonly label: string; readonly run: (i: number) => number | Promise<number> }[],
) {
  const samples = engines.map((): number[] => []);
  for (let pass = -1; pass < PASSES; pass++) {
    for (const [index, engine] of engines.entries()) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < REQUESTS_PER_PASS; i++) await engine.run(i % VISITORS);
      if (pass >= 0) samples[index]!.push(Number(process.hrtime.bigint() - start)); // pass -1 warms up
    }
  }
  return engines.map((engine, index) => {
    const sorted = samples[index]!.sort((a, b) => a - b);
    return { label: engine.label, perSecond: (REQUESTS_PER_PASS / sorted[Math.floor(sorted.length / 2)]!) * 1e9 };
  });
}

const [gbInProcess, candorInProcess] = await inProcess([
  {
    label: 'GrowthBook 1.x, 20 features',
    run: (i) => growthbookRequest(growthbookCookies[i]!, visitors[i]!.context),
  },
  { label: '@candor/node, 20 slots', run: (i) => candorRequest(candorCookies[i]!, visitors[i]!.context) },
]);
if (gbInProcess === undefined || candorInProcess === undefined) throw new Error('no in-process result');

// Over HTTP: one Fastify app, a route per engine answering the 20 slots' variant keys as JSON.
const app = Fastify({ logger: false });
const contextOf = (query: unknown) => visitors[Number((query as { v?: string }).v ?? 0) % VISITORS]!.context;
app.get('/candor', async (request) => {
  const { decisions } = await candor.decide(request.raw, { slots, attributes: contextOf(request.query) });
  return Object.fromEntries(decisions.map((decision) => [decision.slot, decision.variant?.id ?? null]));
});
app.get('/growthbook', async (request) => {
  const cookie = request.headers.cookie ?? '';
  const encoded = cookie.slice(cookie.indexOf('=') + 1);
  const attributes = {
    ...(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as object),
    ...contextOf(request.query),
  };
  return Object.fromEntries(slots.map((key) => [key, growthbook.evalFeature(key, { attributes }).value]));
});
const base = await app.listen({ port: 0, host: '127.0.0.1' });

async function overHttp(label: string, path: string, cookies: readonly string[]) {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (request) => {
          const v = next++ % VISITORS;
          return { ...request, path: `${path}?v=${v}`, headers: { ...request.headers, cookie: cookies[v]! } };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${label}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { label, perSecond: result.requests.average, p99: result.latency.p99 };
}

// Two rounds, alternating, keeping each engine's better round: load from elsewhere on a shared
// machine comes and goes, and should not decide the ratio.
const best = (a: { perSecond: number }, b: { perSecond: number }) => (a.perSecond >= b.perSecond ? a : b);
const gbFirst = await overHttp('GrowthBook 1.x, 20 features', '/growthbook', growthbookCookies);
const candorFirst = await overHttp('@candor/node, 20 slots', '/candor', candorCookies);
const candorHttp = best(candorFirst, await overHttp('@candor/node, 20 slots', '/candor', candorCookies));
const gbHttp = best(gbFirst, await overHttp('GrowthBook 1.x, 20 features', '/growthbook', growthbookCookies));
await app.close();

const rows = [
  `| in process | ${gbInProcess.label} | ${Math.round(gbInProcess.perSecond).toLocaleString('en')} | — | 1.00x |`,
  `| in process | ${candorInProcess.label} | ${Math.round(candorInProcess.perSecond).toLocaleString('en')} | — | **${(candorInProcess.perSecond / gbInProcess.perSecond).toFixed(2)}x** |`,
  `| HTTP (Fastify) | ${gbHttp.label} | ${Math.round(gbHttp.perSecond).toLocaleString('en')} | ${gbHttp.p99} | 1.00x |`,
  `| HTTP (Fastify) | ${candorHttp.label} | ${Math.round(candorHttp.perSecond).toLocaleString('en')} | ${candorHttp.p99} | **${(candorHttp.perSecond / gbHttp.perSecond).toFixed(2)}x** |`,
];
process.stdout.write(
  [
    `Node ${process.version}; ${VISITORS.toLocaleString('en')} visitors, ${SLOTS} slots per request; in process: median of ${PASSES} alternating passes of ${REQUESTS_PER_PASS.toLocaleString('en')} requests; HTTP: ${CONNECTIONS} connections, the better of two ${SECONDS} s rounds each`,
    '',
    '| measured | engine | requests/s | p99 ms | vs GrowthBook |',
    '|---|---|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);
