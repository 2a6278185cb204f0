import type { ConsentModeSignal, Purpose } from '@candor/core';

type Gtag = (...args: unknown[]) => void;

/**
 * Mirrors Candor's purposes to Google Consent Mode v2 (docs/privacy.md §2) so a site's other tags
 * follow the visitor's choice. A signal is granted only when every purpose mapped to it is.
 */
export function consentModeSignals(
  purposes: readonly Purpose[],
  granted: Readonly<Record<string, boolean>>,
): Record<ConsentModeSignal, 'granted' | 'denied'> {
  const out: Partial<Record<ConsentModeSignal, 'granted' | 'denied'>> = {
    ad_storage: 'denied',
    ad_user_data: 'denied',
    ad_personalization: 'denied',
  };
  for (const purpose of purposes) {
    for (const signal of purpose.consentMode ?? []) {
      const on = granted[purpose.id] === true && out[signal] !== 'denied';
      out[signal] = on ? 'granted' : 'denied';
    }
  }
  return out as Record<ConsentModeSignal, 'granted' | 'denied'>;
}

/** Calls `gtag('consent', command, signals)`, defining the standard `dataLayer` shim if needed. */
export function sendConsentMode(
  win: Window,
  command: 'default' | 'update',
  signals: Readonly<Record<string, string>>,
): void {
  const host = win as unknown as { gtag?: Gtag; dataLayer?: unknown[] };
  if (typeof host.gtag !== 'function') {
    host.dataLayer = host.dataLayer ?? [];
    const layer = host.dataLayer;
    // gtag.js reads Arguments objects from the dataLayer, so the shim must push `arguments`.
    host.gtag = function gtag() {
      // eslint-disable-next-line prefer-rest-params
      layer.push(arguments);
    };
  }
  host.gtag?.('consent', command, signals);
}
