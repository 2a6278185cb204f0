/**
 * UTF-8 text ↔ base64url without padding, written out because the core may use no platform
 * globals (no `btoa`, no `TextEncoder`). Decoding refuses anything that is not canonical base64url
 * of valid UTF-8 by returning `undefined`: a cookie is input from the visitor's device.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Indexed by char code (ASCII only; -1 = not in the alphabet): a server decodes a cookie per request.
const VALUE_OF = new Int8Array(128).fill(-1);
for (let index = 0; index < ALPHABET.length; index++) VALUE_OF[ALPHABET.charCodeAt(index)] = index;

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
  const size = encoded.length;
  if (size % 4 === 1) return undefined;
  const bytes = new Uint8Array((size * 3) >> 2);
  let length = 0;
  // Whole groups of four characters (24 bits, three bytes) first; a server decodes a cookie per request.
  const whole = size - (size % 4);
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(encoded, i);
    const b = sextet(encoded, i + 1);
    const c = sextet(encoded, i + 2);
    const d = sextet(encoded, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[length++] = triple >> 16;
    bytes[length++] = (triple >> 8) & 0xff;
    bytes[length++] = triple & 0xff;
  }
  const rest = size - whole;
  if (rest > 0) {
    const a = sextet(encoded, whole);
    const b = sextet(encoded, whole + 1);
    const c = rest === 3 ? sextet(encoded, whole + 2) : 0;
    if ((a | b | c) < 0) return undefined;
    const bits = (a << 18) | (b << 12) | (c << 6);
    bytes[length++] = bits >> 16;
    if (rest === 3) bytes[length++] = (bits >> 8) & 0xff;
    // Leftover bits must be zero, so each byte string has exactly one encoding.
    if ((rest === 2 ? bits & 0xffff : bits & 0xff) !== 0) return undefined;
  }
  return utf8Text(bytes, length);
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? VALUE_OF[code]! : -1;
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

/** Runs of ASCII become a string in one call each (cookies are mostly ASCII JSON). */
const CHUNK = 4096;

function utf8Text(bytes: Uint8Array, length: number): string | undefined {
  let out = '';
  let i = 0;
  while (i < length) {
    let end = i;
    while (end < length && end - i < CHUNK && bytes[end]! < 0x80) end++;
    if (end > i) {
      out += String.fromCharCode.apply(null, bytes.subarray(i, end) as unknown as number[]);
      i = end;
      continue;
    }
    const first = bytes[i]!;
    const size = first >= 0xc2 && first < 0xe0 ? 2 : first >= 0xe0 && first < 0xf0 ? 3 : 4;
    if (first >= 0xf5 || first < 0xc2) return undefined;
    let code = size === 2 ? first & 0x1f : size === 3 ? first & 0x0f : first & 0x07;
    for (let k = 1; k < size; k++) {
      const next = i + k < length ? bytes[i + k]! : -1;
      if (next < 0 || (next & 0xc0) !== 0x80) return undefined;
      code = (code << 6) | (next & 63);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    const smallest = size === 2 ? 0x80 : size === 3 ? 0x800 : 0x10000;
    if (code < smallest || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    out += String.fromCodePoint(code);
    i += size;
  }
  return out;
}
