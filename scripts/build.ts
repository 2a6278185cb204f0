// `npm run build`: builds what `npm start` runs (the SDK bundles, the dashboard, the server) and
// the published packages' dist (core, node, react), skipping each part whose output is newer than
// everything it is built from. `--force` builds all.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** One part `npm start` needs: its workspace, the file its build writes last, what it is built from. */
interface BuildTarget {
  readonly workspace:
    '@candor/core' | '@candor/sdk' | '@candor/react' | '@candor/node' | '@candor/dashboard' | '@candor/server';
  readonly output: string;
  readonly inputs: readonly string[];
}

// Every target also depends on the lock file: a changed dependency is a changed build.
// Core first: @candor/node's and @candor/react's declarations import its types, so a user app that
// installs them type-checks only against a built core (ESM + .d.ts; in-repo code uses its source).
export const BUILD_TARGETS: readonly BuildTarget[] = [
  {
    workspace: '@candor/core',
    output: 'packages/core/dist/index.js',
    inputs: ['packages/core/src', 'packages/core/tsconfig.json'],
  },
  {
    workspace: '@candor/sdk',
    output: 'packages/sdk/dist/candor.js',
    inputs: ['packages/sdk/src', 'packages/sdk/build', 'packages/core/src'],
  },
  {
    workspace: '@candor/react',
    output: 'packages/react/dist/esm/index.js',
    inputs: ['packages/react/src', 'packages/react/build', 'packages/sdk/src', 'packages/core/src'],
  },
  {
    workspace: '@candor/node',
    output: 'packages/node/dist/index.js',
    inputs: ['packages/node/src', 'packages/node/build', 'packages/core/src'],
  },
  {
    workspace: '@candor/dashboard',
    output: 'packages/dashboard/dist/index.html',
    inputs: [
      'packages/dashboard/src',
      'packages/dashboard/index.html',
      'packages/dashboard/vite.config.ts',
      'packages/core/src',
      'packages/schema/src',
    ],
  },
  {
    workspace: '@candor/server',
    output: 'packages/server/dist/cli.js',
    inputs: [
      'packages/server/src',
      'packages/server/build',
      'packages/server/package.json',
      'packages/core/src',
      'packages/stats/src',
      'packages/schema/src',
    ],
  },
];

/** The newest modification time under `path`, ignoring tests (they are not part of any build). */
function newestInput(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestInput(join(path, entry)));
  return newest;
}

/** Whether a target must be built: no output yet, or an input changed after it was written. */
export function isStale(target: BuildTarget, root: string = REPO_ROOT): boolean {
  const output = join(root, target.output);
  if (!existsSync(output)) return true;
  const builtAt = statSync(output).mtimeMs;
  return [...target.inputs, 'package-lock.json'].some((input) => newestInput(join(root, input)) > builtAt);
}

/** Builds every stale target (or all with `force`), in order; returns the workspaces it built. */
export function buildAll(options: { force?: boolean; root?: string; quiet?: boolean } = {}): string[] {
  const root = options.root ?? REPO_ROOT;
  const built: string[] = [];
  for (const target of BUILD_TARGETS) {
    if (options.force !== true && !isStale(target, root)) continue;
    execFileSync('npm', ['run', 'build', '-w', target.workspace], {
      cwd: root,
      stdio: options.quiet === true ? 'pipe' : 'inherit',
      encoding: 'utf8',
    });
    built.push(target.workspace);
  }
  return built;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = buildAll({ force: process.argv.includes('--force') });
  process.stdout.write(built.length === 0 ? 'build: everything is up to date\n' : `build: built ${built.join(', ')}\n`);
}
