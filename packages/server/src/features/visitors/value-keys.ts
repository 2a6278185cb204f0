import { dataKey, open, randomDataKey, seal, type Keyring } from '../../crypto/keyring.js';
import type { VisitorsStore } from './store.js';

/** The authenticated context of a visitor's sealed value key: a key cannot be moved to another visitor. */
export function valueKeyContext(visitorId: string): string {
  return `value-key:${visitorId}`;
}

/**
 * The keyring for one visitor's values: their own random key seals (crypto-shredding: erasure deletes
 * it, so no leftover copy of a value opens again), the data keys still open values sealed before
 * per-visitor keys existed. Without `create`, a visitor with no key yet gets the data keys alone.
 */
export async function visitorKeyring(
  store: Pick<VisitorsStore, 'getValueKey' | 'claimValueKey'>,
  keyring: Keyring,
  visitorId: string,
  create: boolean,
): Promise<Keyring> {
  let sealed = await store.getValueKey(visitorId);
  if ((sealed === null || sealed === undefined) && create) {
    const fresh = seal(keyring, randomDataKey().key.toString('base64'), valueKeyContext(visitorId));
    sealed = await store.claimValueKey(visitorId, fresh);
  }
  if (sealed === null || sealed === undefined) return keyring;
  const own = dataKey(Buffer.from(open(keyring, sealed, valueKeyContext(visitorId)), 'base64'));
  return { current: own, previous: [keyring.current, ...keyring.previous] };
}
