/**
 * UTF-8 text ↔ base64url without padding, written out because the core may use no platform
 * globals (no `btoa`, no `TextEncoder`). Decoding refuses anything that is not canonical base64url
 * of valid UTF-8 by returning `undefined`: a cookie is input from the visitor's device.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE_OF: Readonly<Record<string, number>> = Object.fromEntries(
  [...ALPHABET].map((char, index) => [char, index]),
);

/**
 * UTF-8 text ↔ base64url (no padding). Decoding returns `undefined` for anything that is not the
 * canonical encoding of valid UTF-8; encoding turns lone surrogates into U+FFFD.
 */
export interface Base64UrlCodec {
  encode(text: string): string;
  decode(encoded: string): string | undefined;
}

/** Core's own codec, for runtimes where core may assume no platform API. */
export const CORE_BASE64URL: Base64UrlCodec = { encode: toBase64Url, decode: fromBase64Url };

/** Encodes a string's UTF-8 bytes as base64url (no padding). Lone surrogates become U+FFFD. */
export function toBase64Url(text: string): string {
  const bytes = utf8Bytes(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const triple = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(triple >> 18) & 63]! + ALPHABET[(triple >> 12) & 63]!;
    if (b !== undefined) out += ALPHABET[(triple >> 6) & 63]!;
    if (c !== undefined) out += ALPHABET[triple & 63]!;
  }
  return out;
}

/** Decodes base64url (no padding) holding UTF-8 text; `undefined` for anything else. */
export function fromBase64Url(encoded: string): string | undefined {
  if (encoded.length % 4 === 1) return undefined;
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of encoded) {
    const value = VALUE_OF[char];
    if (value === undefined) return undefined;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
    buffer &= (1 << bits) - 1;
  }
  // Leftover bits must be zero, so each byte string has exactly one encoding.
  if (buffer !== 0) return undefined;
  return utf8Text(bytes);
}

function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0) ?? 0xfffd;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return bytes;
}

function utf8Text(bytes: readonly number[]): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const first = bytes[i]!;
    const length = first < 0x80 ? 1 : first >= 0xc2 && first < 0xe0 ? 2 : first >= 0xe0 && first < 0xf0 ? 3 : 4;
    if (first >= 0xf5 || (first >= 0x80 && first < 0xc2)) return undefined;
    let code = length === 1 ? first : length === 2 ? first & 0x1f : length === 3 ? first & 0x0f : first & 0x07;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return undefined;
      code = (code << 6) | (next & 63);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    const smallest = [0, 0, 0x80, 0x800, 0x10000][length]!;
    if (code < smallest || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    out += String.fromCodePoint(code);
    i += length;
  }
  return out;
}
