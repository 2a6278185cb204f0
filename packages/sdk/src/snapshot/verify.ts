/** Decodes base64url (RFC 4648 §5), with or without padding. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Whether `signature` (base64url IEEE P1363 ECDSA P-256 / SHA-256, as the server signs) covers the
 * exact `body` text. Never throws: a malformed key or signature is simply not valid.
 *
 * @example await verifySignature(bodyText, response.headers.get('candor-signature'), publicJwk)
 */
export async function verifySignature(body: string, signature: string | null, jwk: JsonWebKey): Promise<boolean> {
  try {
    if (!signature) return false;
    const { kty, crv, x, y } = jwk;
    const key = await crypto.subtle.importKey(
      'jwk',
      { kty, crv, x, y, ext: true } as JsonWebKey,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    return await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      fromBase64Url(signature),
      new TextEncoder().encode(body),
    );
  } catch {
    return false;
  }
}

/** Reads a `data-public-key` attribute: a base64url-encoded JWK (JSON). */
export function parsePublicKey(attribute: string | null | undefined): JsonWebKey | undefined {
  if (!attribute) return undefined;
  try {
    const jwk = JSON.parse(new TextDecoder().decode(fromBase64Url(attribute))) as JsonWebKey;
    return jwk.kty === 'EC' && jwk.crv === 'P-256' ? jwk : undefined;
  } catch {
    return undefined;
  }
}
