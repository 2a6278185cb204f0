import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildAll } from '../../scripts/build.js';

/** The repository root: `npm start` runs from there. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The storage a journey runs on: the embedded default, or PostgreSQL through DATABASE_URL. */
export type Dialect = 'sqlite' | 'postgres';

/** The PostgreSQL server journeys use, or undefined; under `CI=true` a missing one fails, never skips. */
export function journeyPostgresUrl(): string | undefined {
  const url = process.env['CANDOR_TEST_PG_URL'];
  if (url === undefined || url === '') {
    if (process.env['CI'] === 'true')
      throw new Error(
        'CI=true but CANDOR_TEST_PG_URL is unset: the PostgreSQL journeys may not skip in CI (.ci/run sets it).',
      );
    return undefined;
  }
  return url;
}

/** Why the PostgreSQL journeys skip outside CI. */
export const PG_SKIP_REASON =
  'CANDOR_TEST_PG_URL is unset; set it to postgres://postgres@127.0.0.1:5432/test (CI fails instead of skipping)';

/**
 * Makes sure what `npm start` runs (SDK bundles, dashboard, the compiled server) exists and is not
 * older than its sources, with the same staleness rule as `npm run build`: CI builds before the
 * tests, and a developer who edited the SDK or the server gets a fresh build rather than a journey
 * through yesterday's.
 */
export function ensureBundles(): void {
  try {
    buildAll({ quiet: true });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `npm run build failed, so there is nothing to start; fix the build first:\n${`${stdout}\n${stderr}`.slice(-3000)}`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

/** A fresh PostgreSQL schema for one server, reached through `search_path` in DATABASE_URL. */
async function freshSchema(url: string): Promise<{ databaseUrl: string; drop: () => Promise<void> }> {
  const schema = `candor_journey_${randomBytes(5).toString('hex')}`;
  const query = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await query(`create schema ${schema}`);
  const separator = url.includes('?') ? '&' : '?';
  return {
    databaseUrl: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: () => query(`drop schema if exists ${schema} cascade`),
  };
}

/** What a newcomer reads in the start banner. */
export interface Banner {
  readonly text: string;
  readonly url: string;
  readonly email: string;
  readonly password: string;
  readonly demoUrl: string;
  /** The dashboard URL when the banner prints it (issue 10 asks that it does). */
  readonly adminUrl: string | undefined;
}

/** `candor start` running in its own process, as `npm start` runs it. */
export interface CandorProcess {
  readonly dialect: Dialect;
  readonly banner: Banner;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Reads the start banner as a person would: the one-time login and the URLs. */
export function readBanner(text: string): Banner {
  const find = (pattern: RegExp): string | undefined => pattern.exec(text)?.[1];
  const url = find(/listening on (http:\/\/\S+)/);
  const email = find(/email:\s+(\S+)/);
  const password = find(/password:\s+(\S+)/);
  const demoUrl = find(/demo site:\s+(\S+)/);
  if (url === undefined || email === undefined || password === undefined || demoUrl === undefined)
    throw new Error(`The start banner lacks the URL, the one-time login or the demo URL:\n${text}`);
  return { text, url, email, password, demoUrl, adminUrl: find(/(http:\/\/\S+\/admin\/?)(?:\s|$)/) };
}

/**
 * Starts the real server the way `npm start` does (`node packages/server/dist/cli.js start`, after
 * `ensureBundles`) on a fresh data directory and a free port, with nothing but the
 * environment a fresh clone has (plus DATABASE_URL on PostgreSQL), and waits for its banner.
 */
export async function startCandor(dialect: Dialect): Promise<CandorProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `candor-journey-${dialect}-`));
  const port = await freePort();
  let database: { databaseUrl: string; drop: () => Promise<void> } | undefined;
  if (dialect === 'postgres') {
    const url = journeyPostgresUrl();
    if (url === undefined) throw new Error(PG_SKIP_REASON);
    database = await freshSchema(url);
  }
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? tmpdir(),
    PORT: String(port),
    CANDOR_DATA_DIR: dataDir,
    // Only warnings, so the banner is easy to read in a failure message; the banner itself is not a log line.
    LOG_LEVEL: 'warn',
    ...(database === undefined ? {} : { DATABASE_URL: database.databaseUrl }),
  };
  const child: ChildProcess = spawn(
    process.execPath,
    // Plain Node on the compiled server, as `npm start` and the `candor` bin run it: no TypeScript loader.
    ['packages/server/dist/cli.js', 'start'],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const cleanup = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    // The data key may live beside the data directory rather than in it.
    rmSync(`${dataDir}.key`, { force: true });
  };
  try {
    await new Promise<void>((done, fail) => {
      // The health line is the last one the banner prints.
      const check = (): void => {
        if (/listening on/.test(output) && /health:/.test(output)) done();
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => fail(new Error(`candor start exited with ${String(code)}:\n${output}`)));
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { dialect, banner: readBanner(output), output: () => output, stop: cleanup };
}
