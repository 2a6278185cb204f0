import { precompress, type Precompressed } from '../../http/precompressed.js';
import type { SiteRecord } from '../sites/store.js';
import type { Storage } from '../../storage/storage.js';
import type { SnapshotRecord } from './store.js';

/** A site's live snapshot, ready to serve. */
export interface LiveSnapshot {
  readonly site: SiteRecord;
  readonly snapshot: SnapshotRecord;
  readonly etag: string;
  /** The body as bytes, UTF-8 and compressed once per publish rather than once per request. */
  readonly body: Precompressed;
}

/** Keeps each site's live snapshot in memory; a publish (here or on another node) invalidates it. */
export interface SnapshotCache {
  /** The live snapshot, or undefined when the site has none (unknown key or never published). */
  live(siteKey: string): Promise<LiveSnapshot | { site: SiteRecord; snapshot: undefined } | undefined>;
  /** Drops a site's entry (`'*'` drops all); the next request reads the database. */
  invalidate(siteId: string): void;
}

/** The ETag of a snapshot: its version and signature, so any change of bytes changes it. */
export function snapshotEtag(snapshot: SnapshotRecord): string {
  return `"v${snapshot.version}-${snapshot.signature.slice(0, 16)}"`;
}

interface Entry {
  readonly value: LiveSnapshot | { site: SiteRecord; snapshot: undefined } | undefined;
  readonly at: number;
}

/**
 * Creates the cache. Entries also expire after `maxAgeMs` so a publish by a process that cannot
 * notify (the CLI against SQLite) is still served within that time.
 */
export function createSnapshotCache(storage: Storage, now: () => number, maxAgeMs = 1000): SnapshotCache {
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<{ value: Entry['value']; generation: number }>>();
  // Bumped by every invalidation: a load that started before one may finish after it, and its
  // (now stale) result must not be cached, or a node would serve the old version after a publish.
  let generation = 0;
  const load = async (siteKey: string): Promise<Entry['value']> => {
    const site = await storage.getSiteByKey(siteKey);
    if (site === undefined) return undefined;
    const snapshot = await storage.latestSnapshot(site.id);
    if (snapshot === undefined) return { site, snapshot: undefined };
    // Brotli 9, not 11: nearly as small, and fast enough that a large snapshot is served soon after publish.
    const body = await precompress(Buffer.from(snapshot.body, 'utf8'), { brotliQuality: 9 });
    return { site, snapshot, etag: snapshotEtag(snapshot), body };
  };
  return {
    async live(siteKey) {
      const entry = entries.get(siteKey);
      if (entry !== undefined && now() - entry.at < maxAgeMs) return entry.value;
      // One database read per site however many requests arrive at once.
      let loading = pending.get(siteKey);
      if (loading === undefined) {
        const started = generation;
        const current = load(siteKey)
          .then((value) => ({ value, generation: started }))
          .finally(() => {
            if (pending.get(siteKey) === current) pending.delete(siteKey);
          });
        loading = current;
        pending.set(siteKey, current);
      }
      const { value, generation: started } = await loading;
      if (started === generation) entries.set(siteKey, { value, at: now() });
      return value;
    },
    invalidate(siteId) {
      generation += 1;
      // Loads in flight may have read the old version: later requests start their own.
      pending.clear();
      for (const [key, entry] of entries) {
        if (siteId === '*' || entry.value?.site.id === siteId) entries.delete(key);
      }
    },
  };
}
