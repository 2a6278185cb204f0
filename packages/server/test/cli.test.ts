import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROLE_FIELD } from '../src/testing/fixtures.js';
import { TEST_SITE } from '../src/testing/test-app.js';
import { openInstallStorage, prepareInstall } from './support/prepare-install.js';
import { REPO_ROOT } from './support/spawn-server.js';

const run = promisify(execFile);
const CLI = resolve(REPO_ROOT, 'packages/server/src/cli.ts');
const dir = mkdtempSync(join(tmpdir(), 'candor-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function candor(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--conditions=@candor/source', '--import', 'tsx', CLI, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

describe('candor CLI', () => {
  it('lints a draft file: exit 0 when clean, 1 with the findings when a sensitive field is used', async () => {
    const clean = join(dir, 'clean.json');
    writeFileSync(clean, JSON.stringify({ purposes: [], fields: [], audiences: [], experiences: [], metrics: [] }));
    expect((await candor(['lint', clean])).code).toBe(0);
    const creepy = join(dir, 'creepy.json');
    const purposes = [{ id: 'personalization', class: 'behavioural', legalBasis: 'consent' }];
    writeFileSync(
      creepy,
      JSON.stringify({
        purposes,
        fields: [{ ...ROLE_FIELD, key: 'religion', category: 'S.religion_belief' }],
        audiences: [],
        experiences: [],
        metrics: [],
      }),
    );
    const result = await candor(['lint', creepy]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('field_sensitive_category@field:religion');
  }, 30_000);

  it('rotates the key file, drops the old key, and the re-sealed signing key still signs a publish', async () => {
    const env = { CANDOR_DATA_DIR: join(dir, 'install') };
    await prepareInstall(env, { publish: true });
    const before = JSON.parse(readFileSync(`${env.CANDOR_DATA_DIR}.key`, 'utf8')) as { current: string };
    const rotated = await candor(['rotate-key'], env);
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ signingKeys: 1 });
    const after = JSON.parse(readFileSync(`${env.CANDOR_DATA_DIR}.key`, 'utf8')) as {
      current: string;
      previous: string[];
    };
    expect(after.current).not.toBe(before.current);
    expect(after.previous).toEqual([]);
    const published = await candor(['publish', TEST_SITE.siteKey], env);
    expect(published.stdout).toContain('published shop v2');
    const { storage, close } = await openInstallStorage(env);
    expect((await storage.listSnapshotVersions((await storage.getSiteByKey('shop'))!.id)).length).toBe(2);
    await close();
    expect((await candor(['retention', 'run'], env)).code).toBe(0);
    expect((await candor(['nonsense'])).code).toBe(2);
  }, 60_000);
});
