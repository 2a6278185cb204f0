import type { Snapshot } from '@candor/core';
import type { CandorNodeError } from './errors.js';
import { verifySignature, type PublicJwk } from './verify-signature.js';

/** Bytes as the server sent them: what a cache keeps, and what is verified again when read back. */
export interface SignedSnapshotBytes {
  readonly body: string;
  readonly signature: string;
  readonly etag: string | null;
}

/** A snapshot whose signature was checked over its exact bytes, for this site. */
export interface VerifiedSnapshot extends SignedSnapshotBytes {
  readonly snapshot: Snapshot;
}

/** Where snapshots come from and the key they must be signed with. */
export interface SnapshotSource {
  readonly serverUrl: string;
  readonly siteKey: string;
  readonly fetch: typeof fetch;
  /** Pinned public key; when absent it is fetched once from the server's key route. */
  readonly publicKey?: PublicJwk;
}

/** A network load: a new verified snapshot, "not modified" (the ETag matched), or why nothing came. */
export type LoadResult =
  | { readonly kind: 'loaded'; readonly verified: VerifiedSnapshot }
  | { readonly kind: 'not_modified' }
  | { readonly kind: 'failed'; readonly error: CandorNodeError };

const MAX_SNAPSHOT_CHARS = 5_000_000;

function siteUrl(source: SnapshotSource, path: string): string {
  return `${source.serverUrl.replace(/\/+$/, '')}/v1/sites/${encodeURIComponent(source.siteKey)}${path}`;
}

/** The URL of the site's live-update stream. */
export function updatesUrl(source: SnapshotSource): string {
  return siteUrl(source, '/updates');
}

/** Fetches the live snapshot (conditionally, with the held ETag) and verifies it. */
export async function loadSnapshot(
  source: SnapshotSource,
  key: () => Promise<PublicJwk | undefined>,
  etag: string | null,
): Promise<LoadResult> {
  const url = siteUrl(source, '/snapshot');
  let response: Response;
  try {
    response = await source.fetch(url, { headers: etag === null ? {} : { 'if-none-match': etag } });
  } catch {
    return failed('SNAPSHOT_FETCH_FAILED', `could not reach ${url}; decisions use the last good snapshot`);
  }
  if (response.status === 304) return { kind: 'not_modified' };
  if (!response.ok) {
    return failed('SNAPSHOT_FETCH_FAILED', `${url} answered ${response.status}; check the server URL and site key`);
  }
  const body = await response.text();
  if (body.length > MAX_SNAPSHOT_CHARS) return failed('SNAPSHOT_INVALID', `${url} sent an implausibly large body`);
  const outcome = await verifyBytes(source.siteKey, await key(), {
    body,
    signature: response.headers.get('candor-signature') ?? '',
    etag: response.headers.get('etag'),
  });
  return 'code' in outcome ? { kind: 'failed', error: outcome } : { kind: 'loaded', verified: outcome };
}

/** Fetches the site's public key from the server (used only when none was pinned). */
export async function fetchPublicKey(source: SnapshotSource): Promise<PublicJwk | undefined> {
  try {
    const response = await source.fetch(siteUrl(source, '/keys'));
    if (!response.ok) return undefined;
    const jwks = (await response.json()) as { keys?: unknown };
    const first: unknown = Array.isArray(jwks.keys) ? jwks.keys[0] : undefined;
    return typeof first === 'object' && first !== null ? (first as PublicJwk) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies bytes from any route (network or a cache): the signature must cover the exact body and
 * the body must be a snapshot of this site. A valid signature for another site is refused too.
 */
export async function verifyBytes(
  siteKey: string,
  key: PublicJwk | undefined,
  bytes: SignedSnapshotBytes,
): Promise<VerifiedSnapshot | CandorNodeError> {
  if (key === undefined) {
    return {
      code: 'KEY_MISSING',
      message: 'no public key to verify the snapshot with: pass publicKey, or let the client reach the server',
    };
  }
  if (!(await verifySignature(bytes.body, bytes.signature, key))) {
    return {
      code: 'SNAPSHOT_SIGNATURE_INVALID',
      message: 'the snapshot signature does not match its body or key: refused, the last good snapshot stays',
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.body);
  } catch {
    return { code: 'SNAPSHOT_INVALID', message: 'the signed snapshot body is not JSON' };
  }
  const site = (parsed as { site?: { siteKey?: unknown } } | null)?.site;
  if (site?.siteKey !== siteKey) {
    return { code: 'SNAPSHOT_FOREIGN_SITE', message: `the snapshot is not for site "${siteKey}"` };
  }
  return { ...bytes, snapshot: parsed as Snapshot };
}

function failed(code: CandorNodeError['code'], message: string): LoadResult {
  return { kind: 'failed', error: { code, message } };
}
