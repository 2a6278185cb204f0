import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey } from 'node:crypto';

/** A site's snapshot-signing key pair: the private half sealed at rest, the public half served as a JWK. */
export interface SigningKeyPair {
  readonly privateKeyPem: string;
  readonly publicJwk: JsonWebKey & { kid: string };
}

/** Creates an ECDSA P-256 key pair; P-256 (not Ed25519) because every browser's WebCrypto verifies it. */
export function createSigningKeyPair(kid: string): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { ...jwk, kid, alg: 'ES256', use: 'sig' } as JsonWebKey & { kid: string },
  };
}

/**
 * Signs the exact bytes served. IEEE P1363 (r‖s) encoding, because that is what
 * `crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, …)` expects, not DER.
 */
export function signBytes(privateKeyPem: string, bytes: Uint8Array): string {
  return sign('sha256', bytes, { key: createPrivateKey(privateKeyPem), dsaEncoding: 'ieee-p1363' }).toString(
    'base64url',
  );
}

/** Verifies a signature made by `signBytes` against a public JWK. */
export function verifyBytes(publicJwk: JsonWebKey, bytes: Uint8Array, signature: string): boolean {
  return verify(
    'sha256',
    bytes,
    { key: createPublicKey({ key: publicJwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
}
