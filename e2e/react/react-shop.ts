// The page the React suite renders on the server and hydrates in Chromium: a campaign offer, an
// experiment's banner, "Why?" and the site's own consent button, as an app would write them.
import type { Language } from '@candor/core';
import {
  CandorProvider,
  CandorSlot,
  useConsent,
  usePreferenceCenter,
  WhyButton,
  type CandorStartOptions,
  type InitialDecision,
} from '@candor/react';
import type { Candor } from '@candor/sdk';
import { createElement as h, useEffect, type ReactNode } from 'react';

/** What the server hands the page (serialised into it for the client bundle). */
export interface ShopData {
  readonly options: CandorStartOptions;
  readonly decisions: readonly InitialDecision[];
  /** The optional purposes the site's "Allow all" button grants. */
  readonly purposes: readonly string[];
  readonly language: Language;
}

function SiteConsent(props: { readonly purposes: readonly string[] }): ReactNode {
  const { phase, choose } = useConsent();
  const preferences = usePreferenceCenter();
  const all = Object.fromEntries(props.purposes.map((id) => [id, true]));
  return h(
    'div',
    null,
    h('p', { id: 'consent-phase' }, phase),
    h('button', { id: 'allow-all', type: 'button', onClick: () => void choose(all) }, 'Allow all'),
    h('button', { id: 'preferences', type: 'button', onClick: () => void preferences.open() }, 'Privacy choices'),
  );
}

/** Marks the document once React has hydrated (effects never run on the server). */
function Hydrated(): null {
  useEffect(() => document.documentElement.setAttribute('data-hydrated', 'true'), []);
  return null;
}

/**
 * The shop's React tree, identical on the server and in the browser. The browser may hand in the SDK
 * it started itself (as an app that also calls `candor.track` would); it renders the same.
 */
export function ReactShop(data: ShopData & { readonly candor?: Candor }): ReactNode {
  const source = data.candor ? { candor: data.candor } : { options: data.options };
  return h(
    CandorProvider,
    { ...source, initialDecisions: data.decisions, language: data.language },
    h(Hydrated),
    h(
      'main',
      null,
      h(CandorSlot, { slot: 'offer', as: 'h2', fallback: 'Our offer' }),
      h(WhyButton, { slot: 'offer' }),
      h(CandorSlot, { slot: 'banner', as: 'p', fallback: 'Welcome to the shop' }),
      h(SiteConsent, { purposes: data.purposes }),
    ),
  );
}
