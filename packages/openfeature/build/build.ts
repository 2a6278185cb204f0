// `npm run build -w @candor/openfeature`: an ESM bundle in dist/ and its type declarations. OpenFeature's
// SDK stays external (the site brings its own, one instance per page); core's reason mapping is bundled.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(PACKAGE_DIR, 'src/index.ts')],
  outfile: join(PACKAGE_DIR, 'dist/index.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['@candor/source'],
  external: ['@openfeature/web-sdk', '@openfeature/core'],
  logLevel: 'warning',
});
// The server provider: @candor/node stays a dependency (its own verified-snapshot client, one per process).
await build({
  entryPoints: [join(PACKAGE_DIR, 'src/server.ts')],
  outfile: join(PACKAGE_DIR, 'dist/server.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  conditions: ['@candor/source'],
  external: ['@openfeature/server-sdk', '@openfeature/core', '@candor/node'],
  logLevel: 'warning',
});
execFileSync(
  'npx',
  [
    'tsc',
    '-p',
    join(PACKAGE_DIR, 'tsconfig.json'),
    '--outDir',
    join(PACKAGE_DIR, 'dist/types'),
    '--tsBuildInfoFile',
    join(PACKAGE_DIR, 'dist/types/.tsbuildinfo'),
  ],
  { stdio: 'inherit' },
);
process.stdout.write('openfeature: dist/index.js, dist/server.js, dist/types\n');
