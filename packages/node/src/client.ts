import {
  createVerifiedExplainer,
  decide,
  decideVerified,
  redirectLocation,
  verifiedEngine,
  type Attributes,
  type Decision,
  type DecisionContext,
  type Explanation,
  type Language,
  type Snapshot,
  type VisitorCookieState,
} from '@candor/core';
import { createAggregateReporter, type FlushResult, type VisitorOutcome } from './aggregate-reporter.js';
import type { CandorNodeError } from './errors.js';
import type { PublicJwk } from './verify-signature.js';
import { followLiveUpdates } from './live-updates.js';
import { clearVisitorCookie, visitorSetCookie, type CookieAttributes, type SetCookieResult } from './set-cookie.js';
import type { SnapshotCache } from './snapshot-cache.js';
import {
  fetchPublicKey,
  loadSnapshot,
  updatesUrl,
  verifyBytes,
  type SnapshotSource,
  type VerifiedSnapshot,
} from './snapshot-source.js';
import { readRequestVisitor, type RequestLike, type RequestVisitor } from './visitor-request.js';

/** How to reach Candor, and what to trust. */
export interface CandorClientOptions {
  /** Base URL of the Candor server, e.g. `https://candor.example`. */
  readonly serverUrl: string;
  readonly siteKey: string;
  /** The site's public signing key (JWK). Pin it in production; otherwise it is fetched once. */
  readonly publicKey?: PublicJwk;
  /** Keeps the last good snapshot beyond this process (see `@candor/node/file-cache`). */
  readonly cache?: SnapshotCache;
  /** Follow the server's live-update stream (default true). Off in runtimes without background work. */
  readonly liveUpdates?: boolean;
  /** An API key with the publish scope, needed only by `record`/`flush`. */
  readonly apiKey?: string;
  /** Cookie scope for `setCookie`. */
  readonly cookie?: CookieAttributes;
  readonly fetch?: typeof fetch;
  /** The clock (epoch ms); `Date.now` by default. */
  readonly now?: () => number;
  /** Told each time a newer verified snapshot is adopted (to purge a page cache, say). */
  readonly onUpdate?: (status: ClientStatus) => void;
  /** Told whenever loading, verifying, live updates or reporting went wrong; serving goes on. */
  readonly onError?: (error: CandorNodeError) => void;
}

/** Where the snapshot in use came from. */
export type SnapshotOrigin = 'network' | 'cache' | 'none';

/** What the client holds now. */
export interface ClientStatus {
  readonly version: number | null;
  readonly origin: SnapshotOrigin;
}

/** Request-time facts a decision may use without consent, beside the visitor read from the request. */
export interface DecideRequestOptions {
  /**
   * Decide only these slots, returned in this order (a slot no experience targets gets its default
   * content). Omitted or empty: every slot the snapshot targets.
   */
  readonly slots?: readonly string[];
  /** Values of the snapshot's context fields (page path, UTM, device class), by field key. */
  readonly attributes?: Attributes;
  /**
   * The page's URL (absolute, or path plus query) that experiences' `pages` are matched against;
   * defaults to the request's own `url`. Without either, no page gate applies.
   */
  readonly url?: string;
}

/** Where a split-URL test sends this request, as an HTTP redirect to answer with before any HTML. */
export interface RedirectResponse {
  readonly location: string;
  /** 302: temporary, so search engines keep the original URL (the test ends, the page stays). */
  readonly status: 302;
  readonly experienceId: string;
}

/** A request's decisions with the visitor they were made for. */
export interface RequestDecisions {
  readonly decisions: readonly Decision[];
  readonly visitor: RequestVisitor;
  readonly snapshotVersion: number | null;
}

/**
 * Candor for servers and edge functions: keeps a verified snapshot (refreshed by ETag and live
 * updates, the last good one kept when the server is away), and decides and explains for a request
 * from Candor's first-party cookie. Nothing is identified or written before the visitor's choice.
 *
 * @example
 * const candor = createCandorClient({ serverUrl: 'https://candor.example', siteKey: 'shop', publicKey });
 * const { decisions } = await candor.decide(request, { slots: ['hero'] });
 */
export function createCandorClient(options: CandorClientOptions) {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? (() => Date.now());
  const onError = (error: CandorNodeError): void => {
    try {
      options.onError?.(error);
    } catch {
      // A failing hook must not stop serving.
    }
  };
  const source: SnapshotSource = {
    serverUrl: options.serverUrl,
    siteKey: options.siteKey,
    fetch: fetchImpl,
    ...(options.publicKey === undefined ? {} : { publicKey: options.publicKey }),
  };
  let key: Promise<PublicJwk | undefined> | undefined =
    options.publicKey === undefined ? undefined : Promise.resolve(options.publicKey);
  const publicKey = (): Promise<PublicJwk | undefined> => {
    // An unreachable server leaves no key: ask again next time rather than keep "no key".
    key ??= fetchPublicKey(source).then((found) => {
      if (found === undefined) key = undefined;
      return found;
    });
    return key;
  };

  let current: VerifiedSnapshot | undefined;
  let origin: SnapshotOrigin = 'none';
  let refreshing: Promise<ClientStatus> | undefined;
  const status = (): ClientStatus => ({ version: current?.snapshot.version ?? null, origin });
  const listeners = new Set<(status: ClientStatus) => void>();

  const adopt = (verified: VerifiedSnapshot, from: SnapshotOrigin): void => {
    // Never step back to an older version (a stale cache or a lagging node).
    if (current !== undefined && verified.snapshot.version < current.snapshot.version) return;
    const changed = current?.body !== verified.body;
    current = verified;
    origin = from;
    if (!changed) return;
    for (const listener of [options.onUpdate, ...listeners]) {
      try {
        listener?.(status());
      } catch {
        // A failing hook must not stop serving.
      }
    }
  };

  const refresh = (): Promise<ClientStatus> => {
    refreshing ??= (async () => {
      const result = await loadSnapshot(source, publicKey, current?.etag ?? null);
      if (result.kind === 'failed') onError(result.error);
      if (result.kind === 'loaded') {
        adopt(result.verified, 'network');
        await options.cache
          ?.write(result.verified)
          .catch(() =>
            onError({ code: 'CACHE_UNREADABLE', message: 'could not write the snapshot cache; check its path' }),
          );
      }
      return status();
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  const loadCache = async (): Promise<void> => {
    const bytes = await options.cache?.read().catch(() => undefined);
    if (bytes === undefined) return;
    const verified = await verifyBytes(options.siteKey, await publicKey(), bytes);
    if ('code' in verified)
      onError({ code: 'CACHE_UNREADABLE', message: `the cached snapshot was refused: ${verified.message}` });
    else if (current === undefined) adopt(verified, 'cache');
  };

  const ready = (async () => {
    await refresh();
    if (current === undefined) await loadCache();
    return status();
  })();

  const live =
    options.liveUpdates === false
      ? undefined
      : followLiveUpdates({
          url: updatesUrl(source),
          fetch: fetchImpl,
          onAnnouncement: (announcement) => {
            if (current?.etag !== announcement.etag) void refresh();
          },
          onDisconnect: (message) => onError({ code: 'LIVE_UPDATES_FAILED', message: `${message}; reconnecting` }),
        });

  const reporter =
    options.apiKey === undefined
      ? undefined
      : createAggregateReporter({
          serverUrl: options.serverUrl,
          siteKey: options.siteKey,
          apiKey: options.apiKey,
          fetch: fetchImpl,
          onError,
        });

  const contextFor = (
    visitor: RequestVisitor,
    request: DecideRequestOptions,
    url: string | undefined,
  ): DecisionContext => ({
    now: now(),
    attributes: request.attributes ?? {},
    languages: visitor.languages,
    ...(request.slots === undefined ? {} : { slots: request.slots }),
    ...(url === undefined ? {} : { url: pathAndQuery(url) }),
  });

  // The core decides the page's slots plus every slot the snapshot targets (a browser page renders
  // them all); a server route asks for named slots only, so the answer is narrowed to those.
  const narrowed = (decisions: Decision[], slots: readonly string[] | undefined): Decision[] => {
    if (slots === undefined || slots.length === 0) return decisions;
    const bySlot = new Map(decisions.map((decision) => [decision.slot, decision]));
    const picked: Decision[] = [];
    for (const slot of new Set(slots)) {
      const decision = bySlot.get(slot);
      if (decision !== undefined) picked.push(decision);
    }
    return picked;
  };

  const visitorOf = (request: RequestLike, snapshot: Snapshot | undefined): RequestVisitor =>
    readRequestVisitor(request, options.siteKey, snapshot ?? { purposes: [], fields: [] }, now());

  const decideFor = async (request: RequestLike, decideOptions: DecideRequestOptions = {}) => {
    await ready;
    const held = current;
    const visitor = visitorOf(request, held?.snapshot);
    const context = contextFor(visitor, decideOptions, decideOptions.url ?? requestUrl(request));
    // No snapshot ever verified: default content everywhere, with reason ERROR (decide never throws).
    const decisions = narrowed(
      held === undefined
        ? decide(undefined, undefined, undefined, context)
        : decideVerified(held.snapshot, visitor.profile, visitor.consent, context),
      decideOptions.slots,
    );
    return { decisions, visitor, context, held };
  };

  return {
    /** Resolves once the first load (network, else cache) settled. */
    ready: (): Promise<ClientStatus> => ready,
    status,
    /** Fetches the snapshot now (conditionally, by ETag). */
    refresh,

    /** The verified snapshot in use (which slots and experiences exist), or undefined before one loaded. */
    snapshot: (): Snapshot | undefined => current?.snapshot,

    /** Tells `listener` of each newer verified snapshot adopted, like `onUpdate`; returns the unsubscribe. */
    subscribe(listener: (status: ClientStatus) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** The visitor as read from a request (cookie, GPC/DNT, languages). */
    async visitor(request: RequestLike): Promise<RequestVisitor> {
      await ready;
      return visitorOf(request, current?.snapshot);
    },

    /** One decision per slot for this request's visitor. Never throws. */
    async decide(request: RequestLike, decideOptions: DecideRequestOptions = {}): Promise<RequestDecisions> {
      const { decisions, visitor, held } = await decideFor(request, decideOptions);
      return { decisions, visitor, snapshotVersion: held?.snapshot.version ?? null };
    },

    /** "Why am I seeing this?" for one slot of this request, in the visitor's or the given language. */
    async explain(
      request: RequestLike,
      slot: string,
      explainOptions: DecideRequestOptions & { readonly language?: Language } = {},
    ): Promise<Explanation | undefined> {
      const slots = [...(explainOptions.slots ?? []), slot];
      const { decisions, visitor, context, held } = await decideFor(request, { ...explainOptions, slots });
      const decision = decisions.find((candidate) => candidate.slot === slot);
      if (decision === undefined || held === undefined) return undefined;
      const explainer = createVerifiedExplainer(
        { snapshot: held.snapshot, profile: visitor.profile, consent: visitor.consent, context },
        explainOptions.language === undefined ? {} : { language: explainOptions.language },
        verifiedEngine,
      );
      return explainer(decision);
    },

    /**
     * The redirect a split-URL test decides for this request, or null: answer with it before any
     * HTML so the visitor never sees the original page flash. The landing URL carries a marker, so
     * the landing request is never redirected again by the same experience.
     *
     * @example const to = await candor.redirectFor(request); if (to) return Response.redirect(to.location, to.status);
     */
    async redirectFor(
      request: RequestLike,
      decideOptions: DecideRequestOptions = {},
    ): Promise<RedirectResponse | null> {
      const url = decideOptions.url ?? requestUrl(request);
      if (url === undefined) return null;
      const { decisions } = await decideFor(request, { ...decideOptions, url });
      for (const decision of decisions) {
        const target = redirectLocation(decision, url);
        if (target !== null) return { location: target.location, status: 302, experienceId: target.experienceId };
      }
      return null;
    },

    /** The `Set-Cookie` header that stores a visitor's choice (none before a choice). */
    setCookie(state: Omit<VisitorCookieState, 'snapshotVersion'>): SetCookieResult {
      const rules = current?.snapshot ?? { purposes: [], fields: [] };
      return visitorSetCookie(
        options.siteKey,
        { ...state, snapshotVersion: current?.snapshot.version ?? null },
        rules,
        options.cookie,
      );
    },

    /** The `Set-Cookie` header that removes Candor's cookie (erasure). */
    clearCookie: (): string => clearVisitorCookie(options.siteKey, options.cookie),

    /**
     * Counts one visitor's outcome in the experience a decision enrolled them in; false when nothing
     * was counted (not enrolled, measurement not granted). Needs `apiKey`.
     */
    record(outcome: VisitorOutcome): boolean {
      if (reporter === undefined)
        throw new Error('record needs an apiKey with the publish scope in createCandorClient');
      return current !== undefined && reporter.record(current.snapshot, outcome);
    },

    /** Sends the recorded aggregates (idempotent by batch id). */
    async flush(): Promise<FlushResult> {
      return reporter === undefined ? { sent: 0, pending: 0 } : reporter.flush();
    },

    /** Stops live updates and sends what was recorded. */
    async close(): Promise<void> {
      live?.stop();
      await this.flush();
    },
  };
}

/** The client `createCandorClient` returns. */
export type CandorClient = ReturnType<typeof createCandorClient>;

/** A Fetch `Request`'s absolute `url`, or a Node `IncomingMessage`'s path plus query. */
function requestUrl(request: RequestLike): string | undefined {
  const url: unknown = request.url;
  return typeof url === 'string' && url !== '' ? url.slice(0, MAX_URL_CHARS) : undefined;
}

const MAX_URL_CHARS = 8192;

/** What `pages` patterns read: the path plus query, without origin or fragment. */
function pathAndQuery(url: string): string {
  const withoutOrigin = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const hash = withoutOrigin.indexOf('#');
  const rest = hash < 0 ? withoutOrigin : withoutOrigin.slice(0, hash);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
