import type { Purpose } from '@candor/core';
import type { CmpAdapter, CmpReading } from './contract.js';
import { whenPresent } from './when-present.js';

/** The part of Klaro's consent manager the adapter reads (a subset, not the package's types). */
interface KlaroManager {
  readonly confirmed: boolean;
  /** What the visitor saved; `consents` also holds toggles not saved yet. */
  readonly savedConsents: Readonly<Record<string, boolean>>;
  watch(watcher: { update(manager: unknown, event: string): void }): void;
  unwatch(watcher: { update(manager: unknown, event: string): void }): void;
}

/** Klaro (`window.klaro`): its services (as the site's Klaro config names them) are the categories. */
export function klaroAdapter(win: Window, requirements: (purpose: Purpose) => readonly string[]): CmpAdapter {
  const manager = (): KlaroManager | undefined => {
    const klaro = (win as { klaro?: { getManager?: () => KlaroManager | undefined } }).klaro;
    try {
      return typeof klaro?.getManager === 'function' ? klaro.getManager() : undefined;
    } catch {
      // Klaro throws while its config is missing: that is a CMP not loaded yet.
      return undefined;
    }
  };
  return {
    read(): CmpReading {
      const current = manager();
      if (!current) return { kind: 'absent' };
      // Before the visitor confirms, Klaro holds the config's defaults, not a choice.
      if (!current.confirmed) return { kind: 'undecided' };
      return { kind: 'decided', categories: { ...current.savedConsents } };
    },
    subscribe(onChange) {
      return whenPresent(win, manager, (found) => {
        // Klaro tells watchers of each unsaved toggle ('consents') and of each applied choice.
        const watcher = { update: (_manager: unknown, event: string) => event !== 'consents' && onChange() };
        found.watch(watcher);
        onChange();
        return () => found.unwatch(watcher);
      });
    },
    requirements,
  };
}
