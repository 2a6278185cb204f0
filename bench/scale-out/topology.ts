// Scale-out, tested on this machine: HAProxy in front of three compiled Candor nodes on one
// PostgreSQL (Redis for the limits they share). Not part of `npm test` (it needs haproxy and
// minutes); run it with
//   npm run -w bench bench:topology          (PG_URL, REDIS_URL, VISITORS, PARTITIONS to change)
//
// The nodes run with CANDOR_PG_PARTITIONS=daily unless PARTITIONS=off: all three convert and
// maintain the day partitions at start, two of them at the same moment (an advisory lock orders them).
//
// Under a steady load of visitors (snapshot, registration, consent, exposure report, conversion),
// one node is killed (SIGKILL), another restarted, the killed one brought back, then all three are
// restarted one at a time. Visitors retry a failed request the way the SDK does (a report keeps its
// batch id, so a retry is never counted twice). It then checks, and exits 1 unless all hold:
//   - 0 visitor requests failed after retries;
//   - the exposures counted equal the exposures acknowledged (nothing lost, nothing counted twice),
//     and the daily cells (partitioned or not) sum to the same count;
//   - the consent ledger's hash chain verifies intact.
// Finally it measures snapshot throughput through HAProxy with 1, 2 and 3 nodes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildAll, REPO_ROOT } from '../../scripts/build.js';

const PG_URL = process.env['PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const VISITORS = Number(process.env['VISITORS'] ?? 12);
const THROUGHPUT_SECONDS = Number(process.env['THROUGHPUT_SECONDS'] ?? 5);
const PARTITIONS = process.env['PARTITIONS'] ?? 'daily';
const work = mkdtempSync(join(tmpdir(), 'candor-topology-'));
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function sql(text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

// ---- the nodes ----------------------------------------------------------------------------------

const schema = `candor_topology_${randomBytes(4).toString('hex')}`;
const shared: Record<string, string> = {
  PATH: process.env['PATH'] ?? '',
  DATABASE_URL: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
  REDIS_URL,
  CANDOR_REDIS_PREFIX: `${schema}:`,
  // Every node must share the data key: values sealed and sessions signed on one are read on another.
  CANDOR_DATA_KEY: randomBytes(32).toString('base64'),
  // All visitors come from 127.0.0.1 through one proxy; the limits are not what is tested here.
  CANDOR_RATE_LIMIT: '1000000',
  CANDOR_REPORT_GROWTH_LIMIT: '1000000',
  LOG_LEVEL: 'warn',
  CANDOR_PG_PARTITIONS: PARTITIONS,
};

interface CandorNode {
  readonly name: string;
  readonly port: number;
  process: ChildProcess | undefined;
  output: string;
}

async function startNode(node: CandorNode): Promise<void> {
  const child = spawn(process.execPath, ['packages/server/dist/cli.js', 'start'], {
    cwd: REPO_ROOT,
    env: { ...shared, PORT: String(node.port), CANDOR_DATA_DIR: join(work, node.name) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  node.process = child;
  child.stdout.on('data', (chunk: Buffer) => (node.output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (node.output += chunk.toString('utf8')));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${node.name} exited:\n${node.output}`);
    if (Date.now() - started > 60_000) throw new Error(`${node.name} not ready in 60 s:\n${node.output}`);
    const ready = await fetch(`http://127.0.0.1:${node.port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await sleep(50);
  }
}

async function stopNode(node: CandorNode, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const child = node.process;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill(signal);
  await exited;
  node.process = undefined;
}

// ---- HAProxy ------------------------------------------------------------------------------------

async function startHaproxy(nodes: readonly CandorNode[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const config = join(work, `haproxy-${nodes.length}.cfg`);
  writeFileSync(
    config,
    [
      'global',
      '  maxconn 4096',
      'defaults',
      '  mode http',
      '  timeout connect 1s',
      '  timeout client 30s',
      '  timeout server 30s',
      // A request that could not reach a node, or got no answer, goes to another one.
      '  retries 3',
      '  option redispatch 1',
      '  retry-on conn-failure empty-response response-timeout',
      'frontend visitors',
      `  bind 127.0.0.1:${port}`,
      '  default_backend candor',
      'backend candor',
      '  balance roundrobin',
      '  option httpchk GET /readyz',
      '  http-check expect status 200',
      '  default-server inter 300ms fall 2 rise 2',
      ...nodes.map((node) => `  server ${node.name} 127.0.0.1:${node.port} check`),
      '',
    ].join('\n'),
  );
  const child = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${errors}`);
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (attempt > 100) throw new Error(`haproxy not answering: ${errors}`);
    await sleep(100);
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---- visitors -----------------------------------------------------------------------------------

interface Outcome {
  readonly status: number;
  readonly body: unknown;
}

const failures = new Map<string, number>();
let retried = 0;
let requests = 0;

/** One visitor request, retried with backoff on a network error or a 5xx, as the SDK retries. */
async function call(url: string, init: RequestInit, what: string): Promise<Outcome> {
  for (let attempt = 0; attempt < 8; attempt++) {
    requests++;
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      if (response.status < 500) {
        const text = await response.text();
        return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
      }
    } catch {
      // Network error or timeout: retried below.
    }
    retried++;
    await sleep(100 * 2 ** attempt);
  }
  failures.set(what, (failures.get(what) ?? 0) + 1);
  return { status: 0, body: null };
}

interface Experiment {
  readonly experience: string;
  readonly variants: readonly string[];
}

const CONSENT = {
  action: 'accept_all',
  purposes: { personalization: 'granted', measurement: 'granted', sync: 'granted' },
  source: 'prompt',
  uiVersion: 'bench',
  noticeVersion: 'n1',
  noticeTextHash: 'a'.repeat(64),
  language: 'en',
  policyVersion: '2026-01',
};

let acknowledgedExposures = 0;
let visits = 0;

async function visit(base: string, site: string, experiment: Experiment, metric: string): Promise<void> {
  const json = { 'content-type': 'application/json' };
  const snapshot = await call(`${base}/v1/sites/${site}/snapshot`, {}, 'snapshot');
  if (snapshot.status !== 200) return void failures.set('snapshot', (failures.get('snapshot') ?? 0) + 1);
  const registered = await call(`${base}/v1/sites/${site}/visitors`, { method: 'POST' }, 'register');
  const token = (registered.body as { token?: string } | null)?.token;
  if (registered.status !== 201 || token === undefined) return;
  const auth = { ...json, authorization: `Bearer ${token}` };
  const consent = await call(
    `${base}/v1/visitor/consent`,
    { method: 'POST', headers: auth, body: JSON.stringify(CONSENT) },
    'consent',
  );
  if (consent.status !== 200 && consent.status !== 201) {
    failures.set(`consent ${consent.status}`, (failures.get(`consent ${consent.status}`) ?? 0) + 1);
    return;
  }
  const variant = experiment.variants[visits++ % experiment.variants.length] as string;
  const exposure = {
    batchId: `b-${randomBytes(8).toString('hex')}`,
    exposures: [{ experience: experiment.experience, variant }],
  };
  const exposed = await call(
    `${base}/v1/sites/${site}/reports`,
    { method: 'POST', headers: auth, body: JSON.stringify(exposure) },
    'report',
  );
  if (exposed.status !== 200) {
    failures.set(`report ${exposed.status}`, (failures.get(`report ${exposed.status}`) ?? 0) + 1);
    return;
  }
  acknowledgedExposures++;
  const conversion = { batchId: `b-${randomBytes(8).toString('hex')}`, conversions: [{ metric }] };
  await call(
    `${base}/v1/sites/${site}/reports`,
    { method: 'POST', headers: auth, body: JSON.stringify(conversion) },
    'conversion',
  );
}

// ---- the run ------------------------------------------------------------------------------------

const nodes: CandorNode[] = [];
let proxy: { url: string; stop: () => Promise<void> } | undefined;
let ok = false;
try {
  buildAll({ quiet: true });
  await sql(`create schema ${schema}`);
  for (const name of ['n1', 'n2', 'n3']) nodes.push({ name, port: await freePort(), process: undefined, output: '' });
  const [n1, n2, n3] = nodes as [CandorNode, CandorNode, CandorNode];
  // The first node migrates the database, creates the admin and the demo; the others find them.
  await startNode(n1);
  await Promise.all([startNode(n2), startNode(n3)]);
  const email = /email:\s+(\S+)/.exec(n1.output)?.[1];
  const password = /password:\s+(\S+)/.exec(n1.output)?.[1];
  if (email === undefined || password === undefined) throw new Error(`no admin login in:\n${n1.output}`);
  proxy = await startHaproxy(nodes);
  const base = proxy.url;

  const snapshot = (await (await fetch(`${base}/v1/sites/demo/snapshot`)).json()) as {
    experiences: { id: string; variants: { id: string }[]; goals: string[] }[];
  };
  const chosen = snapshot.experiences.find(
    (experience) => experience.variants.length >= 2 && experience.goals.length > 0,
  );
  if (chosen === undefined) throw new Error('the demo has no experience with two variants');
  const experiment = { experience: chosen.id, variants: chosen.variants.map((variant) => variant.id) };
  const metric = chosen.goals[0] as string;

  let running = true;
  const load = Promise.all(
    Array.from({ length: VISITORS }, async () => {
      while (running) await visit(base, 'demo', experiment, metric);
    }),
  );
  const phase = async (label: string, action: () => Promise<void>): Promise<void> => {
    const started = Date.now();
    await action();
    log(`  ${label} (${Date.now() - started} ms; ${acknowledgedExposures} visitors counted so far)`);
  };
  log(`load: ${VISITORS} concurrent visitors through HAProxy on 3 nodes`);
  await phase('steady load', () => sleep(4000));
  await phase('n2 killed (SIGKILL)', async () => {
    await stopNode(n2, 'SIGKILL');
    await sleep(3000);
  });
  await phase('n3 restarted (SIGTERM, start)', async () => {
    await stopNode(n3, 'SIGTERM');
    await startNode(n3);
    await sleep(2000);
  });
  await phase('n2 brought back', async () => {
    await startNode(n2);
    await sleep(2000);
  });
  for (const node of nodes)
    await phase(`rolling restart: ${node.name}`, async () => {
      await stopNode(node, 'SIGTERM');
      await startNode(node);
      // HAProxy sees it healthy again after two checks.
      await sleep(1500);
    });
  await phase('steady load', () => sleep(3000));
  running = false;
  await load;

  // Read the outcome the way an admin reads it: signed in, through the proxy.
  const login = await fetch(`${base}/v1/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = /candor_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0];
  if (cookie === undefined) throw new Error(`admin login failed: ${login.status}`);
  // The banner's password is one-time: replace it, as the first admin must before reading anything.
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const changed = await fetch(`${base}/v1/admin/me/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ currentPassword: password, newPassword: randomBytes(18).toString('base64url') }),
  });
  if (!changed.ok) throw new Error(`password change failed: ${changed.status} ${await changed.text()}`);
  const aggregates = await fetch(`${base}/v1/admin/sites/demo/aggregates`, { headers: { cookie } });
  const cellsBody = (await aggregates.json()) as unknown;
  if (!Array.isArray(cellsBody)) throw new Error(`aggregates: ${aggregates.status} ${JSON.stringify(cellsBody)}`);
  const cells = cellsBody as {
    experienceId?: string;
    variantId: string;
    metricId: string;
    n: number;
  }[];
  const counted = cells
    .filter((cell) => experiment.variants.includes(cell.variantId) && cell.metricId === metric)
    .filter((cell) => cell.experienceId === undefined || cell.experienceId === experiment.experience)
    .reduce((total, cell) => total + cell.n, 0);
  const ledger = (await (await fetch(`${base}/v1/admin/sites/demo/ledger/verify`, { headers: { cookie } })).json()) as {
    intact: boolean;
  };
  // The same exposures by day of receipt, read straight from the table the results series cumulates.
  const [daily] = await sql(
    `select coalesce(sum(n), 0)::float8 as n, (select relkind::text from pg_class where oid = to_regclass($4)) as kind
       from ${schema}.aggregates_daily where experience_id = $1 and metric_id = $2 and variant_id = any($3)`,
    [experiment.experience, metric, experiment.variants, `${schema}.aggregates_daily`],
  );
  const countedDaily = Number(daily?.['n'] ?? -1);
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  log('');
  log(`visitor requests: ${requests} sent, ${retried} retried, ${failed} failed after retries`);
  for (const [what, count] of failures) log(`  failed: ${what} × ${count}`);
  log(`exposures: ${acknowledgedExposures} acknowledged, ${counted} counted`);
  log(`daily cells (${daily?.['kind'] === 'p' ? 'partitioned by day' : 'one table'}): ${countedDaily} counted`);
  log(`consent ledger chain: ${ledger.intact ? 'intact' : 'BROKEN'}`);
  ok = failed === 0 && counted === acknowledgedExposures && countedDaily === counted && ledger.intact;

  // Throughput of the live snapshot through HAProxy with 1, 2 and 3 nodes.
  await proxy.stop();
  proxy = undefined;
  log('');
  log(`snapshot GET through HAProxy, autocannon -c 32, ${THROUGHPUT_SECONDS} s (2 shared cores: indicative)`);
  const rates: number[] = [];
  for (const count of [1, 2, 3]) {
    const balanced = await startHaproxy(nodes.slice(0, count));
    const result = await autocannon({
      url: `${balanced.url}/v1/sites/demo/snapshot`,
      connections: 32,
      duration: THROUGHPUT_SECONDS,
    });
    await balanced.stop();
    rates.push(result.requests.average);
    log(
      `  ${count} node(s): ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, ` +
        `${result.non2xx + result.errors} errors (${(result.requests.average / (rates[0] as number)).toFixed(2)}x one node)`,
    );
  }
} finally {
  await proxy?.stop();
  for (const node of nodes) await stopNode(node, 'SIGTERM');
  await sql(`drop schema if exists ${schema} cascade`).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
log('');
log(ok ? 'PASS: 0 failed visitor requests, every exposure counted once, ledger intact' : 'FAIL');
process.exitCode = ok ? 0 : 1;
