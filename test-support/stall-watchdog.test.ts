import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { STALL_EXIT_CODE } from './stall-watchdog.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'candor-stall-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('ends a run whose worker wedged, naming the file and listing what never finished', async () => {
  const report = join(dir, 'unfinished.txt');
  const vitest = join(import.meta.dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');
  const config = join(import.meta.dirname, 'stall-fixture', 'vitest.fixture.config.ts');
  const outcome = await run(process.execPath, [vitest, 'run', '--config', config], {
    cwd: join(import.meta.dirname, 'stall-fixture'),
    env: { ...process.env, CANDOR_TEST_STALL_MS: '2000', CANDOR_TEST_STALL_REPORT: report, CI: 'true' },
    timeout: 60_000,
  }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
  expect(outcome.code).toBe(STALL_EXIT_CODE);
  expect(outcome.stderr).toContain('STALLED');
  expect(outcome.stderr).toMatch(/wedged\.fixture\.ts \(running for \d+ s\)/);
  expect(readFileSync(report, 'utf8').trim().split('\n')).toEqual(['wedged.fixture.ts']);
}, 60_000);
