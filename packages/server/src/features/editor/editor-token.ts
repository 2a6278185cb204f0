import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DataKey } from '../../crypto/keyring.js';

/** What an editor token is bound to: one site, one user, one page origin, until `exp` (epoch ms). */
export interface EditorClaims {
  readonly site: string;
  readonly user: string;
  readonly origin: string;
  readonly exp: number;
  /** The experience and variant the dashboard opened the editor for (a starting point, not a limit). */
  readonly experience?: string;
  readonly variant?: string;
}

/** Why a token was refused; the edge maps each onto a 401 or 403 with a sentence. */
export type EditorTokenProblem = 'malformed' | 'forged' | 'expired' | 'other_site' | 'other_origin';

/** How long a minted token lives: long enough to edit a page, short enough that a leaked URL soon dies. */
export const EDITOR_TOKEN_TTL_MS = 15 * 60_000;

const PREFIX = 'ce1';
// The longest token we ever mint is well under this; anything longer is refused before hashing.
const MAX_TOKEN_LENGTH = 1024;

/**
 * The HMAC key for editor tokens, derived from the data key (itself from `CANDOR_SECRET` or the key
 * file) under its own label, so an editor token can never be confused with any other MAC or seal.
 */
export function editorTokenKey(dataKey: DataKey): Buffer {
  return createHmac('sha256', dataKey.key).update('candor-editor-token:v1').digest();
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(`${PREFIX}.${body}`).digest();
}

/** Mints `ce1.<base64url claims>.<base64url HMAC-SHA256>`. */
export function mintEditorToken(key: Buffer, claims: EditorClaims): string {
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${PREFIX}.${body}.${mac(key, body).toString('base64url')}`;
}

function readClaims(body: string): EditorClaims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { site, user, origin, exp, experience, variant } = value as Record<string, unknown>;
  if (typeof site !== 'string' || typeof user !== 'string' || typeof origin !== 'string') return undefined;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined;
  return {
    site,
    user,
    origin,
    exp,
    ...(typeof experience === 'string' ? { experience } : {}),
    ...(typeof variant === 'string' ? { variant } : {}),
  };
}

/**
 * Checks a token's MAC in constant time, then its expiry, and — when given — that it names this site
 * and was minted for the origin the request comes from.
 */
export function verifyEditorToken(
  key: Buffer,
  token: string,
  now: number,
  expect: { readonly site?: string; readonly origin?: string } = {},
): { ok: true; claims: EditorClaims } | { ok: false; problem: EditorTokenProblem } {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, problem: 'malformed' };
  const [prefix, body, signature, ...rest] = token.split('.');
  if (prefix !== PREFIX || body === undefined || signature === undefined || rest.length > 0 || body === '') {
    return { ok: false, problem: 'malformed' };
  }
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(key, body);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, problem: 'forged' };
  const claims = readClaims(body);
  if (claims === undefined) return { ok: false, problem: 'malformed' };
  if (now >= claims.exp) return { ok: false, problem: 'expired' };
  if (expect.site !== undefined && claims.site !== expect.site) return { ok: false, problem: 'other_site' };
  if (expect.origin !== undefined && claims.origin !== expect.origin) return { ok: false, problem: 'other_origin' };
  return { ok: true, claims };
}
