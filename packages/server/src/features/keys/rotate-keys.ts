import type { AppContext } from '../../context.js';
import { open, seal, sealedKeyId, type Keyring } from '../../crypto/keyring.js';
import { valueKeyContext, visitorKeyring } from '../visitors/value-keys.js';

/** How many sealed items a rotation re-sealed. */
export interface RotationReport {
  /** Values moved from the data key onto their visitor's own key (sealed before per-visitor keys). */
  readonly values: number;
  /** Visitors' value keys re-wrapped under the current data key. */
  readonly valueKeys: number;
  readonly signingKeys: number;
  readonly webhookSecrets: number;
}

/**
 * Re-seals everything sealed with an older key under the keyring's current key: visitors' value keys,
 * site signing keys and webhook secrets. A value sealed directly with a data key (before per-visitor
 * keys) moves onto its visitor's own key, so erasure can shred it too. Safe to re-run; an item
 * rewritten meanwhile is skipped.
 */
export async function rotateKeys(context: AppContext, keyring: Keyring): Promise<RotationReport> {
  const { storage } = context;
  const stale = (sealed: string): boolean => sealedKeyId(sealed) !== keyring.current.id;
  let valueKeys = 0;
  let afterVisitor: string | undefined;
  for (;;) {
    const page = await storage.listValueKeys(afterVisitor, 500);
    if (page.length === 0) break;
    for (const key of page) {
      if (!stale(key.sealed)) continue;
      const aad = valueKeyContext(key.visitorId);
      if (await storage.updateValueKey(key.visitorId, key.sealed, seal(keyring, open(keyring, key.sealed, aad), aad))) {
        valueKeys += 1;
      }
    }
    afterVisitor = page.at(-1)?.visitorId;
  }
  const dataKeyIds = new Set([keyring.current, ...keyring.previous].map((key) => key.id));
  let values = 0;
  let after: string | undefined;
  for (;;) {
    const page = await storage.listSealedValues(after, 500);
    if (page.length === 0) break;
    for (const value of page) {
      if (!dataKeyIds.has(sealedKeyId(value.sealed) ?? '')) continue;
      const own = await visitorKeyring(storage, keyring, value.visitorId, true);
      const aad = `value:${value.visitorId}:${value.fieldKey}`;
      const resealed = seal(own, open(own, value.sealed, aad), aad);
      if (await storage.updateSealed(value.visitorId, value.fieldKey, value.sealed, resealed)) values += 1;
    }
    const last = page.at(-1);
    after = last === undefined ? undefined : `${last.visitorId}\u0000${last.fieldKey}`;
  }
  let signingKeys = 0;
  let webhookSecrets = 0;
  for (const site of await storage.listSites()) {
    if (stale(site.signingPrivateSealed)) {
      const aad = `signing:${site.id}`;
      await storage.updateSiteSigningKey(site.id, seal(keyring, open(keyring, site.signingPrivateSealed, aad), aad));
      signingKeys += 1;
    }
    for (const hook of await storage.listWebhooks(site.id)) {
      if (!stale(hook.secretSealed)) continue;
      const aad = `webhook:${hook.id}`;
      await storage.updateWebhookSecret(hook.id, seal(keyring, open(keyring, hook.secretSealed, aad), aad));
      webhookSecrets += 1;
    }
  }
  return { values, valueKeys, signingKeys, webhookSecrets };
}
