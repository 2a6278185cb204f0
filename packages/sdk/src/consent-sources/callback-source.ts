import type { Purpose } from '@candor/core';
import type { CallbackSource, CmpAdapter, CmpReading } from './contract.js';

/** The generic callback API: the page's own `read`/`subscribe` pair (OneTrust-style CMPs). */
export function callbackAdapter(
  source: CallbackSource,
  requirements: (purpose: Purpose) => readonly string[],
): CmpAdapter {
  return {
    read(): CmpReading {
      const value = source.read();
      if (value === 'undecided') return { kind: 'undecided' };
      if (typeof value !== 'object' || value === null) return { kind: 'absent' };
      return { kind: 'decided', categories: value };
    },
    subscribe(onChange) {
      const off = source.subscribe(onChange);
      return typeof off === 'function' ? off : () => undefined;
    },
    requirements,
  };
}
