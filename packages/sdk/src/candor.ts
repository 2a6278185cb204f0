import {
  decideVerified,
  pickLanguage,
  verifiedEngine,
  type Attributes,
  type Decision,
  type DecisionContext,
  type Explanation,
  type Field,
  type Language,
  type Snapshot,
} from '@candor/core';
import {
  createConsentMachine,
  readSignals,
  type ConsentChange,
  type ConsentSource,
  type ConsentView,
} from './consent/consent.js';
import { consentModeSignals, sendConsentMode } from './consent/consent-mode.js';
import type { Ledger } from './consent/ledger.js';
import { createEmitter, type CandorError, type CandorEvents } from './events.js';
import { conversionDeltas, exposureDeltas, reportVariant } from './measure/aggregate.js';
import { createReporter } from './measure/reporter.js';
import { contextAttributes, observedValue, readPage } from './profile/observe.js';
import { createProfileStore } from './profile/profile-store.js';
import { findSlots, renderSlot, restoreSlot, SLOT_ATTRIBUTE, STATE_ATTRIBUTE } from './render/slots.js';
import { addStyles, ANTI_FLICKER_CSS } from './render/styles.js';
import {
  cacheSnapshot,
  dropCachedSnapshot,
  loadSnapshot,
  readBootstrap,
  readCachedSnapshot,
  verifyBody,
  type VerifiedSnapshot,
} from './snapshot/snapshot-source.js';
import { localStore, type KeyValueStore } from './store.js';
import type { AskResult, StringOverrides, UiHost, UiModule } from './ui-contract.js';

/** How a site configures Candor (the script tag's `data-*` attributes map onto these). */
export interface CandorOptions {
  readonly siteKey: string;
  /** The Candor server's base URL, e.g. `https://candor.example`. */
  readonly api: string;
  /** The site's snapshot-signing public key; fetched from the server's JWKS route when absent. */
  readonly publicKey?: JsonWebKey;
  /** Forces a UI language; otherwise `<html lang>`, then `navigator.languages`, then the site default. */
  readonly language?: Language;
  readonly strings?: StringOverrides;
  /** Mirror choices to Google Consent Mode v2. */
  readonly consentMode?: boolean;
  /** How long undecided slots stay hidden on a first visit (ms). */
  readonly timeoutMs?: number;
  /** Questions asked per page session at most. */
  readonly maxQuestions?: number;
  /** Adds a floating "Privacy choices" link when the page has no `[data-candor-preferences]` element. */
  readonly privacyLink?: boolean;
  /** The CSP nonce for `<style>`/`<script>` the SDK adds where constructable stylesheets are missing. */
  readonly nonce?: string;
  readonly loadUi: () => Promise<UiModule>;
  readonly onError?: (error: CandorError) => void;
  /** Extra context attributes (this visit only, never stored). */
  readonly context?: Attributes;
  readonly window?: Window;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly store?: KeyValueStore;
}

/** The page-facing API (`window.candor`). */
export interface Candor {
  /** The current decision for a slot (default content has `variant: null`). */
  decide(slot: string): Decision | undefined;
  /** The visitor-facing explanation of a slot's decision (loads the UI chunk). */
  explain(slot: string): Promise<Explanation | undefined>;
  on<K extends keyof CandorEvents>(event: K, handler: (payload: CandorEvents[K]) => void): () => void;
  /** Counts a conversion (aggregate only, and only while measurement is granted). */
  track(metric: string, value?: number): void;
  ask(field: string, container?: Element): Promise<AskResult>;
  openPreferences(): Promise<void>;
  readonly consent: {
    get(): ConsentView;
    set(choices: Readonly<Record<string, boolean>>, source?: ConsentSource): Promise<void>;
  };
  /** Resolves once the snapshot is loaded (or known to be unavailable). */
  readonly ready: Promise<void>;
}

/** The purpose whose grant lets the server keep declared values across devices (DESIGN.md). */
const SYNC_PURPOSE = 'sync';

const HEAD_TEXT = {
  en: { why: 'Why?', whyLabel: 'Why am I seeing this?', choices: 'Privacy choices' },
  'zh-Hant': { why: '為什麼？', whyLabel: '為什麼我會看到這個？', choices: '隱私選擇' },
} as const;

const HEAD_CSS =
  '.candor-why{font:12px/1.2 system-ui,sans-serif;margin:0 0 0 .5em;padding:2px 6px;border:1px solid currentColor;border-radius:9px;background:transparent;color:inherit;cursor:pointer;vertical-align:middle}' +
  '.candor-why:focus-visible,.candor-choices:focus-visible{outline:3px solid #1a56db;outline-offset:2px}' +
  '.candor-choices{position:fixed;left:8px;bottom:8px;z-index:2147483000;font:13px/1.2 system-ui,sans-serif;padding:6px 10px;border:1px solid #555;border-radius:4px;background:#fff;color:#111;cursor:pointer}';

/**
 * Starts Candor on a page: decides slots from the cached (or bootstrap) snapshot before first paint,
 * hides only undecided slots on a first visit (at most `timeoutMs`), and never breaks the page.
 *
 * @example const candor = createCandor({ siteKey: 'shop', api: 'https://candor.example', loadUi: () => import('@candor/sdk/ui') })
 */
export function createCandor(options: CandorOptions): Candor {
  const win = options.window ?? window;
  const doc = win.document;
  const now = options.now ?? (() => Date.now());
  const http = options.fetch ?? win.fetch.bind(win);
  const store = options.store ?? localStore(options.siteKey);
  const events = createEmitter();
  const fail = (error: CandorError): void => {
    events.emit('error', error);
    try {
      options.onError?.(error);
    } catch {
      // The site's hook must not break the page.
    }
  };
  const page = readPage(win);
  let verified: VerifiedSnapshot | undefined;
  const snapshot = (): Snapshot | undefined => verified?.snapshot;
  // Before a snapshot is known there are no purposes to grant: everything optional is off.
  const purposes = () => snapshot()?.purposes ?? [];
  const consent = createConsentMachine({
    store,
    purposes,
    policyVersion: () => snapshot()?.site.policyVersion ?? '',
    signals: readSignals(win.navigator),
    now,
    onCorrupt: () => fail({ code: 'STORAGE_CORRUPT', message: 'the stored consent was unreadable and was reset' }),
  });
  /** Storage beyond the choice itself needs a profiling or measurement purpose (DESIGN.md "Without consent"). */
  const canStore = (): boolean => {
    const view = consent.view();
    return purposes().some(
      (p) => (p.class === 'behavioural' || p.class === 'measurement') && view.granted[p.id] === true,
    );
  };
  const measuring = (): boolean => {
    const view = consent.view();
    return purposes().some((p) => p.class === 'measurement' && view.granted[p.id] === true);
  };
  const profile = createProfileStore({
    store,
    now,
    canStore,
    onCorrupt: () => fail({ code: 'STORAGE_CORRUPT', message: 'the stored profile was unreadable and was reset' }),
  });
  const randomId = (): string =>
    typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const reporter = createReporter({
    url: `${options.api}/v1/sites/${encodeURIComponent(options.siteKey)}/reports`,
    fetch: http,
    beacon: (url, body) => win.navigator.sendBeacon?.(url, body) ?? false,
    randomId,
    visitorId: () => (measuring() ? profile.record().visitorId : undefined),
    setTimer: (fn, ms) => win.setTimeout(fn, ms),
    onFailure: (message) => fail({ code: 'REPORT_FAILED', message }),
  });

  const language = (): Language =>
    options.language ??
    pickLanguage(
      [doc.documentElement.lang, ...(win.navigator.languages ?? [])].filter(Boolean),
      snapshot()?.site.defaultLanguage ?? 'en',
    );
  const decisionContext = (): DecisionContext => ({
    now: now(),
    attributes: { ...contextAttributes(page), ...options.context },
    languages: [doc.documentElement.lang, ...(win.navigator.languages ?? [])].filter(Boolean),
    slots: findSlots(doc).map((el) => el.getAttribute(SLOT_ATTRIBUTE) ?? ''),
  });

  let decisions = new Map<string, Decision>();
  let lastContext: DecisionContext | undefined;
  const standard = new Set<string>();
  const decideAll = (): void => {
    const current = snapshot();
    if (!current) return;
    if (measuring()) profile.ensureVisitorId(randomId);
    lastContext = decisionContext();
    // The snapshot's signature was verified and the stores parsed what they read from storage, so
    // core's structural checks would only repeat the server's (and cost the head their bytes).
    const made = decideVerified(current, profile.record(), consent.view().state, lastContext, {
      onError: (detail) => fail({ code: detail.code, message: detail.message }),
    });
    decisions = new Map(made.map((decision) => [decision.slot, decision]));
  };

  // ---- rendering -------------------------------------------------------------------------------
  let revealed = false;
  let removeAntiFlicker: (() => void) | undefined;
  const whyButtons = new WeakMap<Element, HTMLButtonElement>();
  const reveal = (): void => {
    revealed = true;
    for (const el of findSlots(doc)) if (!el.hasAttribute(STATE_ATTRIBUTE)) el.setAttribute(STATE_ATTRIBUTE, 'default');
    removeAntiFlicker?.();
    removeAntiFlicker = undefined;
  };
  const renderElement = (el: Element): void => {
    const name = el.getAttribute(SLOT_ATTRIBUTE) ?? '';
    const decision = decisions.get(name);
    try {
      if (standard.has(name)) {
        restoreSlot(el);
        el.setAttribute(STATE_ATTRIBUTE, 'default');
      } else renderSlot(el, decision, language());
    } catch {
      fail({ code: 'SLOT_RENDER_FAILED', message: `slot "${name}" kept its default content` });
      el.setAttribute(STATE_ATTRIBUTE, 'default');
    }
    if (decision) {
      events.emit('decision', decision);
      placeWhy(el, name, decision);
      watchExposure(el, decision);
    }
  };
  const renderAll = (): void => {
    decideAll();
    for (const el of findSlots(doc)) renderElement(el);
  };
  const placeWhy = (el: Element, slot: string, decision: Decision): void => {
    const wanted =
      decision.reason !== 'ERROR' &&
      (decision.variant !== null || (snapshot()?.site.explainDefaults === true && decision.trace.length > 0));
    let button = whyButtons.get(el);
    if (!wanted) {
      button?.remove();
      whyButtons.delete(el);
      return;
    }
    const text = HEAD_TEXT[language()];
    if (!button) {
      button = doc.createElement('button');
      button.type = 'button';
      button.className = 'candor-why';
      button.setAttribute('aria-haspopup', 'dialog');
      button.addEventListener('click', () => void withUi((ui, host) => ui.openWhy(host, slot, button as HTMLElement)));
      whyButtons.set(el, button);
    }
    button.setAttribute('data-candor-why', slot);
    button.setAttribute('aria-label', text.whyLabel);
    button.title = text.whyLabel;
    button.textContent = text.why;
    if (el.nextSibling !== button) el.after(button);
  };

  // ---- measurement -----------------------------------------------------------------------------
  const exposed = new Set<string>();
  const observer =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              observer?.unobserve(entry.target);
              const decision = decisions.get(entry.target.getAttribute(SLOT_ATTRIBUTE) ?? '');
              if (decision) countExposure(decision);
            }
          },
          { threshold: 0.5 },
        )
      : undefined;
  const watchExposure = (el: Element, decision: Decision): void => {
    if (reportVariant(decision) !== undefined || decision.variant?.id) observer?.observe(el);
  };
  const countExposure = (decision: Decision): void => {
    const current = snapshot();
    if (!current || decision.experienceId === null || exposed.has(decision.experienceId)) return;
    exposed.add(decision.experienceId);
    const experience = current.experiences.find((e) => e.id === decision.experienceId);
    const interruptive = experience?.variants.find((v) => v.id === decision.variant?.id)?.interruptive === true;
    if (interruptive && experience && canStore()) {
      // Frequency caps are counted on the device, and only while storage is allowed.
      profile.update((record) => ({
        ...record,
        impressions: {
          ...record.impressions,
          [experience.id]: [...(record.impressions?.[experience.id] ?? []), now()],
        },
      }));
    }
    if (!measuring()) return;
    const { deltas, record } = exposureDeltas(current, profile.record(), decision);
    profile.update(() => record);
    reporter.add(deltas);
  };
  const trust: UiHost['trust'] = (slot, event) => {
    const decision = slot === undefined ? undefined : decisions.get(slot);
    const variant = decision ? reportVariant(decision) : undefined;
    if (!measuring() || !decision?.experienceId || variant === undefined) return;
    reporter.add([], [{ experience: decision.experienceId, variant, event, count: 1 }]);
  };

  // ---- consent ---------------------------------------------------------------------------------
  const mirrorConsentMode = (command: 'default' | 'update'): void => {
    if (options.consentMode) sendConsentMode(win, command, consentModeSignals(purposes(), consent.view().granted));
  };
  const observe = (): void => {
    const view = consent.view();
    for (const field of snapshot()?.fields ?? []) {
      if (field.source !== 'observed' || view.granted[field.purpose] !== true) continue;
      const previous = profile.record().values[field.key]?.value;
      const value = observedValue(field, page, previous);
      if (value !== undefined && JSON.stringify(value) !== JSON.stringify(previous)) profile.set(field, value);
    }
  };
  const afterConsent = async (change: ConsentChange, before: ConsentView, noticeText: string): Promise<void> => {
    const after = consent.view();
    const revoked = new Set(
      Object.keys(before.granted).filter((id) => before.granted[id] === true && after.granted[id] !== true),
    );
    if (revoked.size > 0) profile.dropPurposes(revoked);
    if (!measuring()) profile.update(({ visitorId: _id, measured: _m, ...rest }) => rest);
    if (canStore()) {
      profile.persist();
      if (verified) cacheSnapshot(store, verified);
    } else {
      profile.persist();
      dropCachedSnapshot(store);
    }
    observe();
    mirrorConsentMode('update');
    events.emit('consent', after);
    renderAll();
    const recordId = await (
      await ledger()
    )?.append(
      change,
      { text: noticeText, language: language(), policyVersion: after.policyVersion },
      after.signals.gpc,
    );
    if (recordId) consent.attachRecord(recordId);
    else fail({ code: 'LEDGER_FAILED', message: 'the choice is kept on this device but the server ledger missed it' });
  };
  const choose: UiHost['choose'] = async (action, choices, source, noticeText) => {
    const before = consent.view();
    await afterConsent(consent.choose(action, choices, source), before, noticeText);
  };

  // ---- UI chunk --------------------------------------------------------------------------------
  let ui: Promise<UiModule> | undefined;
  const withUi = async <T>(use: (module: UiModule, host: UiHost) => T): Promise<T | undefined> => {
    ui ??= options.loadUi();
    try {
      return use(await ui, host);
    } catch {
      ui = undefined;
      fail({ code: 'UI_LOAD_FAILED', message: 'the Candor UI could not be loaded' });
      return undefined;
    }
  };
  // The ledger client comes with the UI chunk: every call follows a visitor's choice or action,
  // never first paint, so the head does not carry it.
  let ledgerClient: Ledger | undefined;
  const ledger = async (): Promise<Ledger | undefined> =>
    (ledgerClient ??= await withUi((module) =>
      module.createLedger({ api: options.api, siteKey: options.siteKey, store, fetch: http }),
    ));
  let asked = 0;
  const host: UiHost = {
    doc,
    nonce: options.nonce,
    language,
    strings: options.strings ?? {},
    snapshot,
    consent: () => consent.view(),
    choose,
    object: async (noticeText) => {
      const before = consent.view();
      await afterConsent(consent.object('preference_center'), before, noticeText);
    },
    record: () => profile.record(),
    decision: (slot) => decisions.get(slot),
    explainInput: () => {
      const current = snapshot();
      return (
        current && {
          snapshot: current,
          profile: profile.record(),
          consent: consent.view().state,
          context: lastContext ?? decisionContext(),
        }
      );
    },
    engine: verifiedEngine,
    answer: (field, value) => {
      profile.set(field, value as never, 'declared');
      renderAll();
      // Answers leave the device only under the purpose that needs the server (sync).
      const granted = consent.view().granted;
      if (granted[SYNC_PURPOSE] === true && granted[field.purpose] === true)
        void ledger().then((client) => client?.putValue(field.key, value));
    },
    skip: (field) => profile.skip(field),
    removeValue: async (key) => {
      profile.remove(key);
      renderAll();
      await (await ledger())?.deleteValue(key);
    },
    stopUsing: async (slot) => {
      const decision = decisions.get(slot);
      trust(slot, 'opt_out');
      const stored = (decision?.signals ?? []).filter((signal) => signal.source !== 'context');
      if (stored.length > 0) {
        for (const signal of stored) profile.remove(signal.key);
      } else standard.add(slot);
      renderAll();
      const client = await ledger();
      await Promise.all(stored.map((signal) => client?.deleteValue(signal.key)));
    },
    showStandard: (slot) => {
      standard.add(slot);
      for (const el of findSlots(doc)) if (el.getAttribute(SLOT_ATTRIBUTE) === slot) renderElement(el);
    },
    trust,
    serverData: async () => (await ledger())?.data(),
    deleteEverything: async () => {
      const erased = (await (await ledger())?.erase()) ?? false;
      profile.clear();
      dropCachedSnapshot(store);
      consent.forget();
      events.emit('consent', consent.view());
      renderAll();
      return erased;
    },
    privacyPageUrl: () =>
      snapshot()?.site.privacyPageUrl ?? `${options.api}/privacy/${encodeURIComponent(options.siteKey)}`,
  };

  // ---- start -----------------------------------------------------------------------------------
  const started = (): void => {
    observe();
    mirrorConsentMode('default');
    if (consent.view().phase === 'decided') mirrorConsentMode('update');
    renderAll();
  };
  const onDomReady = (fn: () => void): void => {
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', fn, { once: true });
    else fn();
  };
  // Slots appear while the parser runs; mutation callbacks run before the next paint, so each slot
  // gets its content before it is first painted.
  const mutations = new MutationObserver((records) => {
    if (!snapshot()) return;
    for (const record of records) {
      for (const node of Array.from(record.addedNodes)) {
        if (node.nodeType !== 1) continue;
        const el = node as Element;
        const found = el.matches(`[${SLOT_ATTRIBUTE}]`) ? [el, ...findSlots(el)] : findSlots(el);
        for (const slot of found) {
          if (slot.hasAttribute(STATE_ATTRIBUTE)) continue;
          const name = slot.getAttribute(SLOT_ATTRIBUTE) ?? '';
          if (!decisions.has(name)) decideAll();
          renderElement(slot);
        }
      }
    }
  });
  mutations.observe(doc.documentElement, { childList: true, subtree: true });
  addStyles(doc, HEAD_CSS, options.nonce);

  const cached = readCachedSnapshot(store, options.siteKey);
  let ready: Promise<void>;
  if (cached) {
    verified = cached;
    started();
    ready = Promise.resolve();
    // Refresh in the background (ETag): a new version is used from the next page view, never swapped in.
    win.setTimeout(() => {
      void loadSnapshot({ ...sourceOptions(options, http) }, cached.etag).then((result) => {
        if ('snapshot' in result && canStore()) cacheSnapshot(store, result);
        else if ('code' in result) fail(result);
      });
    }, 0);
  } else {
    removeAntiFlicker = addStyles(doc, ANTI_FLICKER_CSS, options.nonce);
    const timer = win.setTimeout(() => {
      if (!verified) fail({ code: 'SNAPSHOT_TIMEOUT', message: 'default content shown: the snapshot was late' });
      reveal();
    }, options.timeoutMs ?? 800);
    const bootstrap = readBootstrap(doc);
    const source = sourceOptions(options, http);
    const loading = bootstrap
      ? verifyBody(source, bootstrap.body, bootstrap.signature, null)
      : loadSnapshot(source, null);
    ready = loading.then((result) => {
      if (!('snapshot' in result)) {
        if ('code' in result) fail(result);
        win.clearTimeout(timer);
        reveal();
        return;
      }
      if (revealed) {
        // Too late for this page view: default content is already visible and must not flicker.
        verified = result;
        if (canStore()) cacheSnapshot(store, result);
        decideAll();
        return;
      }
      verified = result;
      if (canStore()) cacheSnapshot(store, result);
      started();
      win.clearTimeout(timer);
      reveal();
    });
  }

  ready = ready.then(() =>
    onDomReady(() => {
      for (const el of findSlots(doc)) if (!el.hasAttribute(STATE_ATTRIBUTE)) renderElement(el);
      doc.addEventListener('click', (event) => {
        const target = (event.target as Element | null)?.closest?.('[data-candor-preferences]');
        if (!target) return;
        event.preventDefault();
        void withUi((module, h) => module.openPreferences(h, target as HTMLElement));
      });
      if (options.privacyLink !== false && !doc.querySelector('[data-candor-preferences]')) {
        const link = doc.createElement('button');
        link.type = 'button';
        link.className = 'candor-choices';
        link.setAttribute('data-candor-preferences', '');
        link.textContent = HEAD_TEXT[language()].choices;
        doc.body.appendChild(link);
      }
      if (snapshot() && consent.needsPrompt()) void withUi((module, h) => module.showPrompt(h));
      if (doc.querySelector('[data-candor-badge]')) void withUi((module, h) => module.renderBadges(h));
    }),
  );
  win.addEventListener('pagehide', () => reporter.flush());
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'hidden') reporter.flush();
  });

  return {
    decide: (slot) => {
      if (!decisions.has(slot) && snapshot()) decideAll();
      return decisions.get(slot);
    },
    explain: async (slot) => withUi((module, h) => module.explain(h, slot)),
    on: (event, handler) => events.on(event, handler),
    track: (metric, value = 1) => {
      const current = snapshot();
      if (!current || !measuring()) return;
      const { deltas, record } = conversionDeltas(current, profile.record(), metric, value);
      profile.update(() => record);
      reporter.add(deltas);
    },
    ask: async (key, container) => {
      await ready;
      const field: Field | undefined = snapshot()?.fields.find((candidate) => candidate.key === key);
      if (!field || !field.question) return { status: 'unknown_field' };
      if (consent.view().granted[field.purpose] !== true) return { status: 'not_allowed' };
      if (profile.skippedUntil(key) !== undefined) return { status: 'cooling_off' };
      if (asked >= (options.maxQuestions ?? 1)) return { status: 'limit_reached' };
      asked += 1;
      return (await withUi((module, h) => module.ask(h, field, container))) ?? { status: 'skipped' };
    },
    openPreferences: async () => {
      await withUi((module, h) => module.openPreferences(h));
    },
    consent: {
      get: () => consent.view(),
      set: async (choices, source = 'api') => {
        const ids = purposes()
          .filter((p) => p.class !== 'essential')
          .map((p) => `${p.id}=${choices[p.id] === true ? 'granted' : 'denied'}`);
        await choose('custom', choices, source, `api:${ids.join(',')}`);
      },
    },
    ready,
  };
}

function sourceOptions(options: CandorOptions, http: typeof fetch) {
  return {
    siteKey: options.siteKey,
    api: options.api,
    fetch: http,
    ...(options.publicKey ? { publicKey: options.publicKey } : {}),
  };
}
