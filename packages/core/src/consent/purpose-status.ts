import type { ConsentState, Purpose } from '../types.js';

/** Why a purpose is on or off for this visitor right now. */
export type PurposeStatusReason =
  /** Essential purposes cannot be refused. */
  | 'essential'
  /** The visitor said yes. */
  | 'granted'
  /** The visitor said no. */
  | 'denied'
  /** No choice yet: pending means denied. */
  | 'pending'
  /** Contextual use is on until the visitor objects. */
  | 'not_objected'
  /** Global Privacy Control turned it off (a grant before the signal does not count). */
  | 'gpc'
  /** Do Not Track turned it off. */
  | 'dnt'
  /** "Stop personalizing me": absolute. */
  | 'objection';

/** Whether a purpose may be used, and why. */
export interface PurposeStatus {
  readonly granted: boolean;
  readonly reason: PurposeStatusReason;
}

const SIGNAL_SENSITIVE = new Set<Purpose['class']>(['behavioural', 'cross_site']);

/**
 * The effective status of one purpose (PRIVACY.md §1–2). Pending means denied. Under GPC or DNT,
 * behavioural purposes are off unless granted explicitly after the signal was first seen, and
 * cross-site purposes are off, full stop: GPC forbids sale and sharing whatever came before.
 */
export function purposeStatus(purpose: Purpose, consent: ConsentState): PurposeStatus {
  if (purpose.class === 'essential') return { granted: true, reason: 'essential' };
  const choice = Object.hasOwn(consent.purposes, purpose.id) ? consent.purposes[purpose.id] : undefined;
  if (purpose.class === 'contextual') {
    return choice?.status === 'denied'
      ? { granted: false, reason: 'denied' }
      : { granted: true, reason: 'not_objected' };
  }
  if (purpose.class === 'behavioural' && consent.objectsToPersonalization === true) {
    return { granted: false, reason: 'objection' };
  }
  if (choice?.status === 'denied') return { granted: false, reason: 'denied' };
  if (SIGNAL_SENSITIVE.has(purpose.class)) {
    // A signal outranks "pending" so the visitor is told the signal is honoured.
    const { gpc, dnt } = consent.signals;
    const overriddenBy = (since: number): boolean =>
      purpose.class === 'cross_site' || choice === undefined || choice.at < since;
    if (gpc && overriddenBy(gpc.since)) return { granted: false, reason: 'gpc' };
    if (dnt && overriddenBy(dnt.since)) return { granted: false, reason: 'dnt' };
  }
  if (choice === undefined) return { granted: false, reason: 'pending' };
  return { granted: true, reason: 'granted' };
}

/** The status of every purpose in a snapshot, by purpose id. */
export function purposeStatuses(
  purposes: readonly Purpose[],
  consent: ConsentState,
): ReadonlyMap<string, PurposeStatus> {
  return new Map(purposes.map((purpose) => [purpose.id, purposeStatus(purpose, consent)]));
}
