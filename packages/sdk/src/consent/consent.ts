import { purposeStatus, purposesToAsk, type ConsentState, type Purpose, type PurposeChoice } from '@candor/core';
import type { CmpLedgerSource } from '../consent-sources/contract.js';
import { isRecord, type KeyValueStore } from '../store.js';
import { choiceTime } from './visitor-cookie.js';

/** Ledger actions (docs/privacy.md §6). */
export type ConsentAction =
  'accept_all' | 'reject_all' | 'custom' | 'withdraw' | 'gpc_auto' | 'dnt_auto' | 'expire' | 'reprompt';
/** Where a choice was made (docs/privacy.md §6); `cmp:<name>` when the site's CMP made it (docs/consent.md). */
export type ConsentSource = 'prompt' | 'preference_center' | 'api' | 'gpc_header' | 'gpc_js' | CmpLedgerSource;
/** The browser's privacy signals on this navigation. */
export interface BrowserSignals {
  readonly gpc: boolean;
  readonly dnt: boolean;
}
/** One remembered choice, shown in the preference center's history. */
export interface ConsentHistoryEntry {
  readonly at: number;
  readonly action: ConsentAction;
  readonly source: ConsentSource;
  readonly purposes: Readonly<Record<string, 'granted' | 'denied'>>;
  readonly recordId?: string;
}
/** What the page and the UI see of consent. `pending` means every optional purpose is denied. */
export interface ConsentView {
  readonly phase: 'pending' | 'decided';
  /** The state `decide` and `explain` read. */
  readonly state: ConsentState;
  /** Effective status per purpose id, after signals and objections. */
  readonly granted: Readonly<Record<string, boolean>>;
  readonly signals: BrowserSignals;
  readonly policyVersion: string;
  readonly history: readonly ConsentHistoryEntry[];
  /**
   * Purposes the site changed (their text) or added since the visitor chose: asked again, and denied
   * until answered, while every other choice stays in force.
   */
  readonly reask: readonly string[];
}
/** A change to append to the ledger. */
export interface ConsentChange {
  readonly action: ConsentAction;
  readonly source: ConsentSource;
  readonly purposes: Readonly<Record<string, 'granted' | 'denied'>>;
  /** The text version of each purpose the visitor answered in Candor's own UI, where they read it. */
  readonly purposeVersions?: Readonly<Record<string, string>>;
}

/** Timing rules of docs/privacy.md §5 B11. */
export const REASK_AFTER_MS = 395 * 86_400_000;
/** A refusal is remembered at least 6 months. */
export const REFUSAL_KEPT_MS = 183 * 86_400_000;
const KEY = 'consent';
const HISTORY_LIMIT = 20;

interface Stored {
  readonly version: 1;
  readonly policyVersion: string;
  readonly decidedAt: number;
  readonly purposes: Record<string, PurposeChoice>;
  readonly signals: ConsentState['signals'];
  readonly objectsToPersonalization?: true;
  readonly recordId?: string;
  readonly history: ConsentHistoryEntry[];
}

/** The consent state machine: pending → decided (→ pending again on expiry or a new policy). */
export interface ConsentMachine {
  view(): ConsentView;
  /** Whether the prompt must be shown: no valid choice for the current policy, or purposes to ask again. */
  needsPrompt(): boolean;
  /**
   * Applies a choice: every optional purpose gets an explicit status; nothing is left pre-ticked.
   * `reprompt` answers only the purposes asked again: the others keep their earlier choice.
   */
  choose(action: ConsentAction, choices: Readonly<Record<string, boolean>>, source: ConsentSource): ConsentChange;
  /** "Stop personalizing me": an absolute objection (GDPR Art. 21). */
  object(source: ConsentSource): ConsentChange;
  /** Remembers the ledger record id the server answered with (proof shown in explanations). */
  attachRecord(recordId: string): void;
  /** Forgets every choice (after "delete everything"): the visitor is asked again. */
  forget(): void;
  /**
   * Takes a newer choice made elsewhere (Candor's cookie, written by a server or on another page).
   * A signal recorded on this device stays recorded; the history shows only choices made here.
   */
  adopt(state: ConsentState): void;
}

/** Options of `createConsentMachine`: the clock and signals are parameters so tests can pin them. */
export interface ConsentOptions {
  readonly store: KeyValueStore;
  /** The snapshot's purposes (Candor's defaults until a snapshot is known). */
  readonly purposes: () => readonly Purpose[];
  readonly policyVersion: () => string;
  readonly signals: BrowserSignals;
  readonly now: () => number;
  readonly onCorrupt?: () => void;
}

/** Creates the machine from what the device remembers; a corrupt record counts as no choice. */
export function createConsentMachine(options: ConsentOptions): ConsentMachine {
  const { store, signals, now } = options;
  let stored = load(store, options.onCorrupt);
  const signalState = (): ConsentState['signals'] => {
    // A signal seen once stays recorded: its later absence is never an opt-in (docs/privacy.md §1).
    const at = now();
    const gpc = stored?.signals.gpc ?? (signals.gpc ? { since: at } : undefined);
    const dnt = stored?.signals.dnt ?? (signals.dnt ? { since: at } : undefined);
    return { ...(gpc ? { gpc } : {}), ...(dnt ? { dnt } : {}) };
  };
  let pinnedSignals = signalState();
  const reask = (current: Stored | undefined): Set<string> =>
    new Set(purposesToAsk(options.purposes(), current?.purposes).map((p) => p.id));
  const valid = (): Stored | undefined => {
    if (!stored || stored.policyVersion !== options.policyVersion()) return undefined;
    const anyGranted = Object.values(stored.purposes).some((choice) => choice.status === 'granted');
    const lifetime = anyGranted ? REASK_AFTER_MS : REFUSAL_KEPT_MS;
    return now() - stored.decidedAt < lifetime ? stored : undefined;
  };
  const persist = (next: Stored): void => {
    stored = next;
    pinnedSignals = next.signals;
    store.write(KEY, next);
  };
  const record = (action: ConsentAction, source: ConsentSource, choices: Record<string, PurposeChoice>) => {
    const flat = Object.fromEntries(Object.entries(choices).map(([id, choice]) => [id, choice.status]));
    const entry: ConsentHistoryEntry = { at: now(), action, source, purposes: flat };
    return { entry, change: { action, source, purposes: flat } };
  };
  const machine: ConsentMachine = {
    view() {
      const current = valid();
      const asked = reask(current);
      // A changed purpose's old answer no longer counts: pending (denied) until the visitor answers.
      const answered = Object.entries(current?.purposes ?? {}).filter(([id]) => !asked.has(id));
      const state: ConsentState = {
        purposes: Object.fromEntries(answered),
        signals: pinnedSignals,
        ...(current?.objectsToPersonalization ? { objectsToPersonalization: true } : {}),
        ...(current?.recordId ? { recordId: current.recordId } : {}),
        ...(current ? { policyVersion: current.policyVersion } : {}),
      };
      const granted = Object.fromEntries(options.purposes().map((p) => [p.id, purposeStatus(p, state).granted]));
      return {
        phase: current ? 'decided' : 'pending',
        state,
        granted,
        signals,
        policyVersion: options.policyVersion(),
        history: stored?.history ?? [],
        reask: [...asked],
      };
    },
    needsPrompt: () => {
      const current = valid();
      return current === undefined || reask(current).size > 0;
    },
    choose(action, choices, source) {
      const at = now();
      const signalled = pinnedSignals.gpc !== undefined || pinnedSignals.dnt !== undefined;
      // Only an answer given to Candor's own texts knows which text it answered: a CMP or the page's
      // API asked in their own words, and asking again after a change is their job (docs/consent.md),
      // so their answers carry no version and are never re-asked or set aside by Candor.
      const read = source === 'prompt' || source === 'preference_center';
      const purposeChoices: Record<string, PurposeChoice> = {};
      const purposeVersions: Record<string, string> = {};
      const purposes = options.purposes();
      const policyVersion = options.policyVersion();
      const inForce = valid();
      for (const purpose of purposes) {
        if (purpose.class === 'essential') continue;
        // Asked again about changed purposes only: every other choice stands as it was.
        if (action === 'reprompt' && !Object.hasOwn(choices, purpose.id)) {
          const kept = inForce?.purposes[purpose.id];
          if (kept) purposeChoices[purpose.id] = kept;
          continue;
        }
        // Contextual use rests on legitimate interest: only an explicit objection changes it, never "Reject all".
        if (purpose.class === 'contextual' && !Object.hasOwn(choices, purpose.id)) {
          const earlier = stored?.purposes[purpose.id];
          if (earlier) purposeChoices[purpose.id] = earlier;
          continue;
        }
        let yes = choices[purpose.id] === true;
        // Under GPC/DNT "Accept all" never switches on profiling or sharing: only a granular,
        // explicit choice made after the signal can (docs/privacy.md §1). A CMP's answer counts as
        // "Accept all" here: Candor cannot tell whether the visitor chose granularly in the CMP.
        const blanket = action === 'accept_all' || source.startsWith('cmp:');
        if (blanket && signalled && (purpose.class === 'behavioural' || purpose.class === 'cross_site')) yes = false;
        if (purpose.class === 'cross_site' && signalled) yes = false;
        purposeChoices[purpose.id] = { status: yes ? 'granted' : 'denied', at, ...(read ? answered(purpose) : {}) };
        if (read && purpose.textVersion) purposeVersions[purpose.id] = purpose.textVersion;
      }
      const { entry, change } = record(action, source, purposeChoices);
      persist({
        version: 1,
        policyVersion,
        decidedAt: at,
        purposes: purposeChoices,
        signals: pinnedSignals,
        ...(stored?.objectsToPersonalization && !grantsProfiling(purposes, purposeChoices)
          ? { objectsToPersonalization: true }
          : {}),
        history: [...(stored?.history ?? []), entry].slice(-HISTORY_LIMIT),
      });
      return Object.keys(purposeVersions).length > 0 ? { ...change, purposeVersions } : change;
    },
    object(source) {
      const current = valid();
      const at = now();
      const purposeChoices: Record<string, PurposeChoice> = { ...(current?.purposes ?? {}) };
      const purposes = options.purposes();
      const policyVersion = options.policyVersion();
      for (const purpose of purposes) {
        if (purpose.class === 'behavioural' || purpose.class === 'cross_site')
          purposeChoices[purpose.id] = { status: 'denied', at, ...answered(purpose) };
        else if (purpose.class !== 'essential' && !purposeChoices[purpose.id])
          purposeChoices[purpose.id] = { status: 'denied', at, ...answered(purpose) };
      }
      const { entry, change } = record('withdraw', source, purposeChoices);
      persist({
        version: 1,
        policyVersion,
        decidedAt: at,
        purposes: purposeChoices,
        signals: pinnedSignals,
        objectsToPersonalization: true,
        history: [...(stored?.history ?? []), entry].slice(-HISTORY_LIMIT),
      });
      return change;
    },
    attachRecord(recordId) {
      if (!stored) return;
      const history = stored.history.slice();
      const last = history.pop();
      persist({ ...stored, recordId, history: last ? [...history, { ...last, recordId }] : history });
    },
    adopt(state) {
      persist({
        version: 1,
        // A server that wrote no policy version decided under the snapshot this page verified.
        policyVersion: state.policyVersion ?? options.policyVersion(),
        decidedAt: choiceTime(state),
        purposes: { ...state.purposes },
        signals: { ...state.signals, ...pinnedSignals },
        ...(state.objectsToPersonalization ? { objectsToPersonalization: true } : {}),
        ...(state.recordId ? { recordId: state.recordId } : {}),
        history: stored?.history ?? [],
      });
    },
    forget() {
      stored = undefined;
      store.remove(KEY);
      pinnedSignals = signalState();
    },
  };
  return machine;
}

/** The text version an answer answers, kept with it so a later change of the text asks again. */
function answered(purpose: Purpose): { textVersion?: string } {
  return purpose.textVersion ? { textVersion: purpose.textVersion } : {};
}

/** Whether a set of choices grants a behavioural purpose again, which lifts an earlier objection. */
function grantsProfiling(purposes: readonly Purpose[], choices: Record<string, PurposeChoice>): boolean {
  return purposes.some((p) => p.class === 'behavioural' && choices[p.id]?.status === 'granted');
}

function load(store: KeyValueStore, onCorrupt?: () => void): Stored | undefined {
  const value = store.read(KEY);
  if (value === undefined) return undefined;
  if (
    isRecord(value) &&
    value['version'] === 1 &&
    typeof value['policyVersion'] === 'string' &&
    typeof value['decidedAt'] === 'number' &&
    isRecord(value['purposes']) &&
    Object.values(value['purposes']).every(isChoice) &&
    isRecord(value['signals']) &&
    Array.isArray(value['history'])
  ) {
    return value as unknown as Stored;
  }
  onCorrupt?.();
  store.remove(KEY);
  return undefined;
}

// `decideVerified` trusts this state: a malformed choice must not read as a grant.
function isChoice(choice: unknown): boolean {
  return (
    isRecord(choice) &&
    (choice['status'] === 'granted' || choice['status'] === 'denied') &&
    typeof choice['at'] === 'number'
  );
}

/** Reads the browser's signals: `navigator.globalPrivacyControl === true` and DNT "1". */
export function readSignals(nav: Navigator | undefined): BrowserSignals {
  const gpc = (nav as { globalPrivacyControl?: unknown } | undefined)?.globalPrivacyControl === true;
  const dnt = nav?.doNotTrack === '1';
  return { gpc, dnt };
}
