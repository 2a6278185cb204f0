import { build, type BuildOptions } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The package root (packages/react). */
export const REACT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One built entry: its size and gzip size (level 9, as the SDK's budget measures). */
export interface BuiltEntry {
  readonly file: string;
  readonly bytes: number;
  readonly gzip: number;
}

const shared: BuildOptions = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  conditions: ['@candor/source'],
  // React is the app's; the SDK and core are packages of their own (the SDK brings its lazy UI chunk).
  external: ['react', 'react/jsx-runtime', 'react-dom', '@candor/sdk', '@candor/core'],
  legalComments: 'none',
  logLevel: 'silent',
};

function measure(file: string): BuiltEntry {
  const bytes = readFileSync(file);
  return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/**
 * Builds `esm/index.js` (client components; the entry's 'use client' survives bundling, so a React
 * Server Components bundler treats the import as the client boundary) and `esm/server.js`
 * (server-safe helpers) into `outDir`.
 */
export async function buildReact(
  outDir: string,
): Promise<{ readonly client: BuiltEntry; readonly server: BuiltEntry }> {
  const client = join(outDir, 'esm/index.js');
  const server = join(outDir, 'esm/server.js');
  await Promise.all([
    build({
      ...shared,
      entryPoints: [join(REACT_DIR, 'src/index.ts')],
      outfile: client,
    }),
    build({ ...shared, entryPoints: [join(REACT_DIR, 'src/server.ts')], outfile: server }),
  ]);
  return { client: measure(client), server: measure(server) };
}
