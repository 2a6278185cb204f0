import type { Purpose } from '@candor/core';
import type { CandorError } from '../events.js';

/** The consent sources a site can declare instead of Candor's prompt (docs/consent.md). */
export const SOURCE_NAMES = ['callback', 'cookieconsent', 'consent-mode', 'klaro', 'tcf', 'gpp'] as const;
/** One declared consent source. */
export type SourceName = (typeof SOURCE_NAMES)[number];
/** How the ledger names a choice a consent source made (`cmp:<name>`). */
export type CmpLedgerSource = `cmp:${SourceName}`;

/**
 * What a CMP says right now. `absent`: the CMP has not loaded (yet); `undecided`: it is there but
 * the visitor has not chosen; `decided`: the CMP's own categories, each granted or not (a category
 * the CMP does not name counts as not granted); `invalid`: an answer that grants nothing.
 */
export type CmpReading =
  | { readonly kind: 'absent' }
  | { readonly kind: 'undecided' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'decided'; readonly categories: Readonly<Record<string, boolean>> };

/** An adapter over one CMP: read its state now, and hear when it changes. */
export interface CmpAdapter {
  read(): CmpReading;
  /** Calls `onChange` after the CMP's state may have changed; returns the unsubscribe function. */
  subscribe(onChange: () => void): () => void;
  /**
   * Which of the CMP's categories a Candor purpose needs, all of them granted. An empty list means
   * the purpose cannot be mapped, and it stays denied.
   */
  requirements(purpose: Purpose): readonly string[];
}

/**
 * The generic callback API (OneTrust-style CMPs), set as `candorConfig.consentSource`: `read()`
 * returns the CMP's categories (undefined while the CMP has not loaded, `'undecided'` before the
 * visitor chose), `subscribe(notify)` calls `notify` on every change.
 */
export interface CallbackSource {
  read(): Readonly<Record<string, boolean>> | 'undecided' | undefined;
  subscribe(notify: () => void): (() => void) | void;
}

/** What `connect` needs from the head: the declared source plus the page and its purposes. */
export interface ConnectOptions {
  readonly win: Window;
  readonly name: string;
  /** The raw `data-consent-map` JSON: CMP category → Candor purpose id (or ids). */
  readonly map?: string | undefined;
  readonly callback?: CallbackSource | undefined;
  readonly purposes: readonly Purpose[];
  /** Receives the CMP's answer as Candor grants (optional purposes only) and the notice it stands for. */
  readonly onGrants: (grants: Readonly<Record<string, boolean>>, source: CmpLedgerSource, notice: string) => void;
  readonly onError: (error: CandorError) => void;
  /** How long a CMP may stay absent before it is reported silent (ms). */
  readonly waitMs?: number;
}

/** The lazily loaded consent-source chunk (`candor-consent.js`). */
export interface ConsentSourcesModule {
  /** Connects the declared source; returns the function that disconnects it. */
  connect(options: ConnectOptions): () => void;
}

/**
 * How the page reaches the consent-source chunk, and the source it declares itself. Without `name`
 * the site settings' source (the snapshot's `site.consentSource`) applies, if there is one; a name
 * on the page wins, map included. The chunk is loaded only when a source is declared either way.
 */
export interface DeclaredConsentSource {
  readonly name?: string;
  readonly map?: string;
  readonly callback?: CallbackSource;
  readonly load: () => Promise<ConsentSourcesModule>;
}

/** The event `candor-consent.js` dispatches on its document with the module as `detail`. */
export const CONSENT_SOURCES_EVENT = 'candor:consent-sources';
