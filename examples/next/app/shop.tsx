'use client';
// The client side of the shop: the provider hydrates the server's decisions, and the browser SDK
// shows its own consent prompt, "Why?" dialog and preference center. The SDK itself writes the
// visitor's choice (and, once measurement is allowed, the visitor id the Candor server issued) into
// Candor's first-party cookie, so the next server render decides exactly as the browser will.
import type { Language } from '@candor/core';
import {
  CandorProvider,
  CandorSlot,
  useConsent,
  WhyButton,
  type CandorStartOptions,
  type InitialDecision,
} from '@candor/react';
import { useEffect } from 'react';
import { PAGE_TEXT } from '../lib/page-text';

/** Marks the document once React has hydrated (effects never run on the server). */
function Hydrated(): null {
  useEffect(() => document.documentElement.setAttribute('data-hydrated', 'true'), []);
  return null;
}

/** Marks the document with the consent phase once the browser SDK has started and decided (for tests and debugging). */
function ConsentPhase(): null {
  const { view } = useConsent();
  useEffect(() => {
    if (view !== undefined) document.documentElement.setAttribute('data-candor-consent', view.phase);
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
      <ConsentPhase />
      <main data-candor-choice={props.choiceMade ? 'made' : 'none'}>
        <h1>{text.title}</h1>
        <CandorSlot slot="offer" as="h2" fallback={text.offerFallback} />
        <WhyButton slot="offer" />
        {/* An A/B test: before a choice (or without measurement) everyone sees the default text. */}
        <CandorSlot slot="banner" as="p" fallback={text.welcome} />
        {/* The SDK opens its preference center from any element with this attribute. */}
        <button type="button" data-candor-preferences="">
          {text.choices}
        </button>
      </main>
    </CandorProvider>
  );
}
