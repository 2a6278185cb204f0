// Bundle a benchmark entry to plain JavaScript, as users run Candor (tsx's dev transform adds
// helpers that would otherwise be timed). Usage: node bench/build.mjs <entry.ts> <out.mjs>
import { build } from 'esbuild';

const [entry, outfile] = process.argv.slice(2);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@candor/source'],
  // Peers and tools stay packages; Candor is bundled from source, as the decide bench always did.
  external: ['@growthbook/growthbook', 'fastify', 'autocannon'],
  logLevel: 'warning',
});
