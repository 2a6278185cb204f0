import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * Builds the dashboard SPA from source into `<dir>/dashboard` and points servers started afterwards
 * at it (`CANDOR_DASHBOARD_DIR`), so a browser suite drives the dashboard of this checkout, not a
 * stale build. Returns the output directory; the caller removes `dir` and unsets the variable.
 */
export async function buildDashboardInto(dir: string): Promise<string> {
  const outDir = join(dir, 'dashboard');
  await build({
    root: join(ROOT, 'packages', 'dashboard'),
    configFile: join(ROOT, 'packages', 'dashboard', 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  process.env['CANDOR_DASHBOARD_DIR'] = outDir;
  return outDir;
}
