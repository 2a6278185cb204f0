import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** One 256-bit data key and its short public id (a hash prefix, never the key). */
export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The keys that seal personal values at rest: the current one seals, every listed one opens. */
export interface Keyring {
  readonly current: DataKey;
  readonly previous: readonly DataKey[];
}

/** Makes a data key from 32 raw bytes. */
export function dataKey(key: Buffer): DataKey {
  if (key.length !== 32) throw new Error('a data key is 32 bytes');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 12), key };
}

/** Derives a data key from a `CANDOR_SECRET` passphrase (a deployment secret, not a user password). */
export function keyFromSecret(secret: string): DataKey {
  return dataKey(createHash('sha256').update(`candor-data-key:v1:${secret}`).digest());
}

/** A fresh random data key. */
export function randomDataKey(): DataKey {
  return dataKey(randomBytes(32));
}

const VERSION = 'v1';

/**
 * Seals a value with AES-256-GCM. `context` (e.g. visitor id and field key) is authenticated so a
 * sealed value cannot be moved to another visitor or field.
 */
export function seal(keyring: Keyring, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    keyring.current.id,
    iv.toString('base64url'),
    tag.toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

/** Opens a sealed value; throws when the key is unknown or the value or its context were altered. */
export function open(keyring: Keyring, sealed: string, context: string): string {
  const [version, keyId, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || keyId === undefined || iv === undefined || tag === undefined || body === undefined) {
    throw new Error('not a sealed value');
  }
  const key = [keyring.current, ...keyring.previous].find((candidate) => candidate.id === keyId);
  if (key === undefined) throw new Error(`sealed with unknown key ${keyId}: restore the old key file or secret`);
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** The id of the key a value was sealed with, so rotation can find what still needs re-sealing. */
export function sealedKeyId(sealed: string): string | undefined {
  return sealed.split('.')[1];
}
