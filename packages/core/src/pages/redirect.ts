import type { Decision } from '../decide/decision.js';
import { REDIRECT_MARKER, redirectedBy } from './redirect-marker.js';

export { REDIRECT_MARKER, redirectedBy };

/** Where a redirect decision sends the visitor, as `location.replace` or an HTTP `Location` takes it. */
export interface RedirectTarget {
  readonly location: string;
  readonly experienceId: string;
}

/**
 * The URL a decision redirects the current page to, or null when it does not redirect: no redirect
 * content, a target that is neither a path nor an http(s) URL, a current URL that already carries
 * this experience's marker (the loop guard), or a target that is the current page itself. With
 * `carryQuery` the current query's parameters the target does not set itself are kept.
 *
 * @example redirectLocation(decision, '/pricing?plan=pro') // { location: '/pricing-b?plan=pro&candor_redirected=exp1', … }
 */
export function redirectLocation(decision: Decision, url: string): RedirectTarget | null {
  const content = decision.variant?.content;
  const experienceId = decision.experienceId;
  if (content?.type !== 'redirect' || experienceId === null) return null;
  if (redirectedBy(url) === experienceId) return null;
  const target = splitUrl(content.to);
  if (target === null || !(target.origin === '' || /^https?:\/\/[^/?#]+$/i.test(target.origin))) return null;
  if (!target.path.startsWith('/') || target.path.startsWith('//')) return null;
  const current = splitUrl(url);
  if (current === null) return null;
  const params = queryParams(target.query).filter(([key]) => key !== REDIRECT_MARKER);
  if (content.carryQuery) {
    const set = new Set(params.map(([key]) => key));
    for (const param of queryParams(current.query))
      if (param[0] !== REDIRECT_MARKER && !set.has(param[0])) params.push(param);
  }
  const query = params.map(([key, value]) => (value === null ? key : `${key}=${value}`)).join('&');
  const sameOrigin = target.origin === '' || current.origin === '' || sameText(target.origin, current.origin);
  const currentQuery = queryParams(current.query)
    .filter(([key]) => key !== REDIRECT_MARKER)
    .map(([key, value]) => (value === null ? key : `${key}=${value}`))
    .join('&');
  if (sameOrigin && target.path === current.path && query === currentQuery) return null;
  const marker = `${REDIRECT_MARKER}=${encodeURIComponent(experienceId)}`;
  const location = `${target.origin}${target.path}?${query === '' ? marker : `${query}&${marker}`}${target.fragment}`;
  return { location, experienceId };
}

interface UrlParts {
  /** `https://host:port` or '' for a path. */
  readonly origin: string;
  readonly path: string;
  /** Without the `?`. */
  readonly query: string;
  /** With the `#`, or ''. */
  readonly fragment: string;
}

// Core has no URL global (it runs anywhere, platform-blind): a split by hand, enough for the parts
// a redirect rewrites; anything that is not a path or scheme://host… gives null.
function splitUrl(url: string): UrlParts | null {
  let rest = url;
  let origin = '';
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(rest);
  if (scheme !== null) {
    if (!rest.startsWith('//', scheme[0].length)) return null;
    const hostEnd = rest.slice(scheme[0].length + 2).search(/[/?#]/);
    const end = hostEnd < 0 ? rest.length : scheme[0].length + 2 + hostEnd;
    origin = rest.slice(0, end);
    rest = rest.slice(end);
    if (rest === '' || rest.startsWith('?') || rest.startsWith('#')) rest = `/${rest}`;
  }
  const hash = rest.indexOf('#');
  const fragment = hash < 0 ? '' : rest.slice(hash);
  if (hash >= 0) rest = rest.slice(0, hash);
  const mark = rest.indexOf('?');
  return {
    origin,
    path: mark < 0 ? rest : rest.slice(0, mark),
    query: mark < 0 ? '' : rest.slice(mark + 1),
    fragment,
  };
}

/** `a=1&b&c=` → [['a','1'], ['b', null], ['c','']], kept as written (no re-encoding). */
function queryParams(query: string): [string, string | null][] {
  if (query === '') return [];
  return query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [part, null] : [part.slice(0, eq), part.slice(eq + 1)];
    });
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
