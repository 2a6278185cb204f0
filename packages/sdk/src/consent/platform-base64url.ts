import type { Base64UrlCodec } from '@candor/core';

/**
 * Core's base64url of UTF-8 over the browser's own `btoa`/`atob` and `TextEncoder`/`TextDecoder`:
 * the same strings out and the same refusals in (canonical encoding of valid UTF-8 only;
 * `test/visitor-cookie.test.ts` checks both against core's), without carrying core's copy in the head.
 */
export const PLATFORM_BASE64URL: Base64UrlCodec = {
  encode: (text) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(text)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, ''),
  decode(encoded) {
    try {
      // `atob` also takes `+`, `/`, padding and spaces: only the canonical form survives re-encoding.
      const bytes = Uint8Array.from(atob(encoded.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      return PLATFORM_BASE64URL.encode(text) === encoded ? text : undefined;
    } catch {
      return undefined;
    }
  },
};
