// `npm run build -w @candor/server`: compiles the server to JavaScript in dist/, so `npm start` and
// the `candor` bin run plain Node (no TypeScript loader at run time).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const SERVER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

interface PackageJson {
  readonly dependencies?: Record<string, string>;
}

/**
 * Bundles the CLI and the library entry. Candor's own workspace packages (core, stats, schema) are
 * compiled in from their TypeScript source; every third-party dependency stays an import resolved
 * from node_modules at run time, as it would be for any installed package (native modules such as
 * better-sqlite3 cannot be bundled). The output keeps the `src/` layout's depth (`dist/cli.js`
 * beside where `src/cli.ts` was), and assets are found from the package root, not from the file.
 */
export async function buildServer(outdir = join(SERVER_DIR, 'dist')): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(SERVER_DIR, 'package.json'), 'utf8')) as PackageJson;
  await build({
    absWorkingDir: SERVER_DIR,
    entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' },
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@candor/source'],
    external: Object.keys(manifest.dependencies ?? {}),
    sourcemap: true,
    logLevel: 'warning',
  });
}
