// Issue 7, "Faults": the real PostgreSQL cluster stopped and started while report batches stream in.
// Exclusive: stopping the shared cluster would break every other PostgreSQL suite running in
// parallel, so this file is not in `npm test`; run it alone with `npm run test:exclusive`.
// database-outage.test.ts covers the same path in `npm test` through a TCP proxy it cuts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testPostgresUrl } from '../../src/storage/postgres/test-database.js';
import { TEST_SITE } from '../../src/testing/test-app.js';
import { pgSchemaEnv } from '../support/pg-schema.js';
import { openInstallStorage, prepareInstall } from '../support/prepare-install.js';
import { AGGREGATES_PATH, newReportLog, postBatch, REPORT_HEADERS } from '../support/report-client.js';
import { spawnServer, type ServerProcess } from '../support/spawn-server.js';

/** Why this machine cannot stop and start the test cluster, or undefined when it can. */
function cannotControlPostgres(): string | undefined {
  const url = testPostgresUrl();
  if (url === undefined) return 'CANDOR_TEST_PG_URL is unset';
  if (!['127.0.0.1', 'localhost'].includes(new URL(url).hostname)) return `${url} is not a local cluster`;
  if (process.getuid?.() !== 0) return 'pg_ctlcluster needs root';
  if (!existsSync('/etc/postgresql')) return 'no /etc/postgresql (not a Debian PostgreSQL cluster)';
  if (!existsSync('/usr/bin/pg_ctlcluster')) return 'pg_ctlcluster is not installed';
  return undefined;
}

const VERSION = existsSync('/etc/postgresql') ? (readdirSync('/etc/postgresql')[0] ?? '') : '';
const cluster = (action: 'start' | 'stop'): void => {
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, 'main', action], { stdio: 'pipe' });
};
const ready = (): boolean => {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-q'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};
/** Starts the cluster if it is down and waits until it accepts connections (at most 30 s). */
const ensureStarted = async (): Promise<void> => {
  if (ready()) return;
  try {
    cluster('start');
  } catch {
    // Already starting or started by someone else: pg_isready below decides.
  }
  for (let i = 0; i < 300 && !ready(); i += 1) await new Promise((done) => setTimeout(done, 100));
  if (!ready()) throw new Error('PostgreSQL did not come back: run pg_ctlcluster --skip-systemctl-redirect start');
};
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

const reason = cannotControlPostgres();
if (reason !== undefined && process.env['CI'] === 'true') {
  throw new Error(`CI=true but this suite cannot stop and start PostgreSQL: ${reason}`);
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  // Whatever happened above, the cluster is up again before the next suite runs.
  if (reason === undefined) await ensureStarted();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.skipIf(reason !== undefined)(
  `PostgreSQL stopped and started under load${reason === undefined ? '' : ` — skipped: ${reason}`}`,
  () => {
    it('answers 503 fast while it is down, recovers without a restart, and counts every acked batch once', async () => {
      const schema = await pgSchemaEnv();
      if (schema === undefined) throw new Error('CANDOR_TEST_PG_URL is unset');
      cleanups.push(schema.drop);
      const dir = mkdtempSync(join(tmpdir(), 'candor-pg-stop-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      const env = {
        ...schema.env,
        CANDOR_DATA_DIR: dir,
        CANDOR_DEMO: 'off',
        CANDOR_SNAPSHOT_CACHE_MS: '0',
        // One client IP sends thousands of batches here; the public limit (600/min) is not under test.
        CANDOR_RATE_LIMIT: '1000000',
      };
      await prepareInstall(env, { publish: true });
      const server: ServerProcess = await spawnServer(env);
      cleanups.push(() => server.stop());
      const base = () => server.url;

      // Four clients, each sending a new batch every 10 ms and retrying any it got no 2xx for,
      // as the SDK's reporter does; `attempted` is every batch id that ever left a client.
      const log = newReportLog();
      const attempted = new Set<string>();
      const retry: string[] = [];
      let seq = 0;
      let sendingNew = true;
      const worker = async (): Promise<void> => {
        for (;;) {
          const id = sendingNew ? `pg-stop-${(seq += 1).toString().padStart(5, '0')}` : retry.shift();
          if (id === undefined) return;
          attempted.add(id);
          if (!(await postBatch(base, id, log))) retry.push(id);
          await sleep(10);
        }
      };
      const stream = Promise.all(Array.from({ length: 4 }, worker));
      const waitFor = async (what: string, done: () => boolean, ms: number) => {
        const started = Date.now();
        while (!done()) {
          if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
          await sleep(20);
        }
      };

      let stoppedAt = 0;
      let downChecks: { readyz: number; report: number; code: string; ms: number }[] = [];
      try {
        await waitFor('50 acknowledged batches', () => log.acked.size >= 50, 30_000);
        const ackedBefore = log.acked.size;
        stoppedAt = Date.now();
        cluster('stop');
        expect(ready()).toBe(false);
        // While it is down, ask directly a few times over three seconds.
        downChecks = [];
        for (let i = 0; i < 6; i += 1) {
          const started = performance.now();
          const readyz = await fetch(`${base()}/readyz`, { signal: AbortSignal.timeout(5000) });
          const report = await fetch(`${base()}${AGGREGATES_PATH}`, {
            method: 'POST',
            headers: REPORT_HEADERS,
            body: JSON.stringify({
              batchId: `pg-stop-probe-${i}`,
              deltas: [{ experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 1, sum: 1, sumSquares: 1 }],
            }),
            signal: AbortSignal.timeout(5000),
          });
          const body = (await report.json()) as { code?: string };
          downChecks.push({
            readyz: readyz.status,
            report: report.status,
            code: body.code ?? '',
            ms: performance.now() - started,
          });
          await sleep(500);
        }
        expect(log.acked.size - ackedBefore).toBeLessThanOrEqual(4); // at most the requests in flight
      } finally {
        await ensureStarted();
      }
      const downForMs = Date.now() - stoppedAt;

      expect(downChecks.map(({ readyz, report, code }) => ({ readyz, report, code }))).toEqual(
        downChecks.map(() => ({ readyz: 503, report: 503, code: 'database_unavailable' })),
      );
      // "Fast": both answers within two seconds together, never a hang until the client's timeout.
      expect(Math.max(...downChecks.map((check) => check.ms))).toBeLessThan(2000);

      // Recovery without a restart: the same process becomes ready and acknowledges again.
      const restartedAt = Date.now();
      let recovered = false;
      while (!recovered && Date.now() - restartedAt < 30_000) {
        const response = await fetch(`${base()}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
        recovered = response?.status === 200;
        if (!recovered) await sleep(100);
      }
      expect(recovered).toBe(true);
      const recoveryMs = Date.now() - restartedAt;
      const ackedAtRecovery = log.acked.size;
      await waitFor('50 more acknowledged batches', () => log.acked.size >= ackedAtRecovery + 50, 30_000);
      sendingNew = false;
      await stream;
      expect(retry).toEqual([]);
      expect(server.child.exitCode).toBeNull();

      // Acknowledgements "lost on the wire": a third of the acked batches sent again are acked, not counted.
      const again = newReportLog();
      for (const id of [...log.acked].filter((_, i) => i % 3 === 0)) await postBatch(base, id, again);
      expect(again.statuses.get(200)).toBe(again.acked.size);

      const statuses = Object.fromEntries(log.statuses);
      expect(Object.keys(statuses).filter((status) => !['200', '503'].includes(status))).toEqual([]);
      expect(statuses['503'] ?? 0).toBeGreaterThan(0);
      expect(log.acked).toEqual(attempted);
      await server.stop();

      const { storage, close } = await openInstallStorage(env);
      try {
        const site = await storage.getSiteByKey(TEST_SITE.siteKey);
        const signup = (await storage.listAggregates(site?.id ?? '')).find(
          (cell) => cell.metricId === 'signup' && cell.variantId === 'dev',
        );
        expect(signup?.n).toBe(log.acked.size);
        expect(signup?.sum).toBe(log.acked.size);
      } finally {
        await close();
      }
      // Figures for docs/reliability.md: CANDOR_FAULT_FIGURES=<file> writes them there.
      const figures = process.env['CANDOR_FAULT_FIGURES'];
      if (figures !== undefined && figures !== '') {
        const slowestRefusalMs = Math.round(Math.max(...downChecks.map((check) => check.ms)));
        const counts = { acked: log.acked.size, refused: statuses['503'], resentAcked: again.acked.size };
        writeFileSync(figures, JSON.stringify({ downForMs, recoveryMs, slowestRefusalMs, ...counts }));
      }
    }, 120_000);
  },
);
