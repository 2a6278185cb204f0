import {
  decideVerified,
  matchUrl,
  measurementGranted,
  purposesToAsk,
  redirectLocation,
  redirectedBy,
  siteLanguage,
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
import type { CmpLedgerSource, DeclaredConsentSource } from './consent-sources/contract.js';
import { readCredentials } from './consent/credentials.js';
import { choiceTime, cookieAssignment, mergeValues, readVisitorCookie } from './consent/visitor-cookie.js';
import type { Ledger } from './consent/ledger.js';
import { createEmitter, type CandorError, type CandorEvents } from './events.js';
import { conversionEvent, exposureEvent, leftExperiences, reportVariant } from './measure/visitor-events.js';
import { createReporter } from './measure/reporter.js';
import { contextAttributes, observedValue, readPage } from './profile/observe.js';
import { createProfileStore } from './profile/profile-store.js';
import { applyPageChanges, type AppliedChanges } from './render/page-changes.js';
import { findSlots, renderSlot, restoreSlot, SLOT_ATTRIBUTE, STATE_ATTRIBUTE } from './render/slots.js';
import { addStyles, ANTI_FLICKER_CSS, pageHidingCss } from './render/styles.js';
import { placeChip, whyWanted } from './render/why-chip.js';
import {
  cacheSnapshot,
  dropCachedSnapshot,
  loadSnapshot,
  readBootstrap,
  readCachedSnapshot,
  verifyBody,
  type LoadResult,
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
  /** The page was opened from a visual-editor link: the marketer edits the original page, unchanged. */
  readonly editing?: boolean;
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
  /** The site's CMP as the consent source instead of Candor's prompt (docs/consent.md). */
  readonly consentSource?: DeclaredConsentSource;
  readonly onError?: (error: CandorError) => void;
  /** Extra context attributes (this visit only, never stored). */
  readonly context?: Attributes;
  readonly window?: Window;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly store?: KeyValueStore;
  /** The parent domain `@candor/node` shares Candor's cookie with (`data-cookie-domain`); host-only when absent. */
  readonly cookieDomain?: string;
}

/** The page-facing API (`window.candor`). */
export interface Candor {
  /** The current decision for a slot (default content has `variant: null`). */
  decide(slot: string): Decision | undefined;
  /** The visitor-facing explanation of a slot's decision (loads the UI chunk). */
  explain(slot: string): Promise<Explanation | undefined>;
  /** Opens the "Why am I seeing this?" dialog for a slot (loads the UI chunk); focus returns to `opener`. */
  why(slot: string, opener?: HTMLElement): Promise<void>;
  on<K extends keyof CandorEvents>(event: K, handler: (payload: CandorEvents[K]) => void): () => void;
  /**
   * Measures an element the page's framework rendered for a slot (React's `<CandorSlot>`): its
   * exposure counts as an SDK-rendered slot's does, once it is half on screen. Returns the undo.
   * Without an element, the slot's current decision counts as exposed now (an app that renders
   * from the decision's value, as OpenFeature apps do): counted only while measurement is granted
   * and the visitor is enrolled, once per experience on the device; the undo does nothing then.
   */
  expose(slot: string, element?: Element): () => void;
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

/** The purpose whose grant lets the server keep declared values across devices (docs/privacy.md §2). */
const SYNC_PURPOSE = 'sync';

const HEAD_TEXT = {
  en: { why: 'Why?', whyLabel: 'Why am I seeing this?', choices: 'Privacy choices' },
  'zh-Hant': { why: '為什麼？', whyLabel: '為什麼我會看到這個？', choices: '隱私選擇' },
} as const;

const HEAD_CSS =
  '.candor-why::after{content:attr(data-label)}' +
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
  // Candor's cookie follows every write of the choice or the profile (docs/visitor-cookie.md), once
  // per task: `writeCookie` reads the machines' state after the writes that caused it.
  let cookieDue = false;
  const keepCookie = (key: string): void => {
    if ((key !== 'consent' && key !== 'profile') || cookieDue) return;
    cookieDue = true;
    queueMicrotask(() => {
      cookieDue = false;
      writeCookie();
    });
  };
  const device = options.store ?? localStore(options.siteKey);
  const store: KeyValueStore = {
    read: (key) => device.read(key),
    write: (key, value) => (keepCookie(key), device.write(key, value)),
    remove: (key) => (keepCookie(key), device.remove(key)),
  };
  const events = createEmitter();
  const fail = (error: CandorError): void => {
    events.emit('error', error);
    // A misconfigured installation, or measurement the server refused, is the site developer's to
    // fix, and they look in the console: an unmeasured experiment must never be silent.
    if (error.code === 'ORIGIN_NOT_ALLOWED' || error.code === 'KEY_NOT_PINNED' || error.code === 'REPORT_FAILED')
      console.warn(`[candor] ${error.message}`);
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
  /** Storage beyond the choice itself needs a profiling or measurement purpose (docs/privacy.md §10). */
  const canStore = (): boolean => {
    const view = consent.view();
    return purposes().some(
      (p) => (p.class === 'behavioural' || p.class === 'measurement') && view.granted[p.id] === true,
    );
  };
  const measuring = (): boolean => {
    const view = consent.view();
    return measurementGranted(purposes(), (id) => view.granted[id] === true);
  };
  const profile = createProfileStore({
    store,
    now,
    canStore,
    onCorrupt: () => fail({ code: 'STORAGE_CORRUPT', message: 'the stored profile was unreadable and was reset' }),
  });
  // The id a server wrote into the cookie: this device buckets as the server does until it has its own.
  let cookieVisitorId: string | undefined;
  const writeCookie = (): void => {
    const current = snapshot();
    // Before a snapshot no purpose is known, so nothing can be granted: the cookie waits for one.
    if (!current) return;
    doc.cookie = cookieAssignment(
      options.siteKey,
      { consent: consent.view().state, profile: profile.record(), snapshotVersion: current.version },
      current,
      { secure: win.location.protocol === 'https:', ...(options.cookieDomain ? { domain: options.cookieDomain } : {}) },
    );
  };
  // A server (or another page) may have recorded a newer choice than this device's storage holds:
  // the newer choice wins by its time; a malformed or forged cookie reads as no choice.
  const adoptCookie = (current: Snapshot): void => {
    const read = readVisitorCookie(doc.cookie, options.siteKey, current);
    if (read.choiceMade) {
      cookieVisitorId = read.state.profile.visitorId;
      if (choiceTime(read.state.consent) > choiceTime(consent.view().state)) {
        consent.adopt(read.state.consent);
        const granted = consent.view().granted;
        profile.update((record) => ({
          ...record,
          values: mergeValues(record.values, read.state.profile.values, current.fields, now()),
        }));
        profile.dropPurposes(new Set(current.purposes.filter((p) => granted[p.id] !== true).map((p) => p.id)));
        // As after a choice made here: what the adopted choice no longer allows leaves the device too.
        if (!measuring()) profile.update(({ visitorId: _id, measured: _m, ...rest }) => rest);
        profile.persist();
        if (!canStore()) dropCachedSnapshot(store);
      }
    }
    // Rewritten on each page view, so it never lags the device; a choice that has expired or was made
    // under another policy is removed. An unreadable cookie is left alone (a newer format, perhaps).
    if (read.choiceMade || consent.view().phase === 'decided') writeCookie();
  };
  const randomId = (): string =>
    typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  // The choice being written to the server's ledger: reports wait for it, so the server already knows
  // this visitor's measurement grant when their first report arrives.
  // Undefined when no write is in flight.
  let ledgerWrite: Promise<unknown> | undefined;
  const reporter = createReporter({
    url: `${options.api}/v1/sites/${encodeURIComponent(options.siteKey)}/reports`,
    fetch: http,
    randomId,
    token: () => {
      const read = (): string | undefined => (measuring() ? readCredentials(store)?.token : undefined);
      return ledgerWrite === undefined ? read() : ledgerWrite.then(read);
    },
    setTimer: (fn, ms) => win.setTimeout(fn, ms),
    onFailure: (message) => fail({ code: 'REPORT_FAILED', message }),
  });

  // Only a language the site writes its texts in (else its default): chrome and content agree.
  const language = (): Language =>
    siteLanguage(
      [doc.documentElement.lang, ...(win.navigator.languages ?? [])].filter(Boolean),
      snapshot()?.site ?? { defaultLanguage: options.language ?? 'en' },
      options.language,
    );
  const decisionContext = (): DecisionContext => ({
    now: now(),
    attributes: { ...contextAttributes(page), ...options.context },
    languages: [doc.documentElement.lang, ...(win.navigator.languages ?? [])].filter(Boolean),
    slots: findSlots(doc).map((el) => el.getAttribute(SLOT_ATTRIBUTE) ?? ''),
    url: win.location.pathname + win.location.search,
  });

  let decisions = new Map<string, Decision>();
  let lastContext: DecisionContext | undefined;
  const standard = new Set<string>();
  const decideAll = (): void => {
    const current = snapshot();
    if (!current) return;
    // One visitor identity: bucketing uses the id the server issued at the first choice, and only
    // while measurement is granted; a device without one is enrolled in nothing.
    profile.useVisitorId(measuring() ? (readCredentials(store)?.visitorId ?? cookieVisitorId) : undefined);
    lastContext = decisionContext();
    // The snapshot's signature was verified and the stores parsed what they read from storage, so
    // core's structural checks would only repeat the server's (and cost the head their bytes).
    const made = decideVerified(current, profile.record(), consent.view().state, lastContext, {
      onError: (detail) => fail({ code: detail.code, message: detail.message }),
    });
    decisions = new Map(made.map((decision) => [decision.slot, decision]));
    for (const [el, slot] of exposed) watchExposure(el, slot);
    // Bindings that render slots themselves (React) follow every re-decision, whatever caused it.
    events.emit('decisions', made);
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
      watchExposure(el, name);
    }
  };
  // Page slots (`page:<experience>`) have no element: their changes address the page by selectors.
  // Each applied set is kept with its variant so a changed decision or a withdrawal undoes it exactly.
  // A page slot's "Why?" sits in an SDK-owned wrapper after the first element its changes hold, or,
  // on a split-URL test's landing page, after the page's main heading: the page itself is the variant.
  const pageRuns = new Map<
    string,
    { readonly variant: string; readonly applied: AppliedChanges; readonly chip: HTMLButtonElement }
  >();
  const renderPages = (): void => {
    // The visual editor applies the variant it edits itself; applying it here too would double it.
    if (options.editing) return;
    const here = win.location.pathname + win.location.search;
    for (const [slot, run] of pageRuns) {
      const decision = decisions.get(slot);
      if (standard.has(slot) || decision?.variant?.id !== run.variant) {
        run.applied.undo();
        pageRuns.delete(slot);
      } else whyButton(slot, run.chip);
    }
    for (const decision of decisions.values()) {
      const content = decision.variant?.content;
      if (decision.experienceId !== null && (content?.type === 'changes' || content?.type === 'redirect'))
        countExposure(decision);
      const landed = content?.type === 'redirect' && redirectedBy(here) === decision.experienceId;
      if ((content?.type !== 'changes' && !landed) || standard.has(decision.slot) || pageRuns.has(decision.slot))
        continue;
      const chip = whyButton(decision.slot);
      const wrapper = doc.createElement('span');
      wrapper.setAttribute('data-candor-page-why', decision.slot);
      wrapper.appendChild(chip);
      const applied =
        content?.type === 'changes'
          ? applyPageChanges(
              doc,
              content.changes,
              language(),
              (change) =>
                fail({
                  code: 'PAGE_CHANGE_GAVE_UP',
                  message: `the page kept undoing the ${change.op} change on "${change.selector}"; it was left as the page renders it`,
                }),
              wrapper,
            )
          : landing(wrapper);
      pageRuns.set(decision.slot, { variant: decision.variant?.id ?? '', applied, chip });
    }
  };
  const landing = (wrapper: Element): AppliedChanges => {
    let undone = false;
    onDomReady(() => {
      const heading = doc.querySelector('h1');
      if (undone) return;
      if (heading) heading.after(wrapper);
      else doc.body?.prepend(wrapper);
    });
    return {
      undo: () => {
        undone = true;
        wrapper.remove();
      },
    };
  };
  const renderAll = (): void => {
    decideAll();
    for (const el of findSlots(doc)) renderElement(el);
    renderPages();
    if (domReady) {
      askHere();
      askPlaced();
    }
  };
  /** A split-URL test sends the visitor on before the page is shown; the landing URL's marker stops a loop. */
  const redirected = (): boolean => {
    if (options.editing) return false;
    const here = win.location.pathname + win.location.search + win.location.hash;
    for (const decision of decisions.values()) {
      const target = redirectLocation(decision, here);
      if (target === null) continue;
      win.location.replace(target.location);
      return true;
    }
    return false;
  };
  // `data-candor-ask="field"`: the page names where a field's question goes, no code needed. An
  // element not allowed yet is tried again after each consent change; others are asked once.
  let domReady = false;
  const askHere = (): void => {
    for (const el of Array.from(doc.querySelectorAll('[data-candor-ask]'))) {
      const state = el.getAttribute('data-candor-asked');
      if (state !== null && state !== 'not_allowed') continue;
      // A page hook asks for what is missing; changing an answer is the preference center's job.
      if (Object.hasOwn(profile.record().values, el.getAttribute('data-candor-ask') ?? '')) continue;
      el.setAttribute('data-candor-asked', 'asking');
      void ask(el.getAttribute('data-candor-ask') ?? '', el).then((result) =>
        el.setAttribute('data-candor-asked', result.status),
      );
    }
  };
  // Questions placed without code (`snapshot.placements`): next to the element a placement's selector
  // picks, on its pages, within the site's limits per page view and per visit. The visit count lives
  // in sessionStorage and is written only when a question is shown, which needs its purpose granted:
  // nothing is stored before a choice.
  const placedHere = new Set<string>();
  const askPlaced = (): void => {
    const current = snapshot();
    const limits = current?.site.questionLimits ?? { perPage: 1, perVisit: 2 };
    for (const placement of current?.placements ?? []) {
      const field = current?.fields.find((candidate) => candidate.key === placement.field);
      const visitKey = `candor.${options.siteKey}.placed`;
      const shownThisVisit = Number(safely(() => win.sessionStorage.getItem(visitKey)) ?? 0) || 0;
      if (
        placedHere.has(placement.id) ||
        !field?.question ||
        consent.view().granted[field.purpose] !== true ||
        Object.hasOwn(profile.record().values, field.key) ||
        profile.skippedUntil(field.key) !== undefined ||
        placedHere.size >= limits.perPage ||
        asked >= (options.maxQuestions ?? 1) ||
        shownThisVisit >= limits.perVisit ||
        !matchUrl(placement.pages, win.location.pathname + win.location.search)
      )
        continue;
      const anchor = safely(() => doc.querySelector(placement.selector));
      if (!anchor) continue;
      const container = doc.createElement('div');
      container.setAttribute('data-candor-placement', placement.id);
      if (placement.position === 'inside') anchor.appendChild(container);
      else anchor.insertAdjacentElement(placement.position === 'before' ? 'beforebegin' : 'afterend', container);
      placedHere.add(placement.id);
      safely(() => win.sessionStorage.setItem(visitKey, String(shownThisVisit + 1)));
      void ask(field.key, container).then((result) => container.setAttribute('data-candor-asked', result.status));
    }
  };
  const placeWhy = (el: Element, slot: string, decision: Decision): void => {
    const wanted = whyWanted(decision, snapshot()?.site.explainDefaults === true, consent.view().phase === 'decided');
    const button = whyButtons.get(el);
    if (!wanted) {
      button?.remove();
      whyButtons.delete(el);
      return;
    }
    whyButtons.set(el, whyButton(slot, button));
    placeChip(el, whyButtons.get(el) as Element);
  };
  /** A "Why?" chip for a slot, new or relabelled in the visitor's language. */
  const whyButton = (slot: string, button?: HTMLButtonElement): HTMLButtonElement => {
    const text = HEAD_TEXT[language()];
    if (!button) {
      const chip = (button = doc.createElement('button'));
      chip.type = 'button';
      chip.className = 'candor-why';
      chip.setAttribute('aria-haspopup', 'dialog');
      chip.addEventListener('click', () => void withUi((ui, host) => ui.openWhy(host, slot, chip)));
    }
    button.setAttribute('data-candor-why', slot);
    button.setAttribute('aria-label', text.whyLabel);
    button.title = text.whyLabel;
    // Shown by CSS from the attribute: the chip may sit inside its slot, and the slot's text must
    // stay the page's (or the variant's) own.
    button.setAttribute('data-label', text.why);
    return button;
  };

  // ---- measurement -----------------------------------------------------------------------------
  // Interruptive content shown on this page (its frequency cap counts one impression per page view).
  // Measurement is not deduplicated here: the device record says what was counted, so a decision
  // that becomes enrolled later on the page (the server issued the visitor's id) is still counted.
  const impressed = new Set<string>();
  const observer =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              observer?.unobserve(entry.target);
              const decision = decisions.get(slotOf(entry.target));
              if (decision) countExposure(decision);
            }
          },
          { threshold: 0.5 },
        )
      : undefined;
  // Elements a framework rendered for a slot (`candor.expose`): the SDK never writes into them, it
  // only measures them, and re-watches them on every re-decision as it re-renders its own slots.
  const exposed = new Map<Element, string>();
  const slotOf = (el: Element): string => exposed.get(el) ?? el.getAttribute(SLOT_ATTRIBUTE) ?? '';
  const watchExposure = (el: Element, slot: string): void => {
    const decision = decisions.get(slot);
    if (decision && (reportVariant(decision) !== undefined || decision.variant?.id)) observer?.observe(el);
  };
  // A conversion counts only for experiences whose exposure the device recorded, and the click can
  // come before the observer's next callback (a slot re-rendered the moment the visitor's id arrived
  // made its decision enrolled). So the slots on screen now (half their height in the viewport) are
  // counted first; the device record keeps a slot the observer counts later from counting twice.
  const countOnScreen = (): void => {
    for (const el of [...findSlots(doc), ...exposed.keys()]) {
      const box = el.getBoundingClientRect();
      const decision = decisions.get(slotOf(el));
      if (
        decision &&
        box.height > 0 &&
        2 * (Math.min(box.bottom, win.innerHeight) - Math.max(box.top, 0)) >= box.height
      )
        countExposure(decision);
    }
  };
  const countExposure = (decision: Decision): void => {
    const current = snapshot();
    if (!current || decision.experienceId === null) return;
    const experience = current.experiences.find((e) => e.id === decision.experienceId);
    const interruptive = experience?.variants.find((v) => v.id === decision.variant?.id)?.interruptive === true;
    if (interruptive && experience && canStore() && !impressed.has(experience.id)) {
      impressed.add(experience.id);
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
    const { event, record } = exposureEvent(profile.record(), decision);
    if (event === undefined) return;
    profile.update(() => record);
    reporter.add({ exposures: [event] });
  };
  const trust: UiHost['trust'] = (slot, event) => {
    const decision = slot === undefined ? undefined : decisions.get(slot);
    if (!measuring() || !decision?.experienceId || reportVariant(decision) === undefined) return;
    reporter.add({ trust: [{ experience: decision.experienceId, event }] });
  };
  /** After the visitor took data back: experiences whose content changed because of it stop counting conversions. */
  const leaveChanged = (): void => {
    if (!measuring()) return;
    // Decisions cover every slot the snapshot targets, not only this page's, so an experience counted
    // on another page is judged by its own current decision.
    const { left, record } = leftExperiences(profile.record(), decisions.values());
    if (left.length === 0) return;
    profile.update(() => record);
    reporter.add({ left });
  };

  // ---- consent ---------------------------------------------------------------------------------
  // The page's declared source wins; else the site settings' one, published in the snapshot.
  const sourceName = (): string | undefined => options.consentSource?.name ?? snapshot()?.site.consentSource?.name;
  const mirrorConsentMode = (command: 'default' | 'update'): void => {
    // Consent Mode that is itself the source is never written back: it would echo the CMP's answer.
    if (options.consentMode && sourceName() !== 'consent-mode')
      sendConsentMode(win, command, consentModeSignals(purposes(), consent.view().granted));
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
    const write = ledger().then((client) =>
      client?.append(
        change,
        { text: noticeText, language: language(), policyVersion: after.policyVersion },
        after.signals.gpc,
      ),
    );
    ledgerWrite = write;
    void write.finally(() => {
      if (ledgerWrite === write) ledgerWrite = undefined;
    });
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
    leaveChanged();
    const recordId = await write;
    if (recordId === 'stale') await askAfresh();
    else if (recordId) consent.attachRecord(recordId);
    else fail({ code: 'LEDGER_FAILED', message: 'the choice is kept on this device but the server ledger missed it' });
    // The server issued this visitor's id with the first choice: experiments can enrol them from now on.
    if (measuring() && profile.record().visitorId !== readCredentials(store)?.visitorId) renderAll();
  };
  // The ledger refused a choice (409) because a newer snapshot changed a purpose text it answered:
  // load that snapshot and ask about what changed. Once per page view, so a server that keeps
  // refusing raises an error instead of a prompt loop; without a prompt to show, an error too.
  let reloadedForStale = false;
  // A declared consent source replaces the prompt: the visitor is never asked twice (and re-consent
  // is the source's job). Says whether a prompt is on its way.
  const promptIfNeeded = (): boolean => {
    const asking = !!snapshot() && consent.needsPrompt() && !sourceName();
    if (asking) void withUi((module, h) => module.showPrompt(h));
    return asking;
  };
  const askAfresh = async (): Promise<void> => {
    const fresh = reloadedForStale ? undefined : await loadSnapshot(source, null);
    reloadedForStale = true;
    if (fresh && 'snapshot' in fresh) {
      verified = fresh;
      if (canStore()) cacheSnapshot(store, fresh);
      events.emit('consent', consent.view());
      renderAll();
      if (promptIfNeeded()) return;
    }
    fail({
      code: 'LEDGER_FAILED',
      message:
        'the server ledger refused the choice: a purpose text changed since it was shown and could not be asked again',
    });
  };
  const choose: UiHost['choose'] = async (action, choices, source, noticeText) => {
    const before = consent.view();
    await afterConsent(consent.choose(action, choices, source), before, noticeText);
  };

  // ---- consent source (docs/consent.md) -------------------------------------------------------
  // The latest choice wins, wherever it was made: a CMP answer is recorded when it changes, and the
  // same answer heard on the next page view is not applied again (so a withdrawal made in Candor's
  // preference center stands, and a grant GPC overrode is not re-recorded on every page).
  const CMP_ANSWER = 'cmp';
  const fromSource = (grants: Readonly<Record<string, boolean>>, source: CmpLedgerSource, noticeText: string): void => {
    const answer = source + JSON.stringify(grants);
    // Pending again (a new policy version, an expired choice) takes the CMP's answer afresh.
    // A purpose the site changed since counts as unanswered: the CMP's answer is taken for it afresh.
    if (store.read(CMP_ANSWER) === answer && !consent.needsPrompt()) return;
    store.write(CMP_ANSWER, answer);
    void choose('custom', grants, source, noticeText);
  };
  const connectSource = (declared: DeclaredConsentSource, name: string): void => {
    const site = snapshot()?.site.consentSource;
    const map = declared.name ? declared.map : site && JSON.stringify(site.map);
    declared.load().then(
      (module) =>
        module.connect({ ...declared, name, map, win, purposes: purposes(), onGrants: fromSource, onError: fail }),
      () => fail({ code: 'CONSENT_SOURCE_FAILED', message: 'candor-consent.js failed to load' }),
    );
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
  let serverWrites: Promise<unknown> = Promise.resolve();
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
    addStyles: (css) => void addStyles(doc, css, options.nonce),
    answer: (field, value) => {
      profile.set(field, value as never, 'declared');
      renderAll();
      // Answers leave the device only under the purpose that needs the server (sync).
      const granted = consent.view().granted;
      if (granted[SYNC_PURPOSE] === true && granted[field.purpose] === true)
        serverWrites = serverWrites.then(() => ledger().then((client) => client?.putValue(field.key, value)));
    },
    skip: (field) => profile.skip(field),
    removeValue: async (key) => {
      profile.remove(key);
      renderAll();
      leaveChanged();
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
      leaveChanged();
      const client = await ledger();
      await Promise.all(stored.map((signal) => client?.deleteValue(signal.key)));
    },
    showStandard: (slot) => {
      standard.add(slot);
      for (const el of findSlots(doc)) if (el.getAttribute(SLOT_ATTRIBUTE) === slot) renderElement(el);
      renderPages();
    },
    trust,
    // A read waits for the visitor's own writes, so it never shows a value they have just replaced.
    serverData: async () => (await serverWrites, (await ledger())?.data()),
    deleteEverything: async () => {
      const erased = (await (await ledger())?.erase()) ?? false;
      cookieVisitorId = undefined;
      profile.clear();
      dropCachedSnapshot(store);
      consent.forget();
      store.remove(CMP_ANSWER);
      events.emit('consent', consent.view());
      renderAll();
      return erased;
    },
    privacyPageUrl: () =>
      snapshot()?.site.privacyPageUrl ?? `${options.api}/privacy/${encodeURIComponent(options.siteKey)}`,
  };

  // ---- start -----------------------------------------------------------------------------------
  const started = (): boolean => {
    observe();
    mirrorConsentMode('default');
    if (consent.view().phase === 'decided') mirrorConsentMode('update');
    decideAll();
    if (redirected()) return false;
    renderAll();
    return true;
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

  const source = sourceOptions(options, http, win.location.origin);
  if (!options.publicKey)
    fail({
      code: 'KEY_NOT_PINNED',
      message:
        'no data-public-key: the snapshot signature is checked against a key fetched from the same server, which proves nothing against a man in the middle; paste the snippet from the dashboard (Site settings), which includes the key',
    });
  // The cached copy is verified like any download before it is used (storage is writable by any
  // script on the page), and its ETag is sent only for a body that verified. Slots stay hidden
  // meanwhile, as on a first visit, so a forged copy never paints.
  const cached = readCachedSnapshot(store);
  removeAntiFlicker = addStyles(doc, ANTI_FLICKER_CSS + (cached ? pageHidingCss(cached.body) : ''), options.nonce);
  const timer = win.setTimeout(() => {
    if (!verified) fail({ code: 'SNAPSHOT_TIMEOUT', message: 'default content shown: the snapshot was late' });
    reveal();
  }, options.timeoutMs ?? 800);
  const bootstrap = readBootstrap(doc);
  const loading = (
    cached ? verifyBody(source, cached.body, cached.signature, cached.etag) : Promise.resolve(undefined)
  ).then((fromCache): Promise<LoadResult> | LoadResult => {
    if (fromCache && 'snapshot' in fromCache) {
      // Refresh in the background (ETag): a new version is used from the next page view, never swapped in.
      win.setTimeout(() => {
        void loadSnapshot(source, fromCache.etag).then((result) => {
          if ('code' in result) return fail(result);
          if (!('snapshot' in result)) return;
          if (canStore()) cacheSnapshot(store, result);
          // Except when the site changed or added a purpose since the visitor chose: the old answer
          // stops counting now (denied until answered), so the new texts are used and asked at once.
          const view = consent.view();
          if (view.phase === 'decided' && purposesToAsk(result.snapshot.purposes, view.state.purposes).length > 0) {
            verified = result;
            events.emit('consent', consent.view());
            renderAll();
            onDomReady(promptIfNeeded);
          }
        });
      }, 0);
      return fromCache;
    }
    if (fromCache) {
      dropCachedSnapshot(store);
      fail({ code: fromCache.code, message: `the snapshot kept on this device was refused (${fromCache.message})` });
    }
    return bootstrap ? verifyBody(source, bootstrap.body, bootstrap.signature, null) : loadSnapshot(source, null);
  });
  let ready: Promise<void> = loading.then((result) => {
    if (!('snapshot' in result)) {
      if ('code' in result) fail(result);
      win.clearTimeout(timer);
      reveal();
      return;
    }
    if (revealed) {
      // Too late for this page view: default content is already visible and must not flicker.
      verified = result;
      adoptCookie(result.snapshot);
      if (canStore()) cacheSnapshot(store, result);
      decideAll();
      return;
    }
    verified = result;
    adoptCookie(result.snapshot);
    if (canStore()) cacheSnapshot(store, result);
    // Leaving for a split-URL test's page: stay hidden (the timer still bounds it) rather than flash this one.
    if (!started()) return;
    win.clearTimeout(timer);
    reveal();
  });

  ready = ready.then(() => {
    // Decisions were made already with what is granted; the source can only change them later.
    const name = sourceName();
    if (options.consentSource && name && snapshot()) connectSource(options.consentSource, name);
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
      promptIfNeeded();
      if (doc.querySelector('[data-candor-badge]')) void withUi((module, h) => module.renderBadges(h));
      domReady = true;
      askHere();
      askPlaced();
    });
  });
  win.addEventListener('pagehide', () => reporter.flush());
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'hidden') reporter.flush();
  });

  const ask: Candor['ask'] = async (key, container) => {
    await ready;
    const field: Field | undefined = snapshot()?.fields.find((candidate) => candidate.key === key);
    if (!field || !field.question) return { status: 'unknown_field' };
    if (consent.view().granted[field.purpose] !== true) return { status: 'not_allowed' };
    if (profile.skippedUntil(key) !== undefined) return { status: 'cooling_off' };
    if (asked >= (options.maxQuestions ?? 1)) return { status: 'limit_reached' };
    asked += 1;
    return (await withUi((module, h) => module.ask(h, field, container))) ?? { status: 'skipped' };
  };

  return {
    decide: (slot) => {
      if (!decisions.has(slot) && snapshot()) decideAll();
      return decisions.get(slot);
    },
    explain: async (slot) => withUi((module, h) => module.explain(h, slot)),
    why: (slot, opener) => withUi((module, h) => module.openWhy(h, slot, opener ?? doc.body)),
    on: (event, handler) => events.on(event, handler),
    expose: (slot, element) => {
      if (!element) {
        // The app used the decision's value, so the visitor saw it: counted now, and the device
        // record keeps an experience from counting twice however often the app asks.
        const decision = decisions.get(slot);
        if (decision) countExposure(decision);
        return () => undefined;
      }
      exposed.set(element, slot);
      watchExposure(element, slot);
      return () => {
        exposed.delete(element);
        observer?.unobserve(element);
      };
    },
    track: (metric, value = 1) => {
      const current = snapshot();
      if (!current || !measuring()) return;
      countOnScreen();
      const conversion = conversionEvent(current, profile.record(), metric, value);
      if (!conversion) return;
      reporter.add({ conversions: [conversion] });
      // A conversion is usually the click that leaves the page: send it (and what is queued) while the
      // page is still alive, rather than from pagehide, where a browser may never finish the upload.
      reporter.flush();
    },
    ask,
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

/** A storage or selector call that may throw (storage blocked, a selector this browser cannot parse). */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function sourceOptions(options: CandorOptions, http: typeof fetch, origin: string) {
  return {
    siteKey: options.siteKey,
    api: options.api,
    fetch: http,
    origin,
    ...(options.publicKey ? { publicKey: options.publicKey } : {}),
  };
}
