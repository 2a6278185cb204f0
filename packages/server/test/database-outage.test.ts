import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/storage/postgres/open-postgres.js';
import { testPostgresUrl } from '../src/storage/postgres/test-database.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const url = testPostgresUrl();
const reason = 'needs CANDOR_TEST_PG_URL (a server a proxy can cut); PGlite runs in-process';

describe.skipIf(url === undefined)(
  `a database that goes away${url === undefined ? ` — skipped: ${reason}` : ''}`,
  () => {
    let proxy: TcpProxy;
    let t: TestApp;
    const schema = `candor_outage_${randomBytes(5).toString('hex')}`;
    beforeAll(async () => {
      const target = new URL(url ?? '');
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const proxied = new URL(target);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      t = await createTestApp({
        handle: openPostgres({ connectionString: proxied.toString(), schema, max: 3 }),
        config: {
          ...(await import('../src/config.js')).loadConfig({
            CANDOR_SNAPSHOT_CACHE_MS: '0',
            CANDOR_SCRYPT_LOG_N: '14',
          }),
        },
      });
    });
    afterAll(async () => {
      await t.close();
      await proxy.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    });

    it('fails /readyz and answers 503 quickly, then recovers by itself', async () => {
      expect((await t.app.inject('/readyz')).statusCode).toBe(200);
      await proxy.cut();
      const started = Date.now();
      const ready = await t.app.inject('/readyz');
      expect(ready.statusCode).toBe(503);
      const route = await t.app.inject(`/v1/sites/${t.siteKey}/snapshot`);
      expect(route.statusCode).toBe(503);
      expect(route.json()).toMatchObject({ code: 'database_unavailable' });
      expect(Date.now() - started).toBeLessThan(3000);

      await proxy.restore();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i += 1) {
        status = (await t.app.inject('/readyz')).statusCode;
        if (status !== 200) await new Promise((done) => setTimeout(done, 100));
      }
      expect(status).toBe(200);
      expect((await t.app.inject(`/v1/sites/${t.siteKey}/snapshot`)).statusCode).toBe(404);
    }, 30_000);
  },
);
