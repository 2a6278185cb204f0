'use client';
import type { Language } from '@candor/core';
import type { Candor, ConsentView } from '@candor/sdk';
import { createContext, useContext } from 'react';
import type { ShownDecisions } from './follow-decisions.js';

/** What the provider shares with the hooks and components below it. */
export interface CandorContextValue {
  readonly decisions: ShownDecisions;
  readonly language: Language;
  /** The browser SDK; undefined on the server and until the provider has started it after hydration. */
  readonly candor: Candor | undefined;
  /** The visitor's consent as the browser SDK knows it; undefined on the server and before it is read. */
  readonly consent: ConsentView | undefined;
  readonly sanitizeHtml: ((html: string) => string) | undefined;
}

export const CandorContext = createContext<CandorContextValue | undefined>(undefined);

/** The provider's value; throws (a programming error, not a visitor's) outside `<CandorProvider>`. */
export function useCandorContext(): CandorContextValue {
  const value = useContext(CandorContext);
  if (!value) throw new Error('Candor hooks and components must be rendered inside <CandorProvider>.');
  return value;
}
