import {
  encodeVisitorCookie,
  VISITOR_COOKIE_MAX_AGE_DAYS,
  visitorCookieAttributes,
  visitorCookieName,
  type CookieRules,
  type VisitorCookieState,
  type VisitorCookieWrite,
} from '@candor/core';

/** How the cookie is scoped. */
export interface CookieAttributes {
  /** `Secure` (default true); turn off only for plain-HTTP local development. */
  readonly secure?: boolean;
  /** A parent domain to share the cookie with subdomains; host-only when absent. */
  readonly domain?: string;
  /** Lifetime in days; default 395 (about 13 months, after which consent is asked again). */
  readonly maxAgeDays?: number;
}

/** A `Set-Cookie` header to send, or why none may be sent (no choice yet; too large). */
export type SetCookieResult =
  | { readonly ok: true; readonly header: string; readonly trimmed: readonly string[] }
  | Extract<VisitorCookieWrite, { ok: false }>;

const DAY_SECONDS = 86_400;

// The same attributes the browser SDK writes (core's one rule), so the two writers agree.
function attributes(options: CookieAttributes, maxAgeSeconds: number): string {
  return visitorCookieAttributes({
    secure: options.secure !== false,
    maxAgeSeconds,
    ...(options.domain === undefined ? {} : { domain: options.domain }),
  });
}

/**
 * The `Set-Cookie` header that stores a visitor's choice; none before a choice.
 *
 * @example const cookie = visitorSetCookie('shop', { consent, profile, snapshotVersion }, snapshot)
 */
export function visitorSetCookie(
  siteKey: string,
  state: VisitorCookieState,
  rules: CookieRules,
  options: CookieAttributes = {},
): SetCookieResult {
  const written = encodeVisitorCookie(state, rules);
  if (!written.ok) return written;
  const maxAge = Math.round((options.maxAgeDays ?? VISITOR_COOKIE_MAX_AGE_DAYS) * DAY_SECONDS);
  return {
    ok: true,
    header: `${visitorCookieName(siteKey)}=${written.value}; ${attributes(options, maxAge)}`,
    trimmed: written.trimmed,
  };
}

/** The `Set-Cookie` header that removes the cookie (erasure, or "forget my choice"). */
export function clearVisitorCookie(siteKey: string, options: CookieAttributes = {}): string {
  return `${visitorCookieName(siteKey)}=; ${attributes(options, 0)}`;
}
