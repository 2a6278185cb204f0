/**
 * How long the cookie lives: 395 days (about 13 months), the longest a choice is kept before the
 * visitor is asked again. Both writers (browser SDK and `@candor/node`) use it, so neither outlives
 * the other; a refusal still lapses after 6 months by its own timestamp, whatever the cookie's age.
 */
export const VISITOR_COOKIE_MAX_AGE_DAYS = 395;

/** How a writer scopes the cookie. */
export interface VisitorCookieScope {
  /** `Secure`: on for https pages; off only for plain-HTTP local development. */
  readonly secure: boolean;
  /** A parent domain to share the cookie with subdomains; host-only when absent. */
  readonly domain?: string;
  /** Lifetime in seconds; 0 removes the cookie. */
  readonly maxAgeSeconds: number;
}

/**
 * The attributes every writer appends, so the browser and the server write the same cookie.
 * Never HttpOnly: the browser SDK reads and writes it too. Lax: sent on top-level navigation.
 *
 * @example `candor_shop=${value}; ${visitorCookieAttributes({ secure: true, maxAgeSeconds: 34_128_000 })}`
 */
export function visitorCookieAttributes(scope: VisitorCookieScope): string {
  return [
    'Path=/',
    `Max-Age=${scope.maxAgeSeconds}`,
    'SameSite=Lax',
    ...(scope.secure ? ['Secure'] : []),
    ...(scope.domain === undefined ? [] : [`Domain=${scope.domain}`]),
  ].join('; ');
}
