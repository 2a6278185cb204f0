import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server package's own folder, found by walking up from the running file to the package.json
 * named `@candor/server`. The same code runs from `src/` (tests, tsx) and bundled into `dist/`
 * (`npm start`, the `candor` bin), so assets are located from the package root, never by counting
 * `../` from a file whose depth depends on how it was built.
 */
export function serverPackageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === '@candor/server'
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`No @candor/server package.json above ${fileURLToPath(from)}: run Candor from its package.`);
    dir = parent;
  }
}

/** A folder of the repository the server package lives in (the SDK and dashboard builds, the demo). */
export function besideServer(...segments: string[]): string {
  return join(serverPackageRoot(), '..', ...segments);
}
