'use client';
import type { ChosenVariant, DecisionReason, Language } from '@candor/core';
import type { ConsentView } from '@candor/sdk';
import { useCallback, useEffect, useState } from 'react';
import { useCandorContext } from './candor-context.js';
import type { InitialDecision } from './initial-decision.js';

/** A slot's decision as a component reads it. */
export interface SlotDecision {
  /** The variant shown; null means the page's own default content. */
  readonly variant: ChosenVariant | null;
  /** The variant's content for this slot, when it has some. */
  readonly content: ChosenVariant['content'] | null;
  /** Why this content (a closed union that maps onto OpenFeature reasons). */
  readonly reason: DecisionReason;
  readonly decision: InitialDecision;
}

/**
 * The decision for a slot, or undefined when nobody decided it (no server decision and the browser
 * SDK has not started yet, or the snapshot does not know the slot).
 *
 * @example const hero = useDecision('hero'); return hero?.variant ? <Hero variant={hero.variant.id} /> : <DefaultHero />;
 */
export function useDecision(slot: string): SlotDecision | undefined {
  const decision = useCandorContext().decisions.get(slot);
  if (!decision) return undefined;
  return { variant: decision.variant, content: decision.variant?.content ?? null, reason: decision.reason, decision };
}

/**
 * A ref for the element that shows a slot you render yourself (from `useDecision`): Candor counts
 * the slot's exposure once that element is half on screen, as it does for `<CandorSlot>`, while
 * measurement is granted and the visitor is enrolled. Without it an experiment's slot is never
 * counted exposed, and so none of its conversions count either. It changes nothing that renders.
 *
 * @example const hero = useDecision('hero'); const measured = useExposure('hero'); return <h1 ref={measured}>…</h1>;
 */
export function useExposure(slot: string): (element: Element | null) => void {
  const { candor } = useCandorContext();
  const [element, setElement] = useState<Element | null>(null);
  // In an effect, so it runs only in the browser, after hydration; unmounting stops measuring.
  useEffect(() => (candor && element ? candor.expose(slot, element) : undefined), [candor, slot, element]);
  return setElement;
}

/** The language variant text is shown in (the provider's). */
export function useCandorLanguage(): Language {
  return useCandorContext().language;
}

/** The visitor's consent and a way to record their choice. */
export interface ConsentControls {
  /** undefined on the server and until the browser SDK has read the device's choice. */
  readonly view: ConsentView | undefined;
  /** 'unknown' until the browser SDK has read the device's choice. */
  readonly phase: ConsentView['phase'] | 'unknown';
  /**
   * Records the visitor's own choice per purpose id (absent = denied) in the ledger; decisions follow.
   * Call it only from the visitor's action (a click on your own consent UI), never on their behalf.
   */
  readonly choose: (choices: Readonly<Record<string, boolean>>) => Promise<void>;
}

/**
 * The visitor's consent as Candor knows it, and `choose` for a site's own consent UI.
 *
 * @example const { phase, choose } = useConsent(); <button onClick={() => choose({ personalization: true })}>Allow</button>
 */
export function useConsent(): ConsentControls {
  const { candor, consent } = useCandorContext();
  const choose = useCallback(
    async (choices: Readonly<Record<string, boolean>>): Promise<void> => {
      if (!candor) throw new Error('Candor has not started in this browser yet: call choose from a visitor action.');
      await candor.consent.set(choices);
    },
    [candor],
  );
  return { view: consent, phase: consent?.phase ?? 'unknown', choose };
}

/**
 * Opens Candor's preference center (all data held, edit, delete, download, withdraw), loading the
 * visitor UI lazily the first time.
 *
 * @example const { open } = usePreferenceCenter(); <button onClick={open}>Privacy choices</button>
 */
export function usePreferenceCenter(): { readonly ready: boolean; readonly open: () => Promise<void> } {
  const { candor } = useCandorContext();
  const open = useCallback(async (): Promise<void> => {
    await candor?.openPreferences();
  }, [candor]);
  return { ready: candor !== undefined, open };
}
