import type {
  Decision,
  DecisionEngine,
  Explanation,
  Field,
  Language,
  Snapshot,
  VerifiedExplainInput,
} from '@candor/core';
import type { ConsentSource, ConsentView } from './consent/consent.js';
import type { createLedger } from './consent/ledger.js';
import type { DeviceRecord } from './profile/profile-store.js';

/** What `candor.ask(field)` resolves to. */
export type AskResult =
  | { readonly status: 'answered'; readonly value: unknown }
  | { readonly status: 'skipped' | 'cooling_off' | 'limit_reached' | 'not_allowed' | 'unknown_field' };

/** Visitor-facing UI text a site may override per language (`strings: { en: { accept: '…' } }`). */
export type StringOverrides = Partial<Record<Language, Readonly<Record<string, string>>>>;

/**
 * What the lazily loaded UI chunk may do: the head keeps every piece of state and the UI only
 * calls these, so the UI can never bypass consent gating or write storage on its own.
 */
export interface UiHost {
  readonly doc: Document;
  readonly nonce: string | undefined;
  readonly language: () => Language;
  readonly strings: StringOverrides;
  readonly snapshot: () => Snapshot | undefined;
  readonly consent: () => ConsentView;
  /**
   * Records a choice made in the prompt or preference center, with the exact notice text shown.
   * `withdraw` is taking back consent given earlier (the ledger says so, not "reject all").
   */
  readonly choose: (
    action: 'accept_all' | 'reject_all' | 'custom' | 'withdraw' | 'reprompt',
    choices: Readonly<Record<string, boolean>>,
    source: ConsentSource,
    noticeText: string,
  ) => Promise<void>;
  /** "Stop personalizing me" (absolute objection). */
  readonly object: (noticeText: string) => Promise<void>;
  readonly record: () => DeviceRecord;
  readonly decision: (slot: string) => Decision | undefined;
  /** What the current decisions were made from (undefined before a snapshot is known). */
  readonly explainInput: () => VerifiedExplainInput | undefined;
  /** The head's decision machinery, lent so the UI chunk does not ship a second copy of it. */
  readonly engine: DecisionEngine;
  /** The head's stylesheet installer (constructable sheet, else a nonce'd `<style>`), lent like `engine`. */
  readonly addStyles: (css: string) => void;
  readonly answer: (field: Field, value: unknown) => void;
  readonly skip: (field: Field) => void;
  readonly removeValue: (key: string) => Promise<void>;
  /** "Don't use this for personalization": removes the slot's data (or denies its purpose), re-renders at once. */
  readonly stopUsing: (slot: string) => Promise<void>;
  readonly showStandard: (slot: string) => void;
  readonly trust: (
    slot: string | undefined,
    event: 'opt_out' | 'not_relevant' | 'preference_center' | 'explanation_open',
  ) => void;
  readonly serverData: () => Promise<unknown>;
  /** Deletes everything on the device and on the server; resolves false if the server could not be reached. */
  readonly deleteEverything: () => Promise<boolean>;
  readonly privacyPageUrl: () => string | undefined;
}

/** The event `candor-ui.js` dispatches on its document with the UI module as `detail`. */
export const UI_EVENT = 'candor:ui';

/** The UI chunk's surface (`candor-ui.js`). */
export interface UiModule {
  showPrompt(host: UiHost): void;
  openWhy(host: UiHost, slot: string, opener: HTMLElement): void;
  openPreferences(host: UiHost, opener?: HTMLElement): void;
  ask(host: UiHost, field: Field, container?: Element): Promise<AskResult>;
  renderBadges(host: UiHost): void;
  explain(host: UiHost, slot: string): Explanation | undefined;
  /** The server ledger client: it travels with the UI because only a visitor's action calls it. */
  createLedger: typeof createLedger;
}
