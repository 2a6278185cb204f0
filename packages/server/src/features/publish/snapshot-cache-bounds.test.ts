// Issue 11, item 10: the snapshot cache kept every unknown site key forever (~40 MB per 200k keys),
// memory anyone could grow without signing in. It is bounded now, and unknown keys cannot evict sites.
import { describe, expect, it } from 'vitest';
import type { Storage } from '../../storage/storage.js';
import type { SiteRecord } from '../sites/store.js';
import { createSnapshotCache, type LiveSnapshot } from './snapshot-cache.js';
import type { SnapshotRecord } from './store.js';

const SITE = { id: 'site-1', siteKey: 'shop' } as SiteRecord;
const SNAPSHOT = { version: 1, body: '{"version":1}', signature: 'sig-1-0123456789abcdef' } as SnapshotRecord;

/** A storage with one site, created on demand, that counts its reads. */
function countingStorage() {
  const sites = new Map<string, SiteRecord>([['shop', SITE]]);
  let reads = 0;
  const storage = {
    getSiteByKey: async (key: string) => {
      reads += 1;
      return sites.get(key);
    },
    latestSnapshot: async () => SNAPSHOT,
  } as unknown as Storage;
  return {
    storage,
    reads: () => reads,
    addSite: (key: string) => sites.set(key, { id: `site-${key}`, siteKey: key } as SiteRecord),
  };
}

describe('the snapshot cache under a flood of unknown keys', () => {
  it('holds at most its limit of unknown keys, and the flood never evicts a real site', async () => {
    const db = countingStorage();
    const cache = createSnapshotCache(db.storage, () => 0, 60_000, { sites: 50, unknown: 100 });
    expect(((await cache.live('shop')) as LiveSnapshot).snapshot.version).toBe(1);
    for (let i = 0; i < 5_000; i += 1) expect(await cache.live(`made-up-${i}`)).toBeUndefined();
    expect(cache.size()).toEqual({ sites: 1, unknown: 100 });
    // The site is still served from memory: no read for it after the flood.
    const reads = db.reads();
    expect(((await cache.live('shop')) as LiveSnapshot).snapshot.version).toBe(1);
    expect(db.reads()).toBe(reads);
  });

  it('lets an unknown key expire quickly, so a site created a moment later is found', async () => {
    const db = countingStorage();
    let clock = 0;
    const cache = createSnapshotCache(db.storage, () => clock, 1000);
    expect(await cache.live('new-shop')).toBeUndefined();
    db.addSite('new-shop');
    clock = 999;
    expect(await cache.live('new-shop')).toBeUndefined();
    clock = 1000;
    expect(((await cache.live('new-shop')) as LiveSnapshot).site.siteKey).toBe('new-shop');
    expect(cache.size()).toEqual({ sites: 1, unknown: 0 });
  });
});
