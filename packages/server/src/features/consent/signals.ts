import { purposeStatus, type ConsentState, type Purpose } from '@candor/core';
import type { ConsentRecord } from '@candor/schema';
import type { IncomingHttpHeaders } from 'node:http';

/** The browser privacy signals one request carried (docs/privacy.md §1). */
export interface PrivacySignals {
  readonly gpc: boolean;
  readonly dnt: boolean;
}

/** Which signal turned a visitor's grant off. */
export type SignalName = 'gpc' | 'dnt';

/** Whether a privacy header carries the exact value `1` (docs/privacy.md §1: any header equal to 1 wins). */
export function signalOn(value: string | string[] | undefined): boolean {
  const values = Array.isArray(value) ? value : value === undefined ? [] : value.split(',');
  return values.some((item) => item.trim() === '1');
}

/**
 * The signals of one request: `Sec-GPC` and `DNT` headers, plus the SDK's own reading of
 * `navigator.globalPrivacyControl` where the route receives one. Every route that receives personal
 * data reads its signals here, so the rule for "on" lives once.
 */
export function requestSignals(headers: IncomingHttpHeaders, gpcJs?: boolean): PrivacySignals {
  return { gpc: signalOn(headers['sec-gpc']) || gpcJs === true, dnt: signalOn(headers['dnt']) };
}

/**
 * The grants a signal overrides at the moment of a choice: a cross-site purpose (sale, sharing,
 * data leaving the site) is denied under GPC or DNT whatever the visitor ticked. Behavioural grants
 * made while the signal is on are explicit choices after the signal, which docs/privacy.md §1 lets
 * stand, so they are kept. Returns the purposes as they are recorded and which signal changed each.
 */
export function overrideGrants(
  purposes: readonly Purpose[],
  choices: Readonly<Record<string, 'granted' | 'denied'>>,
  signals: PrivacySignals,
): { purposes: Record<string, 'granted' | 'denied'>; overriddenBy: Record<string, SignalName> } {
  const signal: SignalName | undefined = signals.gpc ? 'gpc' : signals.dnt ? 'dnt' : undefined;
  const recorded: Record<string, 'granted' | 'denied'> = { ...choices };
  const overriddenBy: Record<string, SignalName> = {};
  if (signal === undefined) return { purposes: recorded, overriddenBy };
  for (const purpose of purposes) {
    if (purpose.class === 'cross_site' && recorded[purpose.id] === 'granted') {
      recorded[purpose.id] = 'denied';
      overriddenBy[purpose.id] = signal;
    }
  }
  return { purposes: recorded, overriddenBy };
}

/**
 * The purposes in effect for a request, from the visitor's latest ledger record and the signals the
 * request carries now, decided by the same `purposeStatus` the browser runs. A signal that arrived
 * after the record was made outranks its behavioural and cross-site grants (they predate the
 * signal); a signal the record itself carried stays in force when a later request lacks it, because
 * the absence of a signal is never an opt-in.
 */
export function effectiveGrants(
  purposes: readonly Purpose[],
  latest: ConsentRecord | undefined,
  signals: PrivacySignals,
  now: number,
): Set<string> {
  if (latest === undefined) return new Set();
  const since = (inRecord: boolean, inRequest: boolean): { since: number } | undefined =>
    inRecord ? { since: latest.createdAt } : inRequest ? { since: now } : undefined;
  const gpc = since(latest.signals.gpc, signals.gpc);
  const dnt = since(latest.signals.dnt, signals.dnt);
  const state: ConsentState = {
    purposes: Object.fromEntries(
      Object.entries(latest.purposes).map(([id, status]) => [id, { status, at: latest.createdAt }]),
    ),
    signals: { ...(gpc === undefined ? {} : { gpc }), ...(dnt === undefined ? {} : { dnt }) },
  };
  return new Set(purposes.filter((purpose) => purposeStatus(purpose, state).granted).map((purpose) => purpose.id));
}
