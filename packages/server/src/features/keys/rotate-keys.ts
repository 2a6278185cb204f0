import type { AppContext } from '../../context.js';
import { open, seal, sealedKeyId, type Keyring } from '../../crypto/keyring.js';

/** How many sealed items a rotation re-sealed. */
export interface RotationReport {
  readonly values: number;
  readonly signingKeys: number;
  readonly webhookSecrets: number;
}

/**
 * Re-seals everything sealed with an older key under the keyring's current key: visitor values,
 * site signing keys and webhook secrets. Safe to re-run; a value rewritten meanwhile is skipped.
 */
export async function rotateKeys(context: AppContext, keyring: Keyring): Promise<RotationReport> {
  const { storage } = context;
  const stale = (sealed: string): boolean => sealedKeyId(sealed) !== keyring.current.id;
  let values = 0;
  let after: string | undefined;
  for (;;) {
    const page = await storage.listSealedValues(after, 500);
    if (page.length === 0) break;
    for (const value of page) {
      if (!stale(value.sealed)) continue;
      const aad = `value:${value.visitorId}:${value.fieldKey}`;
      const resealed = seal(keyring, open(keyring, value.sealed, aad), aad);
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
  return { values, signingKeys, webhookSecrets };
}
