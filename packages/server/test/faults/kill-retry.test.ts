// Issue 7, "Faults": kill -9 of the server in the middle of a concurrent stream of report batches,
// then a client that retries every batch it holds no 2xx for — and, as if acknowledgements had been
// lost on the wire, some it does. Every batch must be counted exactly once (processes.test.ts
// covers the simpler sequential case with no retries).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testPostgresUrl } from '../../src/storage/postgres/test-database.js';
import { TEST_SITE } from '../../src/testing/test-app.js';
import { pgSchemaEnv } from '../support/pg-schema.js';
import { openInstallStorage, prepareInstall } from '../support/prepare-install.js';
import { newReportLog, postBatch, streamBatches } from '../support/report-client.js';
import { spawnServer, type ServerProcess } from '../support/spawn-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const BATCHES = 60;

async function killMidStreamAndRetry(env: Record<string, string>): Promise<void> {
  await prepareInstall(env, { publish: true });
  let server: ServerProcess = await spawnServer(env);
  cleanups.push(() => server.stop());
  const ids = Array.from({ length: BATCHES }, (_, i) => `kill-${i.toString().padStart(3, '0')}`);
  const log = newReportLog();
  let killed = false;
  const stream = streamBatches({ baseUrl: () => server.url, ids, concurrency: 6, log, stop: () => killed });
  const started = Date.now();
  while (log.acked.size < BATCHES / 3 && Date.now() - started < 15_000) await new Promise((d) => setTimeout(d, 2));
  // Requests are in flight on six connections: no graceful shutdown, no flush.
  await server.kill9();
  killed = true;
  await stream;
  const ackedBeforeCrash = new Set(log.acked);
  expect(ackedBeforeCrash.size).toBeGreaterThan(0);
  expect(ackedBeforeCrash.size).toBeLessThan(BATCHES);

  server = await spawnServer(env);
  const retryLog = newReportLog();
  // Everything un-acknowledged, plus a third of the acknowledged ones (their acks "lost").
  const retry = [
    ...ids.filter((id) => !ackedBeforeCrash.has(id)),
    ...[...ackedBeforeCrash].filter((_, i) => i % 3 === 0),
  ];
  const left = await streamBatches({
    baseUrl: () => server.url,
    ids: retry,
    concurrency: 4,
    log: retryLog,
    stop: () => false,
  });
  expect(left).toEqual([]);
  // A batch acknowledged twice is fine; counted twice is not. Ask once more for one acked id:
  const again = newReportLog();
  expect(await postBatch(() => server.url, ids[0] ?? '', again)).toBe(true);
  await server.stop();

  const { storage, close } = await openInstallStorage(env);
  try {
    const site = await storage.getSiteByKey(TEST_SITE.siteKey);
    const cells = await storage.listAggregates(site?.id ?? '');
    const signup = cells.find((cell) => cell.metricId === 'signup' && cell.variantId === 'dev');
    expect(signup?.n).toBe(BATCHES);
    expect(signup?.sum).toBe(BATCHES);
  } finally {
    await close();
  }
}

const pgAvailable = testPostgresUrl() !== undefined;
const pgReason = 'CANDOR_TEST_PG_URL is unset (CI sets it, and CI=true fails instead of skipping)';

describe('kill -9 during a report stream, then client retries', () => {
  it('counts every batch exactly once (SQLite)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-kill-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    await killMidStreamAndRetry({ CANDOR_DATA_DIR: dir, CANDOR_DEMO: 'off' });
  }, 90_000);

  it.skipIf(!pgAvailable)(
    `counts every batch exactly once (PostgreSQL)${pgAvailable ? '' : ` — skipped: ${pgReason}`}`,
    async () => {
      const schema = await pgSchemaEnv();
      if (schema === undefined) throw new Error(pgReason);
      cleanups.push(schema.drop);
      const dir = mkdtempSync(join(tmpdir(), 'candor-kill-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      await killMidStreamAndRetry({ ...schema.env, CANDOR_DATA_DIR: dir, CANDOR_DEMO: 'off' });
    },
    90_000,
  );
});
