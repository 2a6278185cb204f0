/**
 * What browsers and a CDN in front of Candor may cache, and the keys that purge it. One owner for
 * these headers, so the snapshot and SDK routes and the publish webhook can never disagree on a key.
 *
 * Browsers always revalidate the live snapshot (a 304 costs little), so a publish reaches them at
 * once; a CDN may hold it for a minute, because publishing announces the surrogate key to purge
 * (`snapshot.published` carries it). Everything may be served stale while Candor cannot answer:
 * the page keeps working on the last signed snapshot instead of waiting on a dead origin.
 */

/** How long a copy may be served while the origin errors: a day for snapshots, a week for the SDK. */
const SNAPSHOT_STALE_IF_ERROR_S = 86_400;
const SDK_STALE_IF_ERROR_S = 604_800;
/** How long a CDN holds the live snapshot without a purge (also its stale-while-revalidate window). */
const LIVE_SNAPSHOT_CDN_S = 60;

/** The surrogate key of everything a site serves (snapshots, keys). */
export const siteSurrogateKey = (siteKey: string): string => `candor-site-${siteKey}`;
/** The surrogate key of a site's live snapshot: what a publish purges. */
export const liveSnapshotSurrogateKey = (siteKey: string): string => `candor-snapshot-${siteKey}`;
/** The surrogate key of the SDK files: what a deployment of a new build purges. */
export const SDK_SURROGATE_KEY = 'candor-sdk';

type Headers = Readonly<Record<string, string>>;

/** The keys in the two spellings CDNs read: space-separated `Surrogate-Key`, comma-separated `Cache-Tag`. */
function surrogateKeyHeaders(keys: readonly string[]): Headers {
  return { 'surrogate-key': keys.join(' '), 'cache-tag': keys.join(',') };
}

/** A policy for CDNs, in both headers they read (`CDN-Cache-Control` and `Surrogate-Control`). */
function cdnHeaders(policy: string): Headers {
  return { 'cdn-cache-control': `public, ${policy}`, 'surrogate-control': policy };
}

/** Headers of `GET /v1/sites/:siteKey/snapshot`. */
export function liveSnapshotCacheHeaders(siteKey: string): Headers {
  return {
    'cache-control': `public, no-cache, stale-if-error=${SNAPSHOT_STALE_IF_ERROR_S}`,
    ...cdnHeaders(
      `max-age=${LIVE_SNAPSHOT_CDN_S}, stale-while-revalidate=${LIVE_SNAPSHOT_CDN_S}, stale-if-error=${SNAPSHOT_STALE_IF_ERROR_S}`,
    ),
    ...surrogateKeyHeaders([liveSnapshotSurrogateKey(siteKey), siteSurrogateKey(siteKey)]),
  };
}

/** Headers of `GET /v1/sites/:siteKey/snapshot/:version`: content that never changes. */
export function snapshotVersionCacheHeaders(siteKey: string, version: number): Headers {
  // A day, not a year: a version's content never changes, but its owner may withdraw it.
  return {
    'cache-control': `public, max-age=86400, immutable, stale-if-error=${SNAPSHOT_STALE_IF_ERROR_S}`,
    ...surrogateKeyHeaders([`candor-snapshot-${siteKey}-v${version}`, siteSurrogateKey(siteKey)]),
  };
}

/** Headers of `/sdk/*`: five minutes fresh, then served while refreshed in the background. */
export function sdkCacheHeaders(): Headers {
  return {
    'cache-control': `public, max-age=300, stale-while-revalidate=86400, stale-if-error=${SDK_STALE_IF_ERROR_S}`,
    ...surrogateKeyHeaders([SDK_SURROGATE_KEY]),
  };
}

/** What `snapshot.published` tells a CDN purge hook: the keys and paths that now serve old content. */
export function publishPurge(siteKey: string): { surrogateKeys: string; paths: string } {
  return { surrogateKeys: liveSnapshotSurrogateKey(siteKey), paths: `/v1/sites/${siteKey}/snapshot` };
}
