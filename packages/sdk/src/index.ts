// @candor/sdk for bundlers: the same runtime as the script tag, with the UI chunk loaded by `import()`.
import { createCandor as create, type Candor, type CandorOptions } from './candor.js';
import type { ConsentSourcesModule } from './consent-sources/contract.js';

/**
 * Starts Candor with the visitor UI loaded lazily as a separate chunk.
 *
 * @example const candor = startCandor({ siteKey: 'shop', api: 'https://candor.example', publicKey })
 */
export function startCandor(options: Omit<CandorOptions, 'loadUi'> & Partial<Pick<CandorOptions, 'loadUi'>>): Candor {
  return create({ loadUi: () => import('./ui/index.js').then((module) => module.ui), ...options });
}

/**
 * Loads the consent-source adapters as a lazy chunk, for `consentSource.load` (docs/consent.md).
 *
 * @example startCandor({ ..., consentSource: { name: 'tcf', load: loadConsentSources } })
 */
export function loadConsentSources(): Promise<ConsentSourcesModule> {
  return import('./consent-sources/connect-source.js').then(({ connect }) => ({ connect }));
}

export { createCandor } from './candor.js';
export type { Candor, CandorOptions } from './candor.js';
export type { CandorError, CandorErrorCode, CandorEvents } from './events.js';
export type {
  BrowserSignals,
  ConsentAction,
  ConsentHistoryEntry,
  ConsentSource,
  ConsentView,
} from './consent/consent.js';
export type {
  CallbackSource,
  CmpLedgerSource,
  ConsentSourcesModule,
  DeclaredConsentSource,
  SourceName,
} from './consent-sources/contract.js';
export type { AskResult, StringOverrides, UiHost, UiModule } from './ui-contract.js';
export type { DeviceRecord, StoredValue } from './profile/profile-store.js';
export { sanitizeHtml } from './render/sanitize.js';
export { verifySignature, parsePublicKey } from './snapshot/verify.js';
