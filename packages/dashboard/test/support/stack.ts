import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
// The server's own test harness (relative: its package root also loads the PostgreSQL driver, which
// this suite does not need); it signs in an owner, an editor and a viewer and creates site "shop".
import { loadConfig } from '@candor/server';
import { openSqlite } from '@candor/server';
import { createTestApp, TEST_PASSWORD, type TestApp } from '@candor/server/testing';

const PACKAGE = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A real Candor server on SQLite in a temp dir, serving a fresh dashboard build, with an owner's login. */
export interface Stack {
  readonly url: string;
  readonly email: string;
  readonly password: string;
  readonly server: TestApp;
  stop(): Promise<void>;
}

/** Builds the dashboard (as `npm run build -w @candor/dashboard` does) and starts the server on 127.0.0.1. */
export async function startStack(): Promise<Stack> {
  const temp = mkdtempSync(join(tmpdir(), 'candor-dashboard-e2e-'));
  const outDir = join(temp, 'dist');
  await build({
    root: PACKAGE,
    configFile: join(PACKAGE, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  const previous = process.env['CANDOR_DASHBOARD_DIR'];
  process.env['CANDOR_DASHBOARD_DIR'] = outDir;
  try {
    // Webhooks may target the test's own loopback receiver.
    const server = await createTestApp({
      handle: openSqlite(join(temp, 'candor.db')),
      config: loadConfig({ CANDOR_SCRYPT_LOG_N: '14', CANDOR_WEBHOOK_ALLOW_PRIVATE: '1', LOG_LEVEL: 'info' }),
    });
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const address = server.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return {
      url: `http://127.0.0.1:${port}`,
      email: 'owner@example.com',
      password: TEST_PASSWORD,
      server,
      async stop() {
        await server.close();
        rmSync(temp, { recursive: true, force: true });
      },
    };
  } finally {
    if (previous === undefined) delete process.env['CANDOR_DASHBOARD_DIR'];
    else process.env['CANDOR_DASHBOARD_DIR'] = previous;
  }
}
