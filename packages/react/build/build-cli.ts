// `npm run build -w packages/react`: bundles into dist/esm and emits the type declarations.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildReact, REACT_DIR } from './build-react.js';

const result = await buildReact(join(REACT_DIR, 'dist'));
// The declarations refer to core's and the SDK's: build the referenced projects first (TS6305 otherwise).
execFileSync('npx', ['tsc', '-b', join(REACT_DIR, '../sdk')], { stdio: 'inherit' });
execFileSync(
  'npx',
  [
    'tsc',
    '-p',
    join(REACT_DIR, 'tsconfig.json'),
    '--outDir',
    join(REACT_DIR, 'dist/types'),
    '--tsBuildInfoFile',
    join(REACT_DIR, 'dist/types/.tsbuildinfo'),
  ],
  { stdio: 'inherit' },
);
process.stdout.write(
  `esm/index.js ${result.client.bytes} B (${result.client.gzip} B gzip)\nesm/server.js ${result.server.bytes} B (${result.server.gzip} B gzip)\n`,
);
