import type { Purpose } from '@candor/core';
import type { CmpAdapter, CmpReading } from './contract.js';

type Layer = unknown[] & { push: (...items: unknown[]) => number };

/**
 * Folds a `dataLayer` into the Consent Mode state the visitor chose. Only `update` commands count:
 * a `default` is the site's assumption before a choice, never the visitor's answer.
 */
export function readConsentMode(layer: readonly unknown[]): CmpReading {
  const state: Record<string, boolean> = {};
  let updated = false;
  for (const entry of layer) {
    // gtag() pushes its Arguments object; other tools push arrays.
    if (typeof entry !== 'object' || entry === null || !('length' in entry)) continue;
    const [command, kind, signals] = Array.from(entry as ArrayLike<unknown>);
    if (command !== 'consent' || typeof signals !== 'object' || signals === null) continue;
    if (kind !== 'default' && kind !== 'update') continue;
    for (const [signal, value] of Object.entries(signals)) {
      if (value === 'granted' || value === 'denied') state[signal] = value === 'granted';
    }
    if (kind === 'update') updated = true;
  }
  if (!updated) return Object.keys(state).length > 0 ? { kind: 'undecided' } : { kind: 'absent' };
  return { kind: 'decided', categories: state };
}

/** Consent Mode v2 as set by any other tool: each Candor purpose needs its declared signals granted. */
export function consentModeAdapter(
  win: Window,
  siteMap: ((purpose: Purpose) => readonly string[]) | undefined,
): CmpAdapter {
  const host = win as unknown as { dataLayer?: Layer };
  return {
    read: () => (Array.isArray(host.dataLayer) ? readConsentMode(host.dataLayer) : { kind: 'absent' }),
    subscribe(onChange) {
      // The standard snippet does the same (`dataLayer = dataLayer || []`), so creating it is safe.
      const layer = (host.dataLayer ??= [] as unknown as Layer);
      let current = layer.push;
      const heard = function push(this: Layer, ...items: unknown[]): number {
        const length = current.apply(this, items);
        onChange();
        return length;
      };
      // Google's tag replaces `dataLayer.push` with its own when it loads: an accessor keeps Candor
      // listening by wrapping whatever function is assigned later.
      Object.defineProperty(layer, 'push', {
        configurable: true,
        get: () => heard,
        set: (next: Layer['push']) => {
          current = next;
        },
      });
      return () => {
        delete (layer as Partial<Layer>).push;
        if (current !== Array.prototype.push) layer.push = current;
      };
    },
    requirements: siteMap ?? ((purpose) => purpose.consentMode ?? []),
  };
}
