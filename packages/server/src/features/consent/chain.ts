import { createHash } from 'node:crypto';

/** The previous-hash of a site's first ledger record. */
export const GENESIS_HASH = '0'.repeat(64);

/** A ledger record's hash: it covers the previous hash, so removing or editing any record breaks every later one. */
export function chainHash(previousHash: string, payload: string): string {
  return createHash('sha256').update(previousHash).update('\n').update(payload, 'utf8').digest('hex');
}

/** One ledger row as the chain check reads it. */
export interface ChainLink {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  /** Null for an erased record: its hash is trusted, its links are still checked. */
  readonly payload: string | null;
}

/**
 * Finds the first broken link of a site's chain, or null when it is intact. Retention prunes the
 * oldest records, so the check starts from the first retained record's previous hash when asked to.
 */
export function firstBrokenLink(links: readonly ChainLink[], start: string = GENESIS_HASH): number | null {
  let previous = start;
  for (const link of links) {
    if (link.prevHash !== previous) return link.seq;
    if (link.payload !== null && chainHash(link.prevHash, link.payload) !== link.hash) return link.seq;
    previous = link.hash;
  }
  return null;
}
