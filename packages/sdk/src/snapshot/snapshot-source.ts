import type { Snapshot } from '@candor/core';
import type { CandorError } from '../events.js';
import { isRecord, type KeyValueStore } from '../store.js';
import { verifySignature } from './verify.js';

/** A snapshot with the exact bytes it was verified from, so a cached copy can be trusted later. */
export interface VerifiedSnapshot {
  readonly snapshot: Snapshot;
  readonly body: string;
  readonly signature: string;
  readonly etag: string | null;
}

/** Where snapshots come from: the server, its public key, and the site they must belong to. */
export interface SnapshotSourceOptions {
  readonly siteKey: string;
  /** Base URL of the Candor server, e.g. `https://candor.example`. */
  readonly api: string;
  /** The site's public signing key; fetched from the server's JWKS route when absent. */
  readonly publicKey?: JsonWebKey;
  readonly fetch: typeof fetch;
  /** The page's origin, named when the server refuses it (not in the site's allowed origins). */
  readonly origin?: string;
}

const CACHE_KEY = 'snapshot';

/**
 * Parses and checks verified bytes: the body must be JSON for this site. A snapshot signed for
 * another site (a valid signature, wrong `siteKey`) is refused like a tampered one.
 */
export function acceptBody(
  body: string,
  signature: string,
  etag: string | null,
  siteKey: string,
): VerifiedSnapshot | CandorError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { code: 'SNAPSHOT_INVALID', message: 'the snapshot body is not JSON' };
  }
  const site = isRecord(parsed) && isRecord(parsed['site']) ? parsed['site'] : undefined;
  if (site?.['siteKey'] !== siteKey) {
    return { code: 'SNAPSHOT_FOREIGN_SITE', message: `the snapshot is not for site "${siteKey}"` };
  }
  return { snapshot: parsed as Snapshot, body, signature, etag };
}

/** Bytes kept on the device. Storage is input like any other, so nothing here is trusted yet. */
export interface CachedSnapshot {
  readonly body: string;
  readonly signature: string;
  readonly etag: string | null;
}

/**
 * The snapshot kept on this device, unverified: another script or an extension can write storage,
 * so the caller verifies it (`verifyBody`) before using it or sending its ETag.
 */
export function readCachedSnapshot(store: KeyValueStore): CachedSnapshot | undefined {
  const cached = store.read(CACHE_KEY);
  if (!isRecord(cached) || typeof cached['body'] !== 'string' || typeof cached['signature'] !== 'string') {
    return undefined;
  }
  return {
    body: cached['body'],
    signature: cached['signature'],
    etag: typeof cached['etag'] === 'string' ? cached['etag'] : null,
  };
}

/** Keeps a verified snapshot for the next page view (only while a storing purpose is granted). */
export function cacheSnapshot(store: KeyValueStore, verified: VerifiedSnapshot): void {
  store.write(CACHE_KEY, { body: verified.body, signature: verified.signature, etag: verified.etag });
}

/** Forgets the cached snapshot (consent withdrawn: nothing beyond the choice stays on the device). */
export function dropCachedSnapshot(store: KeyValueStore): void {
  store.remove(CACHE_KEY);
}

/** The outcome of a network load: a new snapshot, "not modified", or why nothing usable came. */
export type LoadResult = VerifiedSnapshot | { readonly notModified: true } | CandorError;

/**
 * Fetches the live snapshot (with `If-None-Match` when a cached ETag is known), verifies its
 * signature over the exact body bytes with WebCrypto, and checks it belongs to this site.
 */
export async function loadSnapshot(options: SnapshotSourceOptions, etag?: string | null): Promise<LoadResult> {
  const url = `${options.api}/v1/sites/${encodeURIComponent(options.siteKey)}/snapshot`;
  let response: Response;
  try {
    response = await options.fetch(url, {
      headers: etag ? { 'if-none-match': etag } : {},
      credentials: 'omit',
      cache: 'no-cache',
    });
  } catch {
    return unreachable(options, url);
  }
  if (response.status === 304) return { notModified: true };
  if (!response.ok) return { code: 'SNAPSHOT_FETCH_FAILED', message: `${url} answered ${response.status}` };
  const body = await response.text();
  const signature = response.headers.get('candor-signature');
  return verifyBody(options, body, signature, response.headers.get('etag'));
}

/**
 * Tells a refused origin from a dead server. A browser hides why a CORS request failed, but an
 * opaque (`no-cors`) request to the same URL still succeeds when the server is up: then the server
 * answered and only this page's origin was refused.
 */
async function unreachable(options: SnapshotSourceOptions, url: string): Promise<CandorError> {
  try {
    await options.fetch(url, { mode: 'no-cors', credentials: 'omit' });
  } catch {
    return { code: 'SNAPSHOT_FETCH_FAILED', message: `could not reach ${url}` };
  }
  const site = encodeURIComponent(options.siteKey);
  return {
    code: 'ORIGIN_NOT_ALLOWED',
    message:
      `${options.api} refused this page's origin ${options.origin ?? ''}: add it to site "${options.siteKey}"'s ` +
      `allowed origins in the dashboard (${options.api}/admin/sites/${site}/settings), where the ready-made snippet is too`,
  };
}

/** Verifies bytes that arrived by any route (network or an inline bootstrap element). */
export async function verifyBody(
  options: SnapshotSourceOptions,
  body: string,
  signature: string | null,
  etag: string | null,
): Promise<VerifiedSnapshot | CandorError> {
  const key = options.publicKey ?? (await fetchPublicKey(options));
  if (!key) return { code: 'KEY_MISSING', message: 'no public key to verify the snapshot with' };
  if (!signature || !(await verifySignature(body, signature, key))) {
    return { code: 'SNAPSHOT_SIGNATURE_INVALID', message: 'the snapshot signature does not match its body' };
  }
  return acceptBody(body, signature, etag, options.siteKey);
}

async function fetchPublicKey(options: SnapshotSourceOptions): Promise<JsonWebKey | undefined> {
  try {
    const url = `${options.api}/v1/sites/${encodeURIComponent(options.siteKey)}/keys`;
    const response = await options.fetch(url, { credentials: 'omit' });
    const jwks = (await response.json()) as { keys?: JsonWebKey[] };
    return jwks.keys?.[0];
  } catch {
    return undefined;
  }
}

/**
 * An inline bootstrap snapshot the server rendered into the page:
 * `<script type="application/json" data-candor-snapshot data-signature="…">BODY</script>`.
 * JSON script elements never execute, so this works under any CSP.
 */
export function readBootstrap(doc: Document): { body: string; signature: string } | undefined {
  const element = doc.querySelector('script[data-candor-snapshot]');
  const signature = element?.getAttribute('data-signature');
  return element && signature ? { body: element.textContent ?? '', signature } : undefined;
}
