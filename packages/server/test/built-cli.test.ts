import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll, REPO_ROOT } from '../../../scripts/build.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'candor-built-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the compiled server, as npm start and the candor bin run it', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/server/package.json'), 'utf8')) as {
    bin: { candor: string };
  };
  const bin = join(REPO_ROOT, 'packages/server', manifest.bin.candor);

  beforeAll(() => {
    buildAll({ quiet: true });
  }, 120_000);

  it('is what the package declares as its bin, and runs on plain Node with no TypeScript loader', async () => {
    const source = readFileSync(bin, 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const clean = join(dir, 'clean.json');
    writeFileSync(clean, JSON.stringify({ purposes: [], fields: [], audiences: [], experiences: [], metrics: [] }));
    // No --import, no --conditions, and NODE_OPTIONS cleared: only what a deployment has.
    const { stdout } = await run(process.execPath, [bin, 'lint', clean], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', NODE_OPTIONS: '' },
    });
    expect(stdout).toBe('0 finding(s)\n');
  }, 60_000);

  it('says it is up to date when nothing changed, so npm start does not rebuild', () => {
    expect(buildAll({ quiet: true })).toEqual([]);
  }, 60_000);
});
