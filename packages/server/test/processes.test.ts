import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { testPostgresUrl } from '../src/storage/postgres/test-database.js';
import { TEST_PASSWORD, TEST_SITE } from '../src/testing/test-app.js';
import { openInstallStorage, prepareInstall } from './support/prepare-install.js';
import { AGGREGATES_PATH, REPORT_HEADERS } from './support/report-client.js';
import { spawnServer, type ServerProcess } from './support/spawn-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'candor-proc-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function track(server: ServerProcess): ServerProcess {
  cleanups.push(() => server.stop());
  return server;
}

async function pgSchemaEnv(): Promise<Record<string, string> | undefined> {
  const url = testPostgresUrl();
  if (url === undefined) return undefined;
  const schema = `candor_proc_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });
  const separator = url.includes('?') ? '&' : '?';
  return {
    DATABASE_URL: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    CANDOR_SECRET: 'test-secret-shared-by-every-node',
  };
}

async function reportUntilKilled(server: ServerProcess): Promise<number> {
  let acknowledged = 0;
  for (let i = 0; i < 20; i += 1) {
    const response = await fetch(`${server.url}${AGGREGATES_PATH}`, {
      method: 'POST',
      headers: REPORT_HEADERS,
      body: JSON.stringify({
        batchId: `durable-${i.toString().padStart(4, '0')}`,
        deltas: [{ experience: 'hero-dev', variant: 'dev', metric: 'signup', n: 1, sum: 1, sumSquares: 1 }],
      }),
    });
    if (response.status === 200) acknowledged += 1;
  }
  // Immediately after the last 2xx: no graceful shutdown, no flush.
  await server.kill9();
  return acknowledged;
}

const pgAvailable = testPostgresUrl() !== undefined;
const pgReason =
  'CANDOR_TEST_PG_URL is unset (PGlite cannot be shared by two processes); CI sets it, and CI=true fails instead of skipping';

describe('real processes', () => {
  it('starts with zero configuration on SQLite, creates the first admin and prints the login and URLs', async () => {
    const dir = tempDir();
    const server = track(await spawnServer({ CANDOR_DATA_DIR: dir }));
    const output = server.output();
    expect(output).toContain('email:    admin@localhost');
    const password = /password: (\S+)/.exec(output)?.[1];
    expect(password).toBeDefined();
    expect(output).toContain('/docs/');
    const login = await fetch(`${server.url}/v1/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@localhost', password }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/i);
    expect(((await login.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await server.stop();
  }, 60_000);

  it('keeps every acknowledged report after kill -9 (SQLite)', async () => {
    const env = { CANDOR_DATA_DIR: tempDir() };
    await prepareInstall(env, { publish: true });
    const server = track(await spawnServer(env));
    const acknowledged = await reportUntilKilled(server);
    expect(acknowledged).toBe(20);
    const { storage, close } = await openInstallStorage(env);
    const site = await storage.getSiteByKey(TEST_SITE.siteKey);
    const [cell] = await storage.listAggregates(site?.id ?? '');
    await close();
    expect(cell?.n).toBe(acknowledged);
  }, 60_000);

  it.skipIf(!pgAvailable)(
    `keeps every acknowledged report after kill -9 (PostgreSQL)${pgAvailable ? '' : ` — skipped: ${pgReason}`}`,
    async () => {
      const env = { ...(await pgSchemaEnv()), CANDOR_DATA_DIR: tempDir() };
      await prepareInstall(env, { publish: true });
      const server = track(await spawnServer(env));
      const acknowledged = await reportUntilKilled(server);
      expect(acknowledged).toBe(20);
      const { storage, close } = await openInstallStorage(env);
      const site = await storage.getSiteByKey(TEST_SITE.siteKey);
      const [cell] = await storage.listAggregates(site?.id ?? '');
      await close();
      expect(cell?.n).toBe(acknowledged);
    },
    60_000,
  );

  it.skipIf(!pgAvailable)(
    `serves a publish made on one process from another within a second (LISTEN/NOTIFY)${pgAvailable ? '' : ` — skipped: ${pgReason}`}`,
    async () => {
      // A long cache lifetime, so only NOTIFY can make the second process see the publish in time.
      const env = { ...(await pgSchemaEnv()), CANDOR_DATA_DIR: tempDir(), CANDOR_SNAPSHOT_CACHE_MS: '600000' };
      await prepareInstall(env, { publish: true });
      const a = track(await spawnServer(env));
      const b = track(await spawnServer({ ...env, CANDOR_DATA_DIR: tempDir() }));
      const version = async (server: ServerProcess) =>
        Number(
          (await fetch(`${server.url}/v1/sites/${TEST_SITE.siteKey}/snapshot`)).headers.get('candor-snapshot-version'),
        );
      expect(await version(b)).toBe(1);

      const login = await fetch(`${a.url}/v1/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@example.com', password: TEST_PASSWORD }),
      });
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const published = await fetch(`${a.url}/v1/admin/sites/${TEST_SITE.siteKey}/rollback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ version: 1 }),
      });
      expect(published.status).toBe(201);
      const start = Date.now();
      let seen = await version(b);
      while (seen !== 2 && Date.now() - start < 1000) {
        await new Promise((done) => setTimeout(done, 20));
        seen = await version(b);
      }
      expect(seen).toBe(2);
      expect(Date.now() - start).toBeLessThan(1000);
    },
    60_000,
  );
});
