// The script-tag entry (IIFE, `candor.js`): reads its own `data-*` attributes and starts Candor.
// Everything runs inside try/catch: a broken configuration leaves the page's default content.
import { createCandor } from './candor.js';
import type { CandorError } from './events.js';
import { parsePublicKey } from './snapshot/verify.js';
import { scriptUrl } from './render/trusted-types.js';
import { editorToken } from './editor/editor-hash.js';
import { UI_EVENT, type StringOverrides, type UiModule } from './ui-contract.js';
import { CONSENT_SOURCES_EVENT, type CallbackSource, type ConsentSourcesModule } from './consent-sources/contract.js';

interface PageConfig {
  readonly strings?: StringOverrides;
  readonly onError?: (error: CandorError) => void;
  readonly context?: Record<string, string | number | boolean>;
  /** The generic callback consent source (`data-consent-source="callback"`). */
  readonly consentSource?: CallbackSource;
}

type CandorWindow = Window & {
  candor?: unknown;
  candorConfig?: PageConfig;
};

/**
 * Loads a lazy chunk (`candor-ui.js`, `candor-consent.js`) with a `<script nonce>` (no eval,
 * strict-CSP safe; its URL passes the 'candor' Trusted Types policy) and resolves the module the
 * chunk hands over in its event. Never a window property: variant HTML such as
 * `<a id="__candorUi">` would shadow it.
 */
export function scriptLoader<T = UiModule>(
  doc: Document,
  src: string,
  nonce: string | undefined,
  eventName: string = UI_EVENT,
): () => Promise<T> {
  return () =>
    new Promise((resolve, reject) => {
      let module: T | undefined;
      const take = (event: Event): void => {
        module = (event as CustomEvent<T>).detail;
      };
      doc.addEventListener(eventName, take);
      const script = doc.createElement('script');
      script.src = scriptUrl(doc.defaultView, src);
      script.async = true;
      if (nonce) script.nonce = nonce;
      const settle = (): void => {
        doc.removeEventListener(eventName, take);
        if (module) resolve(module);
        else reject(new Error(`${src} failed to load`));
      };
      script.addEventListener('load', settle);
      script.addEventListener('error', settle);
      doc.head.appendChild(script);
    });
}

function boot(): void {
  const win = window as CandorWindow;
  const script = document.currentScript as HTMLScriptElement | null;
  const data = script?.dataset ?? {};
  const siteKey = data['site'];
  if (!script || !siteKey) return;
  const src = new URL(script.src, location.href);
  const api = data['api'] ?? src.origin;
  const nonce = script.nonce || data['nonce'] || undefined;
  const config = win.candorConfig ?? {};
  const publicKey = parsePublicKey(data['publicKey']);
  const language = data['lang'] === 'en' || data['lang'] === 'zh-Hant' ? data['lang'] : undefined;
  const uiSrc = data['uiSrc'] ?? new URL('candor-ui.js', src).href;
  const sourceName = data['consentSource'];
  const consentSrc = data['consentSrc'] ?? new URL('candor-consent.js', src).href;
  // The visual editor loads only for a marketer's `#candor-editor=<token>` link; visitors never fetch it.
  const editing = editorToken(location.hash, Date.now()) !== undefined;
  win.candor = createCandor({
    siteKey,
    editing,
    api,
    loadUi: scriptLoader(document, uiSrc, nonce),
    consentMode: data['consentMode'] === 'on',
    privacyLink: data['privacyLink'] !== 'off',
    ...(publicKey ? { publicKey } : {}),
    ...(language ? { language } : {}),
    ...(nonce ? { nonce } : {}),
    ...(data['timeout'] ? { timeoutMs: Number(data['timeout']) || 800 } : {}),
    ...(data['cookieDomain'] ? { cookieDomain: data['cookieDomain'] } : {}),
    ...(data['maxQuestions'] ? { maxQuestions: Number(data['maxQuestions']) || 1 } : {}),
    ...(config.strings ? { strings: config.strings } : {}),
    ...(config.onError ? { onError: config.onError } : {}),
    ...(config.context ? { context: config.context } : {}),
    consentSource: {
      load: scriptLoader<ConsentSourcesModule>(document, consentSrc, nonce, CONSENT_SOURCES_EVENT),
      ...(sourceName ? { name: sourceName } : {}),
      ...(sourceName && data['consentMap'] ? { map: data['consentMap'] } : {}),
      ...(config.consentSource ? { callback: config.consentSource } : {}),
    },
  });
  if (editing) {
    const editor = document.createElement('script');
    editor.src = scriptUrl(win, new URL('candor-editor.js', src).href);
    if (nonce) editor.nonce = nonce;
    document.head.appendChild(editor);
  }
}

try {
  boot();
} catch {
  // Never break the host page: without Candor it shows its default content.
}
