import {
  cookieValue,
  decodeVisitorCookie,
  visitorCookieName,
  type ConsentState,
  type CookieRules,
  type NoChoiceReason,
  type Profile,
} from '@candor/core';

/** Node's `IncomingMessage.headers` shape, or a Fetch `Headers`: what a request offers to read. */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A Fetch `Request`, a Node `IncomingMessage`, or anything else with headers. */
export interface RequestLike {
  readonly headers: HeaderSource;
  /** A Fetch `Request`'s absolute URL or an `IncomingMessage`'s path plus query: what `pages` match. */
  readonly url?: string | undefined;
}

/** The visitor as read from a request: their choice (or why there is none), signals and languages. */
export interface RequestVisitor {
  readonly choiceMade: boolean;
  /** Set when no choice was read: the cookie was absent, malformed, too long or of another version. */
  readonly noChoiceReason?: NoChoiceReason;
  readonly consent: ConsentState;
  readonly profile: Profile | undefined;
  /** Accept-Language tags, most preferred first. */
  readonly languages: readonly string[];
}

const MAX_HEADER_CHARS = 16_384;
const MAX_LANGUAGES = 8;

/** One header's value; repeated headers are joined as HTTP joins them. Bounded: a client is hostile. */
export function headerValue(headers: HeaderSource, name: string): string | undefined {
  let value: string | undefined;
  if (typeof (headers as Headers).get === 'function') value = (headers as Headers).get(name) ?? undefined;
  else {
    const raw = (headers as Record<string, string | readonly string[] | undefined>)[name];
    value = Array.isArray(raw) ? raw.join(name === 'cookie' ? '; ' : ', ') : (raw as string | undefined);
  }
  return value === undefined ? undefined : value.slice(0, MAX_HEADER_CHARS);
}

/** Accept-Language tags ordered by quality, at most a handful. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((found) => found !== undefined);
      return { tag: tag.trim(), quality: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(entry.tag) && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .slice(0, MAX_LANGUAGES)
    .map((entry) => entry.tag);
}

/**
 * Reads the visitor from a request: Candor's cookie (`candor_<siteKey>`) for the choice and the
 * data it allows, `Sec-GPC` / `DNT` (only the exact value `1`) and `Accept-Language`. A signal seen
 * now and not recorded in the cookie counts from `now`, so an earlier grant does not outrank it.
 */
export function readRequestVisitor(
  request: RequestLike,
  siteKey: string,
  rules: CookieRules,
  now: number,
): RequestVisitor {
  const headers = request.headers;
  const read = decodeVisitorCookie(
    cookieValue(headerValue(headers, 'cookie') ?? '', visitorCookieName(siteKey)),
    rules,
  );
  const consent: ConsentState = read.choiceMade ? read.state.consent : { purposes: {}, signals: {} };
  const gpcHeader = headerValue(headers, 'sec-gpc')?.trim() === '1';
  const dntHeader = headerValue(headers, 'dnt')?.trim() === '1';
  const signals: ConsentState['signals'] = {
    ...consent.signals,
    ...(gpcHeader && consent.signals.gpc === undefined ? { gpc: { since: now } } : {}),
    ...(dntHeader && consent.signals.dnt === undefined ? { dnt: { since: now } } : {}),
  };
  const languages = acceptedLanguages(headerValue(headers, 'accept-language'));
  return read.choiceMade
    ? { choiceMade: true, consent: { ...consent, signals }, profile: read.state.profile, languages }
    : {
        choiceMade: false,
        noChoiceReason: read.reason,
        consent: { ...consent, signals },
        profile: undefined,
        languages,
      };
}
