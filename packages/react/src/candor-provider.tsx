'use client';
import type { Language } from '@candor/core';
import { startCandor, type Candor } from '@candor/sdk';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { CandorContext, type CandorContextValue } from './candor-context.js';
import { bySlot, followDecisions } from './follow-decisions.js';
import type { InitialDecision } from './initial-decision.js';
import { withPageLanguage, type CandorStartOptions } from './start-options.js';

export type { CandorStartOptions } from './start-options.js';

/** Where the provider gets its browser SDK: options to start one, or an instance the app made. */
export type CandorSource =
  | { readonly options: CandorStartOptions; readonly candor?: never }
  | { readonly candor: Candor; readonly options?: never };

/** The provider's props: the SDK source plus what the server decided. */
export type CandorProviderProps = CandorSource & {
  /** The server's decisions (see `initialDecisions` in `@candor/react/server`); the first render shows exactly these. */
  readonly initialDecisions?: readonly InitialDecision[];
  /** The language the server rendered in; variant text is picked in it on both sides. */
  readonly language?: Language;
  /**
   * Sanitises HTML variants into markup safe to insert. HTML variants render only when this is given,
   * and it must give the same output on the server and in the browser (or hydration mismatches).
   */
  readonly sanitizeHtml?: (html: string) => string;
  readonly children?: ReactNode;
};

/**
 * Makes Candor's decisions available to the tree. On the server it renders `initialDecisions` and
 * touches no DOM or storage; in the browser the first render shows the same decisions (so hydration
 * matches and nothing flickers), then the browser SDK starts and the tree follows it only where it
 * decides something that shows differently (a consent choice, an answer, a newer snapshot).
 *
 * @example <CandorProvider options={{ siteKey, api, publicKey }} initialDecisions={decisions} language="en">…</CandorProvider>
 */
export function CandorProvider(props: CandorProviderProps): ReactNode {
  const [decisions, setDecisions] = useState(() => bySlot(props.initialDecisions));
  const [candor, setCandor] = useState<Candor | undefined>(undefined);
  const [consent, setConsent] = useState<CandorContextValue['consent']>(undefined);
  // One SDK per provider, even when React runs effects twice (StrictMode) or re-renders with new
  // option objects: two SDKs on one page would prompt twice and count twice.
  const started = useRef<Candor | undefined>(undefined);
  const given = props.candor;
  const options = props.options;
  const language = props.language;

  useEffect(() => {
    const instance = (started.current ??=
      given ?? startCandor(withPageLanguage(options as CandorStartOptions, language)));
    setCandor(instance);
    const offDecisions = instance.on('decisions', (made) => setDecisions((shown) => followDecisions(shown, made)));
    const offConsent = instance.on('consent', setConsent);
    let live = true;
    void instance.ready.then(() => {
      if (live) setConsent(instance.consent.get());
    });
    return () => {
      live = false;
      offDecisions();
      offConsent();
    };
    // Started once: later option objects (often new on every render) must not start a second SDK.
  }, []);

  const value = useMemo<CandorContextValue>(
    () => ({
      decisions,
      language: props.language ?? 'en',
      candor,
      consent,
      sanitizeHtml: props.sanitizeHtml,
    }),
    [decisions, props.language, candor, consent, props.sanitizeHtml],
  );
  return <CandorContext.Provider value={value}>{props.children}</CandorContext.Provider>;
}
