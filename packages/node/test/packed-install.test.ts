// Issue 14 item 5: @candor/node's declarations import types from @candor/core, so an app that
// installs the two published tarballs must type-check against core's built dist, not its source.
// Builds and packs both (no network), unpacks them into a tiny app's node_modules and runs tsc with
// skipLibCheck off: an unresolved `@candor/core` would otherwise pass silently as `any`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'candor-packed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (command: string, args: readonly string[], cwd: string): string =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', timeout: 240_000 });

const APP = `import { createCandorClient, type RequestDecisions } from '@candor/node';
import type { Decision, DecisionReason } from '@candor/core';

const candor = createCandorClient({ serverUrl: 'https://candor.example', siteKey: 'shop' });

export async function hero(request: Request): Promise<string | undefined> {
  const { decisions }: RequestDecisions = await candor.decide(request, { slots: ['hero'] });
  const first: Decision | undefined = decisions[0];
  // Proves the types are real, not \`any\`: a reason outside core's closed union is refused.
  // @ts-expect-error not a DecisionReason
  const wrong: DecisionReason = 'NOT_A_REASON';
  void wrong;
  return first?.variant?.id;
}
`;

describe('the published @candor/core and @candor/node', { timeout: 300_000 }, () => {
  it('type-check in an app that installs their tarballs', () => {
    run('npm', ['run', 'build', '-w', '@candor/core', '-w', '@candor/node'], ROOT);
    const packs = join(work, 'packs');
    mkdirSync(packs);
    run('npm', ['pack', '--pack-destination', packs, '-w', '@candor/core', '-w', '@candor/node'], ROOT);
    const tarballs = readdirSync(packs).sort();
    expect(tarballs).toEqual(['candor-core-0.1.0.tgz', 'candor-node-0.1.0.tgz']);

    const app = join(work, 'app');
    for (const [name, tarball] of [
      ['core', 'candor-core-0.1.0.tgz'],
      ['node', 'candor-node-0.1.0.tgz'],
    ] as const) {
      const into = join(app, 'node_modules/@candor', name);
      mkdirSync(into, { recursive: true });
      run('tar', ['-xzf', join(packs, tarball), '-C', into, '--strip-components=1'], app);
    }
    // @candor/node's one runtime dependency, as npm would install it.
    run('cp', ['-r', join(ROOT, 'node_modules/eventsource-parser'), join(app, 'node_modules/')], app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM'],
          types: [],
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          noEmit: true,
        },
        files: ['app.ts'],
      }),
    );
    writeFileSync(join(app, 'app.ts'), APP);
    let output = '';
    try {
      output = run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], app);
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  });
});
