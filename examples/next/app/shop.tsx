'use client';
// The client side of the shop: the provider hydrates the server's decisions, the SDK shows its own
// consent prompt, "Why?" dialog and preference center, and the visitor's choice is copied into
// Candor's first-party cookie so the next server render decides with it.
import type { Language } from '@candor/core';
import {
  CandorProvider,
  CandorSlot,
  useConsent,
  WhyButton,
  type CandorStartOptions,
  type InitialDecision,
} from '@candor/react';
import { useEffect, useRef } from 'react';
import { PAGE_TEXT } from '../lib/page-text';

/** Marks the document once React has hydrated (effects never run on the server). */
function Hydrated(): null {
  useEffect(() => document.documentElement.setAttribute('data-hydrated', 'true'), []);
  return null;
}

/**
 * Sends each new choice to the app's own route, which answers with Candor's cookie: nothing is sent
 * before a choice, and a choice that is erased (back to pending) removes the cookie.
 */
function RememberChoice(): null {
  const { view } = useConsent();
  const sent = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (view === undefined) return;
    const body =
      view.phase === 'decided'
        ? JSON.stringify({ consent: view.state })
        : sent.current
          ? '{"consent":null}'
          : undefined;
    if (body === undefined || body === sent.current) return;
    sent.current = view.phase === 'decided' ? body : undefined;
    void fetch('/candor/choice', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  }, [view]);
  return null;
}

export function Shop(props: {
  readonly options: CandorStartOptions;
  readonly decisions: readonly InitialDecision[];
  readonly language: Language;
  /** Whether the server read a choice from Candor's cookie (marked on the page for tests and debugging). */
  readonly choiceMade: boolean;
}) {
  const text = PAGE_TEXT[props.language];
  return (
    <CandorProvider options={props.options} initialDecisions={props.decisions} language={props.language}>
      <Hydrated />
      <RememberChoice />
      <main data-candor-choice={props.choiceMade ? 'made' : 'none'}>
        <h1>{text.title}</h1>
        <CandorSlot slot="offer" as="h2" fallback={text.offerFallback} />
        <WhyButton slot="offer" />
        <p>{text.welcome}</p>
        {/* The SDK opens its preference center from any element with this attribute. */}
        <button type="button" data-candor-preferences="">
          {text.choices}
        </button>
      </main>
    </CandorProvider>
  );
}
