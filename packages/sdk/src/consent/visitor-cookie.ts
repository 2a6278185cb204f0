import {
  cookieValue,
  decodeVisitorCookieWith,
  encodeVisitorCookieWith,
  VISITOR_COOKIE_MAX_AGE_DAYS,
  visitorCookieAttributes,
  visitorCookieName,
  type ConsentState,
  type CookieRules,
  type Field,
  type ProfileValue,
  type VisitorCookieRead,
  type VisitorCookieState,
} from '@candor/core';
import type { StoredValue } from '../profile/profile-store.js';
import { PLATFORM_BASE64URL } from './platform-base64url.js';

/** How the browser scopes Candor's cookie: as `@candor/node` does for the same site. */
export interface BrowserCookieScope {
  /** True on https pages. */
  readonly secure: boolean;
  /** The parent domain the server shares the cookie with (`data-cookie-domain`); host-only when absent. */
  readonly domain?: string;
}

/**
 * The `document.cookie` assignment that stores the visitor's state (the golden rule applied by
 * core's encoder), or removes the cookie when there is nothing to store: no choice yet, or a choice
 * too large to carry (a stale cookie would speak for an older choice).
 *
 * @example doc.cookie = cookieAssignment('shop', { consent, profile, snapshotVersion: 7 }, snapshot, { secure: true })
 */
export function cookieAssignment(
  siteKey: string,
  state: VisitorCookieState,
  rules: CookieRules,
  scope: BrowserCookieScope,
): string {
  const written = encodeVisitorCookieWith(PLATFORM_BASE64URL, state, rules);
  const maxAgeSeconds = written.ok ? VISITOR_COOKIE_MAX_AGE_DAYS * 86_400 : 0;
  const attributes = visitorCookieAttributes({
    secure: scope.secure,
    maxAgeSeconds,
    ...(scope.domain === undefined ? {} : { domain: scope.domain }),
  });
  return `${visitorCookieName(siteKey)}=${written.ok ? written.value : ''}; ${attributes}`;
}

/**
 * Candor's cookie read from a `document.cookie` string with core's decoder: anything malformed,
 * forged or of another version is "no choice", and values of ungranted purposes are dropped.
 */
export function readVisitorCookie(cookies: string, siteKey: string, rules: CookieRules): VisitorCookieRead {
  return decodeVisitorCookieWith(PLATFORM_BASE64URL, cookieValue(cookies, visitorCookieName(siteKey)), rules);
}

/** When the visitor last chose: the latest purpose choice's time; 0 before any choice. */
export function choiceTime(consent: ConsentState): number {
  return Math.max(0, ...Object.values(consent.purposes).map((choice) => choice.at));
}

/**
 * Merges the cookie's profile values into the device's, once the cookie's newer choice was adopted:
 * per field the value collected later wins (the cookie may have left its oldest values out to stay
 * small). Only unexpired values of fields the snapshot knows are taken, each tagged with its field's
 * purpose; values of purposes the adopted choice does not grant are dropped afterwards.
 */
export function mergeValues(
  device: Readonly<Record<string, StoredValue>>,
  cookie: Readonly<Record<string, ProfileValue>>,
  fields: readonly Field[],
  now: number,
): Record<string, StoredValue> {
  const merged: Record<string, StoredValue> = { ...device };
  for (const field of fields) {
    const value = Object.hasOwn(cookie, field.key) ? cookie[field.key] : undefined;
    const held = merged[field.key];
    if (value && value.expiresAt > now && (!held || value.collectedAt > held.collectedAt))
      merged[field.key] = { ...value, purpose: field.purpose };
  }
  return merged;
}
