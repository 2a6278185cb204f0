// The one node-only module of @candor/node (its own entry, `@candor/node/file-cache`), so edge
// bundles that import the package root never pull in `node:fs`.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SnapshotCache } from './snapshot-cache.js';
import type { SignedSnapshotBytes } from './snapshot-source.js';

/**
 * Keeps the last good snapshot in a file, so a process that starts while the Candor server is down
 * still decides from it. Written atomically (temporary file, then rename).
 *
 * @example createCandorClient({ serverUrl, siteKey, cache: fileSnapshotCache('/var/cache/candor/shop.json') })
 */
export function fileSnapshotCache(path: string): SnapshotCache {
  return {
    async read() {
      try {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<SignedSnapshotBytes> | null;
        if (typeof parsed?.body !== 'string' || typeof parsed.signature !== 'string') return undefined;
        return {
          body: parsed.body,
          signature: parsed.signature,
          etag: typeof parsed.etag === 'string' ? parsed.etag : null,
        };
      } catch {
        return undefined;
      }
    },
    async write(bytes) {
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${Date.now()}.tmp`;
      await writeFile(temporary, JSON.stringify(bytes), 'utf8');
      await rename(temporary, path);
    },
  };
}
