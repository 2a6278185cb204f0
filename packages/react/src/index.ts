'use client';
// @candor/react for client components. React Server Components import `@candor/react/server`
// (decisions for the first HTML) and render <CandorProvider> as the client boundary.
export { CandorProvider } from './candor-provider.js';
export type { CandorProviderProps, CandorSource, CandorStartOptions } from './candor-provider.js';
export { CandorSlot, REACT_SLOT_ATTRIBUTE } from './candor-slot.js';
export type { CandorSlotProps } from './candor-slot.js';
export { WhyButton } from './why-button.js';
export type { WhyButtonProps } from './why-button.js';
export { useCandorLanguage, useConsent, useDecision, useExposure, usePreferenceCenter } from './hooks.js';
export type { ConsentControls, SlotDecision } from './hooks.js';
export { initialDecisions } from './initial-decision.js';
export type { InitialDecision } from './initial-decision.js';
