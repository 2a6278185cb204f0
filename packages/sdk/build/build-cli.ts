// `npm run build -w packages/sdk`: bundles into dist/ and emits the type declarations.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSdk, SDK_DIR } from './build-sdk.js';

const result = await buildSdk(join(SDK_DIR, 'dist'));
// The declarations refer to core's: build the referenced project first, or a fresh clone (where no
// type check has run yet) fails with TS6305.
execFileSync('npx', ['tsc', '-b', join(SDK_DIR, '../core')], { stdio: 'inherit' });
execFileSync(
  'npx',
  [
    'tsc',
    '-p',
    join(SDK_DIR, 'tsconfig.json'),
    '--outDir',
    join(SDK_DIR, 'dist/types'),
    '--tsBuildInfoFile',
    join(SDK_DIR, 'dist/types/.tsbuildinfo'),
  ],
  { stdio: 'inherit' },
);
process.stdout.write(
  `candor.js ${result.head.bytes} B (${result.head.gzip} B gzip)\ncandor-ui.js ${result.ui.bytes} B (${result.ui.gzip} B gzip)\ncandor-editor.js ${result.editor.bytes} B (${result.editor.gzip} B gzip)\n`,
);
