import type { Purpose } from '@candor/core';
import type { CmpAdapter, CmpReading } from './contract.js';

/** The part of vanilla-cookieconsent v3's global API the adapter reads (a subset, not the package's types). */
interface CookieConsentApi {
  validConsent(): boolean;
  getUserPreferences(): {
    readonly acceptedCategories?: readonly string[];
    readonly rejectedCategories?: readonly string[];
  };
}

// v3 announces every state on window: on load when a choice exists, at the first choice, on a change.
const EVENTS = ['cc:onConsent', 'cc:onFirstConsent', 'cc:onChange'] as const;

/** vanilla-cookieconsent v3 (`window.CookieConsent`): its categories as the site named them. */
export function cookieConsentAdapter(win: Window, requirements: (purpose: Purpose) => readonly string[]): CmpAdapter {
  const api = (): CookieConsentApi | undefined => {
    const candidate = (win as { CookieConsent?: Partial<CookieConsentApi> }).CookieConsent;
    return typeof candidate?.validConsent === 'function' && typeof candidate.getUserPreferences === 'function'
      ? (candidate as CookieConsentApi)
      : undefined;
  };
  return {
    read(): CmpReading {
      const cc = api();
      if (!cc) return { kind: 'absent' };
      if (!cc.validConsent()) return { kind: 'undecided' };
      const { acceptedCategories = [], rejectedCategories = [] } = cc.getUserPreferences();
      // Rejections are named too: only an explicit "no" objects to a contextual purpose.
      const categories = Object.fromEntries([
        ...rejectedCategories.map((category) => [category, false] as const),
        ...acceptedCategories.map((category) => [category, true] as const),
      ]);
      return { kind: 'decided', categories };
    },
    subscribe(onChange) {
      for (const event of EVENTS) win.addEventListener(event, onChange);
      return () => {
        for (const event of EVENTS) win.removeEventListener(event, onChange);
      };
    },
    requirements,
  };
}
