import { Writable } from 'node:stream';
import type { Role, SiteCreateInput } from '@candor/schema';
import { sql } from 'kysely';
import { buildApp, type AppOptions, type CandorApp } from '../app.js';
import { loadConfig } from '../config.js';
import { randomDataKey } from '../crypto/keyring.js';
import { createAdmin } from '../features/auth/service.js';
import { createSite } from '../features/sites/service.js';
import { migrateToLatest } from '../storage/migrate.js';
import type { DbHandle } from '../storage/db-handle.js';
import { openSqlite } from '../storage/sqlite/open-sqlite.js';
import { createStorage, type Storage } from '../storage/storage.js';

/** An admin's credentials for `app.inject`. */
export interface Credentials {
  readonly headers: { cookie: string; 'x-csrf-token': string };
}

/** An in-process app on a fresh database, with its logs captured (never the console). */
export interface TestApp extends CandorApp {
  readonly storage: Storage;
  readonly logs: string[];
  readonly siteKey: string;
  readonly as: Readonly<Record<Role, Credentials>>;
  /** Runs raw SQL against the test database (completeness checks read tables directly). */
  rawQuery(text: string): Promise<unknown[]>;
  close(): Promise<void>;
}

/** The site every test app starts with. */
export const TEST_SITE: SiteCreateInput = {
  siteKey: 'shop',
  name: 'Example Shop',
  defaultLanguage: 'en',
  policyVersion: '2026-01',
  explainDefaults: true,
  allowedOrigins: ['https://shop.example'],
  ledgerRetentionDays: 365,
};

const PASSWORD = 'correct horse battery staple';

/** Builds an app on in-memory SQLite (or the given storage) with an owner, an editor and a viewer signed in. */
export async function createTestApp(
  options: Partial<Omit<AppOptions, 'storage'>> & { handle?: DbHandle } = {},
): Promise<TestApp> {
  const handle = options.handle ?? openSqlite(':memory:');
  const storage = createStorage(handle);
  await migrateToLatest(handle);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const built = await buildApp({
    // scrypt at 2^14 keeps each of the many test logins fast; production uses 2^17.
    config: { ...loadConfig({ LOG_LEVEL: 'info', CANDOR_SCRYPT_LOG_N: '14' }), ...(options.config ?? {}) },
    storage,
    keyring: options.keyring ?? { current: randomDataKey(), previous: [] },
    logStream,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.noiseRandom === undefined ? {} : { noiseRandom: options.noiseRandom }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.webhookBackoffMs === undefined ? {} : { webhookBackoffMs: options.webhookBackoffMs }),
    ...(options.liveUpdateLimits === undefined ? {} : { liveUpdateLimits: options.liveUpdateLimits }),
  });
  await createSite(built.context, TEST_SITE, 'test');
  const as = {} as Record<Role, Credentials>;
  for (const role of ['owner', 'editor', 'viewer'] as const) {
    await createAdmin(built.context, `${role}@example.com`, role, PASSWORD);
    const response = await built.app.inject({
      method: 'POST',
      url: '/v1/admin/login',
      payload: { email: `${role}@example.com`, password: PASSWORD },
    });
    const cookie = response.cookies.find((c) => c.name === 'candor_session');
    if (response.statusCode !== 200 || cookie === undefined)
      throw new Error(`login as ${role} failed: ${response.body}`);
    as[role] = {
      headers: {
        cookie: `candor_session=${cookie.value}`,
        'x-csrf-token': (response.json() as { csrfToken: string }).csrfToken,
      },
    };
  }
  return {
    ...built,
    storage,
    logs,
    siteKey: TEST_SITE.siteKey,
    as,
    async rawQuery(text) {
      return (await sql.raw(text).execute(handle.db)).rows;
    },
    async close() {
      await built.app.close();
      await storage.close();
    },
  };
}

/** The admin password test users have. */
export const TEST_PASSWORD = PASSWORD;
