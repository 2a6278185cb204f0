import type { Language } from '@candor/core';
import type { startCandor } from '@candor/sdk';

/** How the browser SDK is started: `startCandor`'s options (site key, API, public key, …). */
export type CandorStartOptions = Parameters<typeof startCandor>[0];

/**
 * The SDK's options with the page's rendering language, so its dialogs ("Why?", the prompt, the
 * preference center) speak the language the slots were rendered in. A language set in the options
 * themselves wins.
 */
export function withPageLanguage(options: CandorStartOptions, language: Language | undefined): CandorStartOptions {
  return language === undefined || options.language !== undefined ? options : { ...options, language };
}
