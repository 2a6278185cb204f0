import { isFiniteNumber, isRecord } from '../snapshot/guards.js';
import type { AttributeValue, ConsentState, FieldSource, ProfileValue, PurposeChoice } from '../types.js';
import { CORE_BASE64URL, type Base64UrlCodec } from './base64url.js';
import {
  choiceMade,
  keepGranted,
  VISITOR_COOKIE_MAX_LENGTH,
  VISITOR_COOKIE_VERSION,
  type CookieRules,
  type VisitorCookieState,
} from './visitor-cookie-state.js';

/** Why a cookie gave no choice: the visitor is then treated as not having answered (pending = denied). */
export type NoChoiceReason = 'absent' | 'malformed' | 'unsupported_version' | 'too_long';

/** A cookie read: the visitor's choice, or why there is none. Reading never throws. */
export type VisitorCookieRead =
  | { readonly choiceMade: true; readonly state: VisitorCookieState }
  | { readonly choiceMade: false; readonly reason: NoChoiceReason };

/** A cookie value to write, or why none may be written. */
export type VisitorCookieWrite =
  | {
      readonly ok: true;
      readonly value: string;
      /** Profile keys left out to stay within the length bound, oldest first. */
      readonly trimmed: readonly string[];
    }
  | { readonly ok: false; readonly error: 'NO_CHOICE' | 'TOO_LARGE'; readonly message: string };

const PREFIX = `${VISITOR_COOKIE_VERSION}.`;
const SOURCES: readonly FieldSource[] = ['declared', 'observed', 'context', 'inferred'];
const MAX_TEXT = 128;

/** Candor's cookie for a site: `candor_<siteKey>` (site keys are already cookie-safe). */
export function visitorCookieName(siteKey: string): string {
  return `candor_${siteKey}`;
}

/**
 * The cookie value for a visitor's state: `1.` + base64url(JSON). Ungranted values are dropped first
 * (`keepGranted`); past the length bound the oldest values are left out and named in `trimmed`.
 * Nothing is written before a choice (`NO_CHOICE`).
 *
 * @example const cookie = encodeVisitorCookie({ consent, profile, snapshotVersion: 7 }, snapshot)
 */
export function encodeVisitorCookie(state: VisitorCookieState, rules: CookieRules): VisitorCookieWrite {
  return encodeVisitorCookieWith(CORE_BASE64URL, state, rules);
}

/**
 * `encodeVisitorCookie` over a given base64url codec: the browser SDK passes the platform's (`btoa`,
 * `TextEncoder`), which must agree with core's byte for byte, to keep core's copy out of its head.
 */
export function encodeVisitorCookieWith(
  base64: Base64UrlCodec,
  state: VisitorCookieState,
  rules: CookieRules,
): VisitorCookieWrite {
  if (!choiceMade(state.consent)) {
    return { ok: false, error: 'NO_CHOICE', message: 'the visitor has made no consent choice: write no cookie' };
  }
  const kept = keepGranted(state, rules);
  const byAge = Object.entries(kept.profile.values).sort(([, a], [, b]) => a.collectedAt - b.collectedAt);
  for (let drop = 0; drop <= byAge.length; drop++) {
    const values = Object.fromEntries(byAge.slice(drop));
    const value = PREFIX + base64.encode(JSON.stringify(toWire({ ...kept, profile: { ...kept.profile, values } })));
    if (value.length <= VISITOR_COOKIE_MAX_LENGTH) {
      return { ok: true, value, trimmed: byAge.slice(0, drop).map(([key]) => key) };
    }
  }
  return {
    ok: false,
    error: 'TOO_LARGE',
    message: `the consent choices alone exceed ${VISITOR_COOKIE_MAX_LENGTH} characters: use fewer or shorter purpose ids`,
  };
}

/**
 * Reads a cookie value. Anything malformed, of another version or too long reads as "no choice made";
 * values of purposes the cookie does not grant are dropped, as if never stored.
 *
 * @example const read = decodeVisitorCookie(cookies['candor_shop'], snapshot)
 */
export function decodeVisitorCookie(value: string | undefined, rules: CookieRules): VisitorCookieRead {
  return decodeVisitorCookieWith(CORE_BASE64URL, value, rules);
}

/** `decodeVisitorCookie` over a given base64url codec (see `encodeVisitorCookieWith`). */
export function decodeVisitorCookieWith(
  base64: Base64UrlCodec,
  value: string | undefined,
  rules: CookieRules,
): VisitorCookieRead {
  if (value === undefined || value === '') return { choiceMade: false, reason: 'absent' };
  if (value.length > VISITOR_COOKIE_MAX_LENGTH) return { choiceMade: false, reason: 'too_long' };
  if (!value.startsWith(PREFIX)) return { choiceMade: false, reason: 'unsupported_version' };
  const text = base64.decode(value.slice(PREFIX.length));
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const state = fromWire(parsed);
  if (state === undefined || !choiceMade(state.consent)) return { choiceMade: false, reason: 'malformed' };
  return { choiceMade: true, state: keepGranted(state, rules) };
}

/** The JSON inside the cookie; short keys because every byte travels with every request. */
interface Wire {
  /** Snapshot version. */
  s: number | null;
  /** Purpose id → [`g`ranted | `d`enied, epoch ms]. */
  c: Record<string, ['g' | 'd', number]>;
  /** GPC / DNT first seen (epoch ms). */
  g?: number;
  d?: number;
  /** Objects to personalization. */
  o?: 1;
  /** Consent-ledger record id and policy version. */
  r?: string;
  v?: string;
  /** Visitor id. */
  i?: string;
  /** Field key → [value, source, collectedAt, expiresAt]. */
  p?: Record<string, [AttributeValue, FieldSource, number, number]>;
}

function toWire(state: VisitorCookieState): Wire {
  const { consent, profile } = state;
  const entries = Object.entries(profile.values);
  return {
    s: state.snapshotVersion,
    c: Object.fromEntries(
      Object.entries(consent.purposes).map(([id, choice]) => [
        id,
        [choice.status === 'granted' ? 'g' : 'd', choice.at],
      ]),
    ),
    ...(consent.signals.gpc ? { g: consent.signals.gpc.since } : {}),
    ...(consent.signals.dnt ? { d: consent.signals.dnt.since } : {}),
    ...(consent.objectsToPersonalization === true ? { o: 1 as const } : {}),
    ...(consent.recordId === undefined ? {} : { r: consent.recordId }),
    ...(consent.policyVersion === undefined ? {} : { v: consent.policyVersion }),
    ...(profile.visitorId === undefined ? {} : { i: profile.visitorId }),
    ...(entries.length === 0
      ? {}
      : {
          p: Object.fromEntries(
            entries.map(([key, stored]) => [key, [stored.value, stored.source, stored.collectedAt, stored.expiresAt]]),
          ),
        }),
  };
}

/** Strict: one wrong part makes the whole cookie unreadable, never half-trusted. */
function fromWire(wire: unknown): VisitorCookieState | undefined {
  if (!isRecord(wire) || !isRecord(wire['c'])) return undefined;
  const snapshotVersion = wire['s'];
  if (snapshotVersion !== null && !(Number.isSafeInteger(snapshotVersion) && (snapshotVersion as number) >= 0))
    return undefined;
  // Entries, then `Object.fromEntries`: a key such as `__proto__` stays an own key, never a prototype.
  const choices: [string, PurposeChoice][] = [];
  for (const [id, choice] of Object.entries(wire['c'])) {
    if (!Array.isArray(choice) || choice.length !== 2 || !isFiniteNumber(choice[1])) return undefined;
    if (choice[0] !== 'g' && choice[0] !== 'd') return undefined;
    choices.push([id, { status: choice[0] === 'g' ? 'granted' : 'denied', at: choice[1] }]);
  }
  const purposes = Object.fromEntries(choices);
  const optionalNumber = (key: string): number | undefined | false =>
    wire[key] === undefined ? undefined : isFiniteNumber(wire[key]) ? wire[key] : false;
  const optionalText = (key: string): string | undefined | false =>
    wire[key] === undefined
      ? undefined
      : typeof wire[key] === 'string' && wire[key].length > 0 && wire[key].length <= MAX_TEXT
        ? wire[key]
        : false;
  const gpc = optionalNumber('g');
  const dnt = optionalNumber('d');
  const recordId = optionalText('r');
  const policyVersion = optionalText('v');
  const visitorId = optionalText('i');
  if ([gpc, dnt, recordId, policyVersion, visitorId].includes(false)) return undefined;
  if (wire['o'] !== undefined && wire['o'] !== 1) return undefined;
  const values = wire['p'] === undefined ? {} : profileValues(wire['p']);
  if (values === undefined) return undefined;
  const consent: ConsentState = {
    purposes,
    signals: {
      ...(gpc === undefined ? {} : { gpc: { since: gpc as number } }),
      ...(dnt === undefined ? {} : { dnt: { since: dnt as number } }),
    },
    ...(wire['o'] === 1 ? { objectsToPersonalization: true } : {}),
    ...(recordId === undefined ? {} : { recordId: recordId as string }),
    ...(policyVersion === undefined ? {} : { policyVersion: policyVersion as string }),
  };
  return {
    consent,
    profile: { version: 1, values, ...(visitorId === undefined ? {} : { visitorId: visitorId as string }) },
    snapshotVersion: snapshotVersion as number | null,
  };
}

function profileValues(wire: unknown): Record<string, ProfileValue> | undefined {
  if (!isRecord(wire)) return undefined;
  const values: [string, ProfileValue][] = [];
  for (const [key, entry] of Object.entries(wire)) {
    if (!Array.isArray(entry) || entry.length !== 4) return undefined;
    const [value, source, collectedAt, expiresAt] = entry as unknown[];
    if (!SOURCES.includes(source as FieldSource) || !isFiniteNumber(collectedAt) || !isFiniteNumber(expiresAt))
      return undefined;
    values.push([key, { value: value as AttributeValue, source: source as FieldSource, collectedAt, expiresAt }]);
  }
  return Object.fromEntries(values);
}
