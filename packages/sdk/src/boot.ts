// The script-tag entry (IIFE, `candor.js`): reads its own `data-*` attributes and starts Candor.
// Everything runs inside try/catch: a broken configuration leaves the page's default content.
import { createCandor } from './candor.js';
import type { CandorError } from './events.js';
import { parsePublicKey } from './snapshot/verify.js';
import type { StringOverrides, UiModule } from './ui-contract.js';

interface PageConfig {
  readonly strings?: StringOverrides;
  readonly onError?: (error: CandorError) => void;
  readonly context?: Record<string, string | number | boolean>;
}

type CandorWindow = Window & {
  candor?: unknown;
  candorConfig?: PageConfig;
  __candorUi?: UiModule;
};

/** Loads `candor-ui.js` with a `<script nonce>` (no eval, strict-CSP safe) and resolves its module. */
export function scriptLoader(doc: Document, src: string, nonce: string | undefined): () => Promise<UiModule> {
  return () =>
    new Promise((resolve, reject) => {
      const win = doc.defaultView as CandorWindow;
      if (win.__candorUi) {
        resolve(win.__candorUi);
        return;
      }
      const script = doc.createElement('script');
      script.src = src;
      script.async = true;
      if (nonce) script.nonce = nonce;
      script.addEventListener('load', () => (win.__candorUi ? resolve(win.__candorUi) : reject(new Error('no UI'))));
      script.addEventListener('error', () => reject(new Error('UI failed to load')));
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
  win.candor = createCandor({
    siteKey,
    api,
    loadUi: scriptLoader(document, uiSrc, nonce),
    consentMode: data['consentMode'] === 'on',
    privacyLink: data['privacyLink'] !== 'off',
    ...(publicKey ? { publicKey } : {}),
    ...(language ? { language } : {}),
    ...(nonce ? { nonce } : {}),
    ...(data['timeout'] ? { timeoutMs: Number(data['timeout']) || 800 } : {}),
    ...(data['maxQuestions'] ? { maxQuestions: Number(data['maxQuestions']) || 1 } : {}),
    ...(config.strings ? { strings: config.strings } : {}),
    ...(config.onError ? { onError: config.onError } : {}),
    ...(config.context ? { context: config.context } : {}),
  });
}

try {
  boot();
} catch {
  // Never break the host page: without Candor it shows its default content.
}
