import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { buildApp, type CandorApp } from './app.js';
import type { ServerConfig } from './config.js';
import { keyFileLocation, loadKeyring } from './crypto/key-file.js';
import type { Keyring } from './crypto/keyring.js';
import { createAdmin } from './features/auth/service.js';
import { ensureDemo } from './features/demo/seed-demo.js';
import { runBandits } from './features/bandit/service.js';
import { runSeriesRollups } from './features/results/series-rollup-job.js';
import { runRetention } from './features/retention/service.js';
import { createSite } from './features/sites/service.js';
import { openPostgres } from './storage/postgres/open-postgres.js';
import { openSqlite } from './storage/sqlite/open-sqlite.js';
import { createStorage, type Storage } from './storage/storage.js';

/** The first admin's email on a fresh install. */
export const FIRST_ADMIN_EMAIL = 'admin@localhost';
/** The site a fresh install starts with, so publish and the SDK work at once. */
export const FIRST_SITE_KEY = 'demo';

/** Where the key file lives (see `keyFileLocation`): outside the data directory unless an older install put it there. */
export function keyFilePath(config: ServerConfig): string {
  return keyFileLocation(config.dataDir, config.dataKeyFile).path;
}

/** What the start banner says about the data key: where it comes from and, when it sits beside the data, what to do. */
export function dataKeyNotice(config: ServerConfig): string[] {
  if (config.dataKey !== undefined) return ['[candor] data key: from CANDOR_DATA_KEY'];
  if (config.secret !== undefined) return ['[candor] data key: derived from CANDOR_SECRET'];
  const location = keyFileLocation(config.dataDir, config.dataKeyFile);
  if (location.besideData) {
    return [
      `[candor] warning: the data key ${location.path} sits inside the data directory, so any copy of the directory`,
      '[candor]   opens every sealed value. Move it out (set CANDOR_DATA_KEY_FILE to its new place) or set CANDOR_DATA_KEY.',
    ];
  }
  return [
    `[candor] data key: ${location.path} (outside the data directory; back it up separately: without it, sealed`,
    '[candor]   values and signing keys cannot be opened). CANDOR_DATA_KEY keeps it off this disk entirely.',
  ];
}

/** Opens the configured database: PostgreSQL with `DATABASE_URL`, SQLite in the data directory otherwise. */
export function openConfiguredStorage(config: ServerConfig): Storage {
  return createStorage(
    config.databaseUrl === undefined
      ? openSqlite(join(config.dataDir, 'candor.db'))
      : openPostgres({ connectionString: config.databaseUrl }),
  );
}

/** Loads the data keys the config points at. */
export function configuredKeyring(config: ServerConfig): Keyring {
  return loadKeyring({
    ...(config.dataKey === undefined ? {} : { dataKey: config.dataKey }),
    previousDataKeys: config.previousDataKeys,
    ...(config.secret === undefined ? {} : { secret: config.secret }),
    previousSecrets: config.previousSecrets,
    keyFile: keyFilePath(config),
  });
}

/** Opens storage, migrates and builds the app (not listening): what `start` and the other CLI commands share. */
export async function openCandor(
  config: ServerConfig,
  logStream?: Writable,
): Promise<CandorApp & { storage: Storage }> {
  const storage = openConfiguredStorage(config);
  await storage.migrate();
  const built = await buildApp({
    config,
    storage,
    keyring: configuredKeyring(config),
    ...(logStream === undefined ? {} : { logStream }),
  });
  return { ...built, storage };
}

/** A running server. */
export interface RunningServer extends CandorApp {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts the server: migrate, create the first admin and site on a fresh install (printing the
 * one-time login), run retention on a timer, listen, print the URLs.
 */
export async function startServer(config: ServerConfig, out: Writable, logStream?: Writable): Promise<RunningServer> {
  const candor = await openCandor(config, logStream);
  const { app, context, storage } = candor;
  const print = (line: string): void => void out.write(`${line}\n`);
  if (config.databaseUrl !== undefined && config.secret === undefined && config.dataKey === undefined) {
    print(
      '[candor] warning: DATABASE_URL without CANDOR_DATA_KEY or CANDOR_SECRET: every node must share one data key; set one of them.',
    );
  }
  for (const line of dataKeyNotice(config)) print(line);
  if ((await storage.countUsers()) === 0) {
    const admin = await createAdmin(context, FIRST_ADMIN_EMAIL, 'owner');
    print('[candor] created the first admin (shown once; change it after signing in):');
    print(`[candor]   email:    ${FIRST_ADMIN_EMAIL}`);
    print(`[candor]   password: ${admin.password}`);
  }
  // On an empty database: the demo site, seeded and published (CANDOR_DEMO=off skips it).
  const demo = await ensureDemo(context, { publicUrl: config.publicUrl });
  if ((await storage.listSites()).length === 0) {
    await createSite(
      context,
      {
        siteKey: FIRST_SITE_KEY,
        name: 'Demo site',
        defaultLanguage: 'en',
        policyVersion: '1',
        explainDefaults: true,
        allowedOrigins: [config.publicUrl],
        ledgerRetentionDays: 365 * 3,
      },
      'system:bootstrap',
    );
  }
  // Background jobs, each on its own period (0 turns one off); a failed run is logged and retried next period.
  const every = (intervalMs: number, name: string, run: () => Promise<unknown>): NodeJS.Timeout | undefined => {
    if (intervalMs <= 0) return undefined;
    const timer = setInterval(() => {
      run().catch((error: unknown) => app.log.warn({ errorName: (error as Error).name }, `${name} run failed`));
    }, intervalMs);
    timer.unref();
    return timer;
  };
  // Daily partitions (opt-in, PostgreSQL): converted before the first report is accepted, then kept ahead.
  const partitioned = config.pgPartitions === 'daily' && storage.dialect === 'postgres';
  if (config.pgPartitions === 'daily' && !partitioned) {
    print('[candor] warning: CANDOR_PG_PARTITIONS=daily needs PostgreSQL (DATABASE_URL); SQLite stays unpartitioned.');
  }
  if (partitioned) {
    const run = await storage.maintainDailyPartitions(context.clock());
    if (run?.converted === true) print(`[candor] daily cells converted to day partitions (${run.created.length} days)`);
  }
  const timers = [
    every(config.retentionIntervalMs, 'retention', () => runRetention(context)),
    every(config.banditIntervalMs, 'bandit', () => runBandits(context)),
    every(config.seriesRollupIntervalMs, 'series rollup', () => runSeriesRollups(context)),
    every(partitioned ? config.partitionIntervalMs : 0, 'daily partitions', () =>
      storage.maintainDailyPartitions(context.clock()),
    ),
  ];
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = config.publicUrl.includes(`:${config.port}`)
    ? config.publicUrl.replace(`:${config.port}`, `:${port}`)
    : config.publicUrl;
  print(`[candor] listening on ${url} (${storage.dialect})`);
  print(`[candor]   dashboard:     ${url}/admin/  (sign in with the admin login above)`);
  print(`[candor]   API reference: ${url}/docs/`);
  print(`[candor]   snapshot:      ${url}/v1/sites/${FIRST_SITE_KEY}/snapshot`);
  print(`[candor]   trust page:    ${url}/privacy/${FIRST_SITE_KEY}`);
  if (demo.status === 'seeded' || demo.status === 'present') {
    print(`[candor]   demo site:     ${url}/demo/  (CANDOR_DEMO=off to skip)`);
  }
  print(`[candor]   health:        ${url}/healthz  ${url}/readyz  ${url}/metrics`);
  return {
    ...candor,
    url,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await app.close();
      await storage.close();
    },
  };
}
