import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './base64url.js';

// Reference: Node's base64url and a fatal UTF-8 decoder (what WHATWG calls valid UTF-8).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function reference(encoded: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) return undefined;
  const bytes = Buffer.from(encoded, 'base64url');
  // Canonical only: re-encoding gives back the same text (no stray bits in the last character).
  if (bytes.toString('base64url') !== encoded) return undefined;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

describe('base64url', () => {
  it('round-trips any text as its UTF-8 (lone surrogates become U+FFFD), as Node encodes it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const encoded = toBase64Url(text);
        expect(encoded).toBe(Buffer.from(text, 'utf8').toString('base64url'));
        expect(fromBase64Url(encoded)).toBe(Buffer.from(text, 'utf8').toString('utf8'));
      }),
    );
  });

  it('decodes exactly what a strict decoder accepts, from any bytes or any text', () => {
    const fromBytes = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url'));
    const anyText = fc.string({ maxLength: 24 });
    const nearAlphabet = fc.string({ unit: fc.constantFrom(...'AZaz09-_+/=é'), maxLength: 24 });
    fc.assert(
      fc.property(fc.oneof(fromBytes, anyText, nearAlphabet), (encoded) => {
        expect(fromBase64Url(encoded)).toBe(reference(encoded));
      }),
      { numRuns: 2000 },
    );
  });
});
