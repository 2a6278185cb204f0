// Start-up time to a ready server: `candor start` compiled (what `npm start` and the bin run) beside
// the same server through the TypeScript loader (what `npm start` ran before). Each run starts a
// process on an existing data directory (a restart, the common case in a deployment) and polls
// /readyz every 10 ms until it answers 200. Runs alternate, so a busy machine slows both alike.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, REPO_ROOT } from '../../scripts/build.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);

const VARIANTS = {
  compiled: ['packages/server/dist/cli.js', 'start'],
  'tsx (before)': ['--conditions=@candor/source', '--import', 'tsx', 'packages/server/src/cli.ts', 'start'],
} as const;

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Milliseconds from spawn to the first 200 from /readyz; the process is stopped afterwards. */
async function timeToReady(args: readonly string[], dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', PORT: String(port), CANDOR_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (performance.now() - started > 60_000) throw new Error(`not ready within 60 s: ${args.join(' ')}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) return performance.now() - started;
      await new Promise((done) => setTimeout(done, 10));
    }
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

buildAll({ quiet: true });
const dataDir = mkdtempSync(join(tmpdir(), 'candor-startup-'));
try {
  // The first start creates the database, the admin and the demo: not what is measured.
  await timeToReady(VARIANTS.compiled, dataDir);
  const times: Record<keyof typeof VARIANTS, number[]> = { compiled: [], 'tsx (before)': [] };
  for (let run = 0; run < RUNS; run++)
    for (const name of Object.keys(VARIANTS) as (keyof typeof VARIANTS)[])
      times[name].push(await timeToReady(VARIANTS[name], dataDir));
  const compiled = median(times.compiled);
  for (const name of Object.keys(times) as (keyof typeof VARIANTS)[]) {
    const value = median(times[name]);
    process.stdout.write(
      `${name.padEnd(14)} median ${value.toFixed(0).padStart(5)} ms to /readyz  (${RUNS} runs; ${(value / compiled).toFixed(2)}x compiled)\n`,
    );
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}.key`, { force: true });
}
