import { build, type BuildOptions, type BuildResult as EsbuildResult } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The package root (packages/sdk). */
export const SDK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Gzip budgets from issue 4 (bytes, gzip level 9). */
export const BUDGETS = { head: 8 * 1024, ui: 15 * 1024, editor: 24 * 1024 } as const;

/** One built bundle: its size, gzip size (level 9) and the source files that put bytes in it. */
export interface BuiltFile {
  readonly file: string;
  readonly bytes: number;
  readonly gzip: number;
  readonly inputs: readonly string[];
}

/** The built files and their gzip sizes. */
export interface BuildResult {
  readonly head: BuiltFile;
  readonly ui: BuiltFile;
  /** `candor-consent.js`: the consent-source adapters, loaded only where a page declares one. */
  readonly consent: BuiltFile;
  /** `candor-editor.js`: the marketers' visual editor, loaded only for a `#candor-editor=` link. */
  readonly editor: BuiltFile;
  readonly esmDir: string;
}

const shared: BuildOptions = {
  bundle: true,
  minify: true,
  // Every evergreen browser runs ES2022; a lower target only adds helper bytes to the head.
  target: 'es2022',
  conditions: ['@candor/source'],
  legalComments: 'none',
  logLevel: 'silent',
  // Dev-only checks would go behind this flag; the shipped bundles never carry them.
  define: { 'process.env.NODE_ENV': '"production"', __CANDOR_DEV__: 'false' },
};

function measure(file: string, result: EsbuildResult): BuiltFile {
  const bytes = readFileSync(file);
  const outputs = Object.values(result.metafile?.outputs ?? {});
  const inputs = outputs.flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
  return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, inputs };
}

/**
 * Builds `candor.js` (the `<head>` part, IIFE), `candor-ui.js` (the lazy visitor UI, IIFE),
 * `candor-consent.js` (the lazy consent-source adapters, IIFE), `candor-editor.js` (the visual editor, IIFE) and the ESM build with the UI as a split chunk, into `outDir`.
 */
export async function buildSdk(outDir: string): Promise<BuildResult> {
  const head = join(outDir, 'candor.js');
  const ui = join(outDir, 'candor-ui.js');
  const consent = join(outDir, 'candor-consent.js');
  const editor = join(outDir, 'candor-editor.js');
  const esmDir = join(outDir, 'esm');
  const [headBuild, uiBuild, consentBuild, editorBuild] = await Promise.all([
    build({ ...shared, entryPoints: [join(SDK_DIR, 'src/boot.ts')], format: 'iife', outfile: head, metafile: true }),
    build({ ...shared, entryPoints: [join(SDK_DIR, 'src/ui-entry.ts')], format: 'iife', outfile: ui, metafile: true }),
    build({
      ...shared,
      entryPoints: [join(SDK_DIR, 'src/consent-sources-entry.ts')],
      format: 'iife',
      outfile: consent,
      metafile: true,
    }),
    build({
      ...shared,
      entryPoints: [join(SDK_DIR, 'src/editor-entry.ts')],
      format: 'iife',
      outfile: editor,
      metafile: true,
    }),
    build({
      ...shared,
      entryPoints: [join(SDK_DIR, 'src/index.ts')],
      format: 'esm',
      splitting: true,
      outdir: esmDir,
    }),
  ]);
  return {
    head: measure(head, headBuild),
    ui: measure(ui, uiBuild),
    consent: measure(consent, consentBuild as EsbuildResult),
    editor: measure(editor, editorBuild as EsbuildResult),
    esmDir,
  };
}

/** The gzip size of GrowthBook's browser SDK for a typical import, built the same way. */
export async function growthbookGzip(): Promise<number | undefined> {
  try {
    const result = await build({
      ...shared,
      stdin: {
        contents: "import { GrowthBook } from '@growthbook/growthbook'; window.gb = new GrowthBook({});",
        resolveDir: SDK_DIR,
        loader: 'ts',
      },
      format: 'iife',
      write: false,
    });
    const output = result.outputFiles?.[0];
    return output ? gzipSync(output.contents, { level: 9 }).length : undefined;
  } catch {
    return undefined;
  }
}
