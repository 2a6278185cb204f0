import { LRUCache } from 'lru-cache';
import { liveSnapshotCacheHeaders } from '../../http/cdn-cache.js';
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
  /** The response headers, built once per cached snapshot rather than once per request. */
  readonly headers: LiveSnapshotHeaders;
}

type Headers = Readonly<Record<string, string>>;

/**
 * The live snapshot route's headers. A 304 carries what guides caches (ETag, caching, surrogate
 * keys) but not the signature, key id or version: they describe the body, which a 304 does not
 * resend; a cache keeps the stored ones (RFC 9111 §4.3.4) and both SDKs reuse their verified copy.
 * Profiling the 304 under load put about half its busy time in writing header bytes to the socket.
 */
export interface LiveSnapshotHeaders {
  readonly notModified: Headers;
  readonly ok: Headers;
}

/** Built once per cached snapshot: ETag and caching (http/cdn-cache.ts); the 200 adds the body's metadata. */
export function liveSnapshotHeaders(siteKey: string, snapshot: SnapshotRecord): LiveSnapshotHeaders {
  const notModified = { etag: snapshotEtag(snapshot), ...liveSnapshotCacheHeaders(siteKey) };
  return {
    notModified,
    ok: {
      ...notModified,
      'candor-signature': snapshot.signature,
      'candor-key-id': snapshot.keyId,
      'candor-snapshot-version': String(snapshot.version),
      'content-type': 'application/json; charset=utf-8',
    },
  };
}

/** Keeps each site's live snapshot in memory; a publish (here or on another node) invalidates it. */
export interface SnapshotCache {
  /** The live snapshot, or undefined when the site has none (unknown key or never published). */
  live(siteKey: string): Promise<LiveSnapshot | { site: SiteRecord; snapshot: undefined } | undefined>;
  /** Drops a site's entry (`'*'` drops all); the next request reads the database. */
  invalidate(siteId: string): void;
  /** Calls `listener` after each invalidation (a site id, or `'*'`); returns the way to stop. */
  onChange(listener: (siteId: string) => void): () => void;
  /** How many entries are held: real sites, and keys that named no site. */
  size(): { readonly sites: number; readonly unknown: number };
}

/** How many entries the cache holds at most; the least recently used go first. */
export interface SnapshotCacheLimits {
  /** Keys of real sites (published or not). */
  readonly sites: number;
  /** Keys that named no site: anyone can send any number of them, so they get a small cache of their own. */
  readonly unknown: number;
}

/** Room for every site of a large installation; 1,000 unknown keys cost about 200 KB. */
export const DEFAULT_SNAPSHOT_CACHE_LIMITS: SnapshotCacheLimits = { sites: 10_000, unknown: 1_000 };

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
export function createSnapshotCache(
  storage: Storage,
  now: () => number,
  maxAgeMs = 1000,
  limits: SnapshotCacheLimits = DEFAULT_SNAPSHOT_CACHE_LIMITS,
): SnapshotCache {
  // Unknown keys live apart from real sites: a flood of made-up keys (once ~40 MB per 200k, kept
  // forever) evicts only other made-up keys, never a site's snapshot, and each expires after maxAgeMs.
  const entries = new LRUCache<string, Entry>({ max: limits.sites });
  const unknown = new LRUCache<string, Entry>({ max: limits.unknown });
  const cached = (siteKey: string): Entry | undefined => entries.get(siteKey) ?? unknown.get(siteKey);
  const pending = new Map<string, Promise<{ value: Entry['value']; generation: number }>>();
  // Bumped by every invalidation: a load that started before one may finish after it, and its
  // (now stale) result must not be cached, or a node would serve the old version after a publish.
  let generation = 0;
  const listeners = new Set<(siteId: string) => void>();
  const load = async (siteKey: string): Promise<Entry['value']> => {
    const site = await storage.getSiteByKey(siteKey);
    if (site === undefined) return undefined;
    const snapshot = await storage.latestSnapshot(site.id);
    if (snapshot === undefined) return { site, snapshot: undefined };
    // Brotli 9, not 11: nearly as small, and fast enough that a large snapshot is served soon after publish.
    const body = await precompress(Buffer.from(snapshot.body, 'utf8'), { brotliQuality: 9 });
    return { site, snapshot, etag: snapshotEtag(snapshot), body, headers: liveSnapshotHeaders(siteKey, snapshot) };
  };
  return {
    async live(siteKey) {
      const entry = cached(siteKey);
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
      if (started === generation) {
        if (value === undefined) {
          entries.delete(siteKey);
          unknown.set(siteKey, { value, at: now() });
        } else {
          unknown.delete(siteKey);
          entries.set(siteKey, { value, at: now() });
        }
      }
      return value;
    },
    invalidate(siteId) {
      generation += 1;
      // Loads in flight may have read the old version: later requests start their own.
      pending.clear();
      if (siteId === '*') {
        entries.clear();
        unknown.clear();
      } else {
        for (const [key, entry] of entries.entries()) {
          if (entry.value?.site.id === siteId) entries.delete(key);
        }
      }
      for (const listener of listeners) listener(siteId);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    size() {
      return { sites: entries.size, unknown: unknown.size };
    },
  };
}
