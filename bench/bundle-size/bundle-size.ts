/**
 * Gzip sizes of @candor/react beside @growthbook/growthbook-react and @openfeature/web-sdk, each built
 * the same way: every export of the package's entry bundled by esbuild (minified, ESM, es2022, for
 * the browser, React left external as the page brings it), then gzip level 9.
 *
 *   npm run -w bench bench:bundle-size
 *
 * "Up front" is what a page loads first; Candor's explanation/preference UI is a separate chunk
 * (code splitting, loaded on "Why?"), counted in "total".
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const PACKAGES = ['@candor/react', '@growthbook/growthbook-react', '@openfeature/web-sdk'] as const;

const gzip = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;

async function measure(name: string): Promise<{ name: string; upFront: number; total: number; raw: number }> {
  const directory = await mkdtemp(join(tmpdir(), 'candor-bundle-size-'));
  try {
    const entry = join(directory, 'entry.js');
    await writeFile(entry, `export * from '${name}';\n`);
    await build({
      entryPoints: [entry],
      outdir: join(directory, 'out'),
      bundle: true,
      splitting: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      // Workspace packages build from source, as their own release builds do.
      conditions: ['@candor/source'],
      define: { __CANDOR_DEV__: 'false', 'process.env.NODE_ENV': '"production"' },
      external: ['react', 'react-dom', 'react/jsx-runtime'],
      nodePaths: [join(process.cwd(), 'node_modules'), join(process.cwd(), '..', 'node_modules')],
      absWorkingDir: process.cwd(),
      logLevel: 'silent',
    });
    const files = await readdir(join(directory, 'out'));
    let total = 0;
    let raw = 0;
    for (const file of files) {
      const bytes = await readFile(join(directory, 'out', file));
      total += gzip(bytes);
      raw += bytes.length;
    }
    const upFront = gzip(await readFile(join(directory, 'out', 'entry.js')));
    return { name, upFront, total, raw };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const results = [];
for (const name of PACKAGES) results.push(await measure(name));
const candor = results[0]!;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
process.stdout.write(
  [
    `esbuild minify, es2022, React external; gzip -9; Node ${process.version}`,
    '',
    '| package | up front (gzip) | total (gzip) | total (minified) | Candor up front vs it |',
    '|---|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${kb(r.upFront)} | ${kb(r.total)} | ${kb(r.raw)} | ${(candor.upFront / r.upFront).toFixed(2)}x |`,
    ),
    '',
  ].join('\n'),
);
