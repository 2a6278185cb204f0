// `npm run build -w @candor/node`: bundles each entry into dist/ (core inlined, so the package runs
// without a build of core) and emits the type declarations.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const NODE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(NODE_DIR, 'src/index.ts'), join(NODE_DIR, 'src/file-cache.ts')],
  outdir: join(NODE_DIR, 'dist'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  conditions: ['@candor/source'],
  // The one runtime dependency stays a dependency; `node:*` appears only in the file-cache entry.
  external: ['eventsource-parser', 'node:*'],
  logLevel: 'warning',
});
execFileSync('npx', ['tsc', '-b', join(NODE_DIR, '../core')], { stdio: 'inherit' });
execFileSync(
  'npx',
  [
    'tsc',
    '-p',
    join(NODE_DIR, 'tsconfig.json'),
    '--outDir',
    join(NODE_DIR, 'dist/types'),
    '--tsBuildInfoFile',
    join(NODE_DIR, 'dist/types/.tsbuildinfo'),
  ],
  { stdio: 'inherit' },
);
process.stdout.write('@candor/node: dist/index.js, dist/file-cache.js\n');
