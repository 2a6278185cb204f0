/** A site's public signing key as the server publishes it (an EC P-256 JWK). */
export interface PublicJwk {
  readonly kty?: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
}

/** Decodes base64url (with or without padding) to bytes; throws on malformed input. */
function bytesOfBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Whether `signature` (base64url IEEE P1363 ECDSA P-256 / SHA-256, as the server signs) covers the
 * exact `body` text, checked with WebCrypto so it runs unchanged in Node, Workers, Deno and edge
 * runtimes. Never throws: a malformed key or signature is simply not valid.
 */
export async function verifySignature(body: string, signature: string | null, jwk: PublicJwk): Promise<boolean> {
  try {
    if (!signature) return false;
    const { kty, crv, x, y } = jwk;
    const key = await crypto.subtle.importKey(
      'jwk',
      { kty: kty ?? '', crv: crv ?? '', x: x ?? '', y: y ?? '', ext: true },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    return await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      bytesOfBase64Url(signature),
      new TextEncoder().encode(body),
    );
  } catch {
    return false;
  }
}
