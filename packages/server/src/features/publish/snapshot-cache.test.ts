import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Storage } from '../../storage/storage.js';
import type { SiteRecord } from '../sites/store.js';
import { createSnapshotCache, type LiveSnapshot } from './snapshot-cache.js';
import type { SnapshotRecord } from './store.js';

const SITE = { id: 'site-1', siteKey: 'shop' } as SiteRecord;
const record = (version: number) =>
  ({ version, body: JSON.stringify({ version }), signature: `sig-${version}-0123456789abcdef` }) as SnapshotRecord;

/** A storage whose snapshot reads wait until the test releases them, to stage a publish mid-read. */
function slowStorage() {
  let latest = record(1);
  const waiting: (() => void)[] = [];
  let reads = 0;
  const storage = {
    getSiteByKey: async (key: string) => (key === 'shop' ? SITE : undefined),
    latestSnapshot: async () => {
      reads += 1;
      const seen = latest;
      await new Promise<void>((release) => waiting.push(release));
      return seen;
    },
  } as unknown as Storage;
  return {
    storage,
    publish: (version: number) => (latest = record(version)),
    releaseAll: () => waiting.splice(0).forEach((release) => release()),
    reads: () => reads,
  };
}

const versionOf = (live: unknown) => (live as LiveSnapshot).snapshot.version;

describe('the snapshot cache', () => {
  it('never caches a read that a publish overtook, so the next request sees the new version', async () => {
    const db = slowStorage();
    const cache = createSnapshotCache(db.storage, () => 0, 60_000);
    const before = cache.live('shop');
    await new Promise((resolve) => setImmediate(resolve));
    // The publish lands while the read of v1 is still in flight.
    db.publish(2);
    cache.invalidate(SITE.id);
    const after = cache.live('shop');
    await new Promise((resolve) => setImmediate(resolve));
    db.releaseAll();
    expect(versionOf(await before)).toBe(1);
    expect(versionOf(await after)).toBe(2);
    // And what is cached now is v2, without another read.
    const reads = db.reads();
    expect(versionOf(await cache.live('shop'))).toBe(2);
    expect(db.reads()).toBe(reads);
  });

  it('reads the database once for requests that arrive together, and serves the body compressed', async () => {
    const db = slowStorage();
    const cache = createSnapshotCache(db.storage, () => 0, 60_000);
    const together = [cache.live('shop'), cache.live('shop'), cache.live('shop')];
    await new Promise((resolve) => setImmediate(resolve));
    db.releaseAll();
    const values = (await Promise.all(together)) as LiveSnapshot[];
    expect(db.reads()).toBe(1);
    expect(gunzipSync(values[0]!.body.gzip).toString('utf8')).toBe(JSON.stringify({ version: 1 }));
    expect(await cache.live('nobody')).toBeUndefined();
  });
});
